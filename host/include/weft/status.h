/* weft: status codes shared by every call.
 * A call returns weft_status: 0 ok, < 0 error, > 0 warning. The band below -1000 mirrors
 * OpenCL's CL_* error codes (WEFT_ERR_OPENCL_BASE + cl_code) so a device error keeps its identity. */
#ifndef WEFT_STATUS_H
#define WEFT_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

#if defined(WEFT_BUILDING_LIBRARY)
#define WEFT_API __attribute__((visibility("default")))
#else
#define WEFT_API
#endif

typedef enum weft_status {
    WEFT_OK = 0,
    /* warnings */
    WEFT_WARN_FALLBACK = 1,        /* asked-for device unavailable, continued on cpu */
    WEFT_WARN_INTEGER_RELAXED = 2, /* integer markers ignored: the relaxation is solved */
    /* errors */
    WEFT_ERR_NOMEM = -1,
    WEFT_ERR_INVALID_ARG = -2,
    WEFT_ERR_IO = -3,           /* cannot open, read or write a file */
    WEFT_ERR_PARSE = -4,        /* malformed input file */
    WEFT_ERR_BAD_INPUT = -5,    /* well-formed but invalid data (NaN, negative capacity, ...) */
    WEFT_ERR_UNSUPPORTED = -6,  /* valid input this build cannot handle */
    WEFT_ERR_DEVICE = -7,       /* no usable device, build failure, device lost */
    WEFT_ERR_INTERNAL = -8,
    WEFT_ERR_OVERFLOW = -9,     /* a size that does not fit the index types */
    WEFT_ERR_OPENCL_BASE = -1000 /* -1000 + CL error code (CL codes are <= 0) */
} weft_status;

/* A static, never-NULL description of a status code. */
WEFT_API const char *weft_status_string(int status);

#ifdef __cplusplus
}
#endif
#endif
