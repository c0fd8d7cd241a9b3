#include "cli.h"

static int run_devices(const cli_command *cmd, cli_args *a)
{
    weft_context *ctx = cli_context(a);
    if (!ctx) return WEFT_EXIT_INTERNAL;
    weft_device_info *list = NULL;
    int n = 0;
    int st = weft_devices_list(ctx, &list, &n);
    if (st < 0) {
        int rc = cli_fail(ctx, st, "devices");
        weft_context_destroy(&ctx);
        return rc;
    }
    for (int i = 0; i < n; i++) printf("%-8s %s\n", list[i].spec, list[i].name);
    weft_devices_free(ctx, &list);
    weft_context_destroy(&ctx);
    return 0;
}

static const cli_key devices_keys[] = {OPT_JSON, OPT_HELP, OPT_COUNT};
const cli_command weft_cmd_devices = {"devices", "", "OpenCL platforms and devices, and the CPU backend",
                                      devices_keys, 0, 0, run_devices};
