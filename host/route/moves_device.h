/* The device path of insertion evaluation (moves_device.c). */
#ifndef WEFT_ROUTE_MOVES_DEVICE_H
#define WEFT_ROUTE_MOVES_DEVICE_H

#include "backend/backend.h"
#include "route/rr_state.h"

typedef struct rr_device rr_device;

/* Makes s evaluate insertions with be (which must outlive s's use); on failure s keeps the CPU
 * path and the reason is on the context. */
int rr_device_attach(rr_state *s, weft_backend *be);
/* Back to the CPU path; frees the device data. Safe when none is attached. */
void rr_device_detach(rr_state *s);
/* The error that stopped the search on the device path (s->nomem is set then), else 0. */
int rr_device_status(const rr_state *s);

#endif
