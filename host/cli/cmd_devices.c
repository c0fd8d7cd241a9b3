/* weft devices: the OpenCL devices and the CPU backend, as a table or (--json) a JSON array. */
#include <jansson.h>

#include "cli.h"

json_t *cli_device_json(const weft_device_info *d)
{
    json_t *o = json_object();
    json_object_set_new(o, "spec", json_string(d->spec));
    json_object_set_new(o, "backend", json_string(d->backend));
    json_object_set_new(o, "platform", json_integer(d->platform));
    json_object_set_new(o, "device", json_integer(d->device));
    json_object_set_new(o, "platform_name", json_string(d->platform_name));
    json_object_set_new(o, "name", json_string(d->name));
    json_object_set_new(o, "vendor", json_string(d->vendor));
    json_object_set_new(o, "driver", json_string(d->driver));
    json_object_set_new(o, "version", json_string(d->version));
    json_object_set_new(o, "type", json_string(d->type));
    json_object_set_new(o, "compute_units", json_integer(d->compute_units));
    json_object_set_new(o, "global_mem_bytes", json_integer((json_int_t)d->global_mem));
    json_object_set_new(o, "fp64", json_boolean(d->fp64));
    if (d->extra[0]) json_object_set_new(o, "extra", json_string(d->extra));
    return o;
}

static int print_json(const weft_device_info *list, int n)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(arr, cli_device_json(&list[i]));
    int rc = json_dumpf(arr, stdout, JSON_INDENT(2)) == 0 ? 0 : WEFT_EXIT_INTERNAL;
    putchar('\n');
    json_decref(arr);
    return rc;
}

static void print_table(const weft_device_info *list, int n)
{
    printf("%-8s %-4s %-5s %4s %9s  %-40s %s\n", "spec", "type", "fp64", "CUs", "memory", "device",
           "platform / driver");
    for (int i = 0; i < n; i++) {
        const weft_device_info *d = &list[i];
        printf("%-8s %-4s %-5s %4d %6.1f GiB  %-40s %s / %s\n", d->spec, d->type, d->fp64 ? "yes" : "no",
               d->compute_units, (double)d->global_mem / (1024.0 * 1024.0 * 1024.0), d->name,
               d->platform_name, d->backend[0] == 'c' ? d->version : d->driver);
    }
    if (n == 1) printf("(no OpenCL device found: only the cpu backend)\n");
}

static int run_devices(const cli_command *cmd, cli_args *a)
{
    weft_context *ctx = cli_context(a);
    if (!ctx) return WEFT_EXIT_INTERNAL;
    weft_device_info *list = NULL;
    int n = 0, rc = 0;
    int st = weft_devices_list(ctx, &list, &n);
    if (st < 0) rc = cli_fail(ctx, st, "devices");
    else if (a->set[OPT_JSON]) rc = print_json(list, n);
    else print_table(list, n);
    weft_devices_free(ctx, &list);
    weft_context_destroy(&ctx);
    return rc;
}

static const cli_key devices_keys[] = {OPT_JSON, OPT_QUIET, OPT_VERBOSE, OPT_HELP, OPT_COUNT};
const cli_command weft_cmd_devices = {"devices", "", "OpenCL platforms and devices, and the CPU backend",
                                      devices_keys, 0, 0, run_devices};
