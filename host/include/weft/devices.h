/* weft: what devices this machine offers (OpenCL platforms/devices and the CPU backend). */
#ifndef WEFT_DEVICES_H
#define WEFT_DEVICES_H

#include <stdint.h>
#include "weft/context.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct weft_device_info {
    char backend[16];   /* "opencl" or "cpu" */
    char spec[32];      /* what --device takes to pick it: "cl:P:D" or "cpu" */
    int platform, device;
    char platform_name[128];
    char name[128];
    char vendor[128];
    char driver[64];
    char version[128];  /* OpenCL version string, or the BLAS library's */
    char type[16];      /* "gpu", "cpu", "accelerator", "other" */
    int compute_units;
    uint64_t global_mem; /* bytes */
    int fp64;
    char extra[256];    /* CPU backend: OpenBLAS configuration and thread count */
} weft_device_info;

/* Lists every OpenCL device (if no ICD or platform exists, only the CPU backend), the CPU backend
 * last. The list is allocated through the context; free it with weft_devices_free. */
WEFT_API weft_status weft_devices_list(weft_context *ctx, weft_device_info **list, int *count);
WEFT_API void weft_devices_free(weft_context *ctx, weft_device_info **list);
/* Resolves a --device spec to the device it would use, without keeping anything open.
 * WEFT_ERR_DEVICE (reason on the context) when the spec names no usable fp64 device. */
WEFT_API weft_status weft_device_probe(weft_context *ctx, const char *spec, weft_device_info *info);

#ifdef __cplusplus
}
#endif
#endif
