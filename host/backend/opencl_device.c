/* OpenCL platform and device discovery, and the --device spec ("cl", "cl:gpu", "cl:cpu",
 * "cl:P:D") resolved to one fp64 device. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/opencl_internal.h"
#include "core/context_internal.h"

#define CL_PLATFORM_NOT_FOUND -1001 /* cl_khr_icd: the loader found no platform */

/* A broken driver (an ICD entry whose library fails, a platform that cannot list its devices)
 * must not hide the others or the cpu backend: say so and carry on as if it were absent. */
static int skip_broken(weft_context *ctx, cl_int err, const char *what)
{
    weft_log(ctx, WEFT_LOG_WARNING, "OpenCL %s failed: %s (%d); skipping it", what,
             weft_cl_error_name(err), (int)err);
    return WEFT_OK;
}

int weft_cl_platforms(weft_context *ctx, cl_platform_id **out, cl_uint *count)
{
    *out = NULL;
    *count = 0;
    cl_uint n = 0;
    cl_int err = clGetPlatformIDs(0, NULL, &n);
    if (err == CL_PLATFORM_NOT_FOUND || (err == CL_SUCCESS && n == 0)) return WEFT_OK;
    if (err != CL_SUCCESS) return skip_broken(ctx, err, "clGetPlatformIDs");
    cl_platform_id *p = weft_calloc(ctx, n, sizeof *p);
    if (!p) return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory listing OpenCL platforms");
    err = clGetPlatformIDs(n, p, &n);
    if (err != CL_SUCCESS) {
        weft_free(ctx, p);
        return skip_broken(ctx, err, "clGetPlatformIDs");
    }
    *out = p;
    *count = n;
    return WEFT_OK;
}

int weft_cl_devices(weft_context *ctx, cl_platform_id platform, cl_device_id **out, cl_uint *count)
{
    *out = NULL;
    *count = 0;
    cl_uint n = 0;
    cl_int err = clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, NULL, &n);
    if (err == CL_DEVICE_NOT_FOUND || (err == CL_SUCCESS && n == 0)) return WEFT_OK;
    if (err != CL_SUCCESS) return skip_broken(ctx, err, "clGetDeviceIDs");
    cl_device_id *d = weft_calloc(ctx, n, sizeof *d);
    if (!d) return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory listing OpenCL devices");
    err = clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, n, d, &n);
    if (err != CL_SUCCESS) {
        weft_free(ctx, d);
        return skip_broken(ctx, err, "clGetDeviceIDs");
    }
    *out = d;
    *count = n;
    return WEFT_OK;
}

/* A device string property, "" when the query fails; always terminated. */
static void device_string(cl_device_id d, cl_device_info what, char *buf, size_t len)
{
    buf[0] = '\0';
    if (clGetDeviceInfo(d, what, len - 1, buf, NULL) != CL_SUCCESS) buf[0] = '\0';
    buf[len - 1] = '\0';
}

/* cl_khr_fp64 in the extension list (as a whole word), or a non-empty double FP config. */
static int device_has_fp64(cl_device_id d)
{
    char ext[16384];
    device_string(d, CL_DEVICE_EXTENSIONS, ext, sizeof ext);
    static const char want[] = "cl_khr_fp64";
    for (const char *p = strstr(ext, want); p; p = strstr(p + 1, want)) {
        char after = p[sizeof want - 1];
        if ((p == ext || p[-1] == ' ') && (after == ' ' || after == '\0')) return 1;
    }
    cl_device_fp_config cfg = 0;
    return clGetDeviceInfo(d, CL_DEVICE_DOUBLE_FP_CONFIG, sizeof cfg, &cfg, NULL) == CL_SUCCESS && cfg;
}

static const char *type_name(cl_device_type t)
{
    if (t & CL_DEVICE_TYPE_GPU) return "gpu";
    if (t & CL_DEVICE_TYPE_CPU) return "cpu";
    if (t & CL_DEVICE_TYPE_ACCELERATOR) return "accelerator";
    return "other";
}

void weft_cl_device_info(const weft_cl_device *dev, weft_device_info *info)
{
    memset(info, 0, sizeof *info);
    snprintf(info->backend, sizeof info->backend, "opencl");
    snprintf(info->spec, sizeof info->spec, "cl:%d:%d", dev->p, dev->d);
    info->platform = dev->p;
    info->device = dev->d;
    if (clGetPlatformInfo(dev->platform, CL_PLATFORM_NAME, sizeof info->platform_name - 1,
                          info->platform_name, NULL) != CL_SUCCESS)
        info->platform_name[0] = '\0';
    device_string(dev->device, CL_DEVICE_NAME, info->name, sizeof info->name);
    device_string(dev->device, CL_DEVICE_VENDOR, info->vendor, sizeof info->vendor);
    device_string(dev->device, CL_DRIVER_VERSION, info->driver, sizeof info->driver);
    device_string(dev->device, CL_DEVICE_VERSION, info->version, sizeof info->version);
    cl_device_type t = 0;
    clGetDeviceInfo(dev->device, CL_DEVICE_TYPE, sizeof t, &t, NULL);
    snprintf(info->type, sizeof info->type, "%s", type_name(t));
    cl_uint cu = 0;
    clGetDeviceInfo(dev->device, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof cu, &cu, NULL);
    info->compute_units = (int)cu;
    cl_ulong mem = 0;
    clGetDeviceInfo(dev->device, CL_DEVICE_GLOBAL_MEM_SIZE, sizeof mem, &mem, NULL);
    info->global_mem = mem;
    info->fp64 = device_has_fp64(dev->device);
}

/* What a spec asks for: a device type to take the first fp64 device of, or one exact position. */
typedef struct ocl_spec {
    cl_device_type type; /* 0: exact position p:d */
    const char *what;    /* for messages: "GPU", "CPU", "" */
    int p, d;
} ocl_spec;

static int parse_index(const char *s, char **end)
{
    errno = 0;
    long v = strtol(s, end, 10);
    if (*end == s || errno || v < 0 || v > 1000000 || *s == '+' || *s == '-') return -1;
    return (int)v;
}

static int parse_spec(weft_context *ctx, const char *spec, ocl_spec *out)
{
    memset(out, 0, sizeof *out);
    if (!strcmp(spec, "cl")) *out = (ocl_spec){CL_DEVICE_TYPE_ALL, "", 0, 0};
    else if (!strcmp(spec, "cl:gpu")) *out = (ocl_spec){CL_DEVICE_TYPE_GPU, "GPU ", 0, 0};
    else if (!strcmp(spec, "cl:cpu")) *out = (ocl_spec){CL_DEVICE_TYPE_CPU, "CPU ", 0, 0};
    else if (!strncmp(spec, "cl:", 3)) {
        char *end = NULL;
        out->p = parse_index(spec + 3, &end);
        if (out->p >= 0 && *end == ':') out->d = parse_index(end + 1, &end);
        else out->d = -1;
        if (out->p >= 0 && out->d >= 0 && *end == '\0') return WEFT_OK;
    }
    if (out->type) return WEFT_OK;
    return weft_error(ctx, WEFT_ERR_INVALID_ARG,
                      "device '%s' not understood: use cl, cl:gpu, cl:cpu or cl:P:D (platform and "
                      "device numbers from 'weft devices')", spec);
}

/* Looks at device d of platform p for spec; 1 if it is the one. *seen and *no_fp64 count
 * candidates of the right type, for the message when nothing matches. */
static int device_matches(const ocl_spec *s, const weft_cl_device *dev, weft_device_info *info,
                          int *seen, int *no_fp64)
{
    if (!s->type && (dev->p != s->p || dev->d != s->d)) return 0;
    cl_device_type t = 0;
    if (clGetDeviceInfo(dev->device, CL_DEVICE_TYPE, sizeof t, &t, NULL) != CL_SUCCESS) return 0;
    if (s->type && !(t & s->type)) return 0;
    (*seen)++;
    weft_cl_device_info(dev, info);
    if (!info->fp64) {
        (*no_fp64)++;
        return 0;
    }
    return 1;
}

static int no_match(weft_context *ctx, const char *spec, const ocl_spec *s, cl_uint nplat, int seen,
                    int no_fp64, const weft_device_info *last)
{
    if (!nplat)
        return weft_error(ctx, WEFT_ERR_DEVICE, "device '%s': no OpenCL platform found (no ICD "
                          "loader entry or driver installed)", spec);
    if (!s->type && !seen)
        return weft_error(ctx, WEFT_ERR_DEVICE, "device '%s': no such OpenCL platform/device (see "
                          "'weft devices')", spec);
    if (no_fp64 && no_fp64 == seen && !s->type)
        return weft_error(ctx, WEFT_ERR_DEVICE, "device '%s' (%s) has no fp64 support "
                          "(cl_khr_fp64), which weft needs", spec, last->name);
    if (no_fp64)
        return weft_error(ctx, WEFT_ERR_DEVICE, "device '%s': %d OpenCL %sdevice(s) found, none "
                          "with fp64 support (cl_khr_fp64)", spec, seen, s->what);
    return weft_error(ctx, WEFT_ERR_DEVICE, "device '%s': no OpenCL %sdevice found", spec, s->what);
}

int weft_cl_select(weft_context *ctx, const char *spec, weft_cl_device *out, weft_device_info *info)
{
    ocl_spec s;
    int st = parse_spec(ctx, spec, &s);
    if (st) return st;
    cl_platform_id *plats = NULL;
    cl_uint nplat = 0;
    if ((st = weft_cl_platforms(ctx, &plats, &nplat))) return st;
    int seen = 0, no_fp64 = 0, found = 0;
    for (cl_uint p = 0; p < nplat && !found && !st; p++) {
        cl_device_id *devs = NULL;
        cl_uint ndev = 0;
        if ((st = weft_cl_devices(ctx, plats[p], &devs, &ndev))) break;
        for (cl_uint d = 0; d < ndev && !found; d++) {
            *out = (weft_cl_device){plats[p], devs[d], (int)p, (int)d};
            found = device_matches(&s, out, info, &seen, &no_fp64);
        }
        weft_free(ctx, devs);
    }
    weft_free(ctx, plats);
    if (st) return st;
    return found ? WEFT_OK : no_match(ctx, spec, &s, nplat, seen, no_fp64, info);
}
