#include "weft/status.h"

const char *weft_status_string(int status)
{
    if (status <= WEFT_ERR_OPENCL_BASE && status > WEFT_ERR_OPENCL_BASE - 100)
        return "OpenCL error";
    switch (status) {
    case WEFT_OK: return "ok";
    case WEFT_WARN_FALLBACK: return "device unavailable, continued on the cpu backend";
    case WEFT_WARN_INTEGER_RELAXED: return "integer variables relaxed to continuous";
    case WEFT_ERR_NOMEM: return "out of memory";
    case WEFT_ERR_INVALID_ARG: return "invalid argument";
    case WEFT_ERR_IO: return "input/output error";
    case WEFT_ERR_PARSE: return "malformed input";
    case WEFT_ERR_BAD_INPUT: return "invalid input data";
    case WEFT_ERR_UNSUPPORTED: return "unsupported";
    case WEFT_ERR_DEVICE: return "device error";
    case WEFT_ERR_INTERNAL: return "internal error";
    case WEFT_ERR_OVERFLOW: return "size overflow";
    default: return status > 0 ? "warning" : "unknown error";
    }
}
