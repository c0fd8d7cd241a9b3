/* Placeholder until the OpenCL backend lands: reports that no OpenCL device is usable. */
#include "backend/backend.h"
#include "core/context_internal.h"
#include "weft/devices.h"

int weft_backend_opencl_open(weft_context *ctx, const char *spec, weft_backend **out)
{
    *out = NULL;
    return weft_error(ctx, WEFT_ERR_DEVICE, "OpenCL backend not built yet (device '%s')", spec);
}

weft_status weft_devices_list(weft_context *ctx, weft_device_info **list, int *count)
{
    *list = NULL;
    *count = 0;
    return weft_error(ctx, WEFT_ERR_UNSUPPORTED, "device listing not built yet");
}

void weft_devices_free(weft_context *ctx, weft_device_info **list)
{
    if (list && *list) weft_free(ctx, *list);
    if (list) *list = NULL;
}

weft_status weft_device_probe(weft_context *ctx, const char *spec, weft_device_info *info)
{
    return weft_error(ctx, WEFT_ERR_DEVICE, "OpenCL backend not built yet (device '%s')", spec);
}
