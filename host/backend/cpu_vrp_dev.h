/* The CPU backend's routing matrices (cpu_vrp.c, cpu_vrp_ls.c): its weft_vrp_dev. */
#ifndef WEFT_BACKEND_CPU_VRP_DEV_H
#define WEFT_BACKEND_CPU_VRP_DEV_H

#include <stdint.h>

struct weft_vrp_dev {
    int32_t k;
    double *time, *dist; /* k x k, row = from */
};

#endif
