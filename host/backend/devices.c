/* What devices this machine offers: every OpenCL device, then the CPU backend. A machine without
 * an OpenCL loader entry or platform simply lists the CPU backend. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cblas.h>
#include <omp.h>

#include "backend/opencl_internal.h"
#include "core/context_internal.h"
#include "weft/devices.h"

/* The CPU model from /proc/cpuinfo, or "CPU" elsewhere. */
static void cpu_model(char *buf, size_t len)
{
    snprintf(buf, len, "CPU");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f) return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) || !colon) continue;
        colon += 1 + (colon[1] == ' ');
        colon[strcspn(colon, "\n")] = '\0';
        snprintf(buf, len, "%s", colon);
        break;
    }
    fclose(f);
}

static void cpu_backend_info(const weft_context *ctx, weft_device_info *info)
{
    memset(info, 0, sizeof *info);
    snprintf(info->backend, sizeof info->backend, "cpu");
    snprintf(info->spec, sizeof info->spec, "cpu");
    info->platform = info->device = -1;
    snprintf(info->platform_name, sizeof info->platform_name, "OpenBLAS + OpenMP");
    cpu_model(info->name, sizeof info->name);
    snprintf(info->type, sizeof info->type, "cpu");
    const char *config = openblas_get_config();
    /* "OpenBLAS 0.3.21 DYNAMIC_ARCH ...": the library and version; the rest goes to extra */
    const char *cfg = config ? config : "OpenBLAS";
    const char *sp = strchr(cfg, ' ');
    sp = sp ? strchr(sp + 1, ' ') : NULL;
    snprintf(info->version, sizeof info->version, "%.*s", sp ? (int)(sp - cfg) : 127, cfg);
    info->compute_units = omp_get_num_procs();
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    info->global_mem = pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page : 0;
    info->fp64 = 1;
    int threads = ctx->threads > 0 ? ctx->threads : omp_get_max_threads();
    snprintf(info->extra, sizeof info->extra, "%s; %d OpenMP threads", config ? config : "OpenBLAS", threads);
}

/* Appends every device of platform p to *list (grown through the context). */
static int list_platform(weft_context *ctx, cl_platform_id plat, int p, weft_device_info **list, int *count)
{
    cl_device_id *devs = NULL;
    cl_uint ndev = 0;
    int st = weft_cl_devices(ctx, plat, &devs, &ndev);
    if (st || !ndev) return st;
    weft_device_info *grown = weft_realloc_array(ctx, *list, (size_t)*count + ndev + 1, sizeof *grown);
    if (!grown) {
        weft_free(ctx, devs);
        return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory listing OpenCL devices");
    }
    *list = grown;
    for (cl_uint d = 0; d < ndev; d++) {
        weft_cl_device dev = {plat, devs[d], p, (int)d};
        weft_cl_device_info(&dev, &grown[(*count)++]);
    }
    weft_free(ctx, devs);
    return WEFT_OK;
}

weft_status weft_devices_list(weft_context *ctx, weft_device_info **list, int *count)
{
    *list = NULL;
    *count = 0;
    cl_platform_id *plats = NULL;
    cl_uint nplat = 0;
    weft_device_info *l = weft_calloc(ctx, 1, sizeof *l);
    int n = 0;
    int st = l ? weft_cl_platforms(ctx, &plats, &nplat)
               : weft_error(ctx, WEFT_ERR_NOMEM, "out of memory listing devices");
    for (cl_uint p = 0; p < nplat && !st; p++) st = list_platform(ctx, plats[p], (int)p, &l, &n);
    weft_free(ctx, plats);
    if (st) {
        weft_free(ctx, l);
        return st;
    }
    /* list_platform always leaves room for one more: the CPU backend, last */
    cpu_backend_info(ctx, &l[n++]);
    *list = l;
    *count = n;
    return WEFT_OK;
}

void weft_devices_free(weft_context *ctx, weft_device_info **list)
{
    if (!list) return;
    weft_free(ctx, *list);
    *list = NULL;
}

weft_status weft_device_probe(weft_context *ctx, const char *spec, weft_device_info *info)
{
    weft_cl_device dev;
    if (!spec || !*spec) spec = "auto";
    if (!strcmp(spec, "cpu")) {
        cpu_backend_info(ctx, info);
        return WEFT_OK;
    }
    if (!strcmp(spec, "auto")) {
        if (weft_cl_select(ctx, "cl:gpu", &dev, info) != WEFT_OK) cpu_backend_info(ctx, info);
        return WEFT_OK;
    }
    if (!strcmp(spec, "cl") || !strncmp(spec, "cl:", 3)) return weft_cl_select(ctx, spec, &dev, info);
    return weft_error(ctx, WEFT_ERR_INVALID_ARG,
                      "device '%s' not understood: use auto, cpu, cl, cl:gpu, cl:cpu or cl:P:D", spec);
}
