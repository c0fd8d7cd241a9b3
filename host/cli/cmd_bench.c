/* weft bench: the fixed suite of host/bench/bench_suite.h on every chosen device, as a table,
 * one JSON object (--json) or CSV rows (--csv). bench/compare.py sets two machines' JSON side by
 * side. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench_suite.h"
#include "cli.h"

#define MAX_DEVICES 32

typedef struct device_list {
    weft_device_info info[MAX_DEVICES];
    int n;
} device_list;

static int add_device(device_list *l, const weft_device_info *d)
{
    for (int i = 0; i < l->n; i++)
        if (!strcmp(l->info[i].spec, d->spec)) return 0; /* named twice (cl:cpu and cl:0:0, say) */
    if (l->n == MAX_DEVICES) {
        fprintf(stderr, "weft bench: more than %d devices\n", MAX_DEVICES);
        return WEFT_EXIT_USAGE;
    }
    l->info[l->n++] = *d;
    return 0;
}

/* "all": the cpu backend, then every OpenCL device with fp64. */
static int add_all(weft_context *ctx, device_list *l)
{
    weft_device_info *list = NULL, cpu;
    int n = 0, st = weft_device_probe(ctx, "cpu", &cpu);
    if (!st) st = weft_devices_list(ctx, &list, &n);
    if (st) return cli_fail(ctx, st, "bench: devices");
    int rc = add_device(l, &cpu);
    for (int i = 0; !rc && i < n; i++)
        if (!strcmp(list[i].backend, "opencl") && list[i].fp64) rc = add_device(l, &list[i]);
    weft_devices_free(ctx, &list);
    return rc;
}

static int choose_devices(weft_context *ctx, const cli_args *a, device_list *l)
{
    l->n = 0;
    if (!a->count[OPT_DEVICE]) return add_all(ctx, l);
    for (int i = 0; i < a->count[OPT_DEVICE]; i++) {
        const char *spec = a->all[OPT_DEVICE][i];
        weft_device_info d;
        int rc = 0;
        if (!strcmp(spec, "all")) rc = add_all(ctx, l);
        else {
            int st = weft_device_probe(ctx, spec, &d);
            rc = st ? cli_fail(ctx, st, "bench: --device") : add_device(l, &d);
        }
        if (rc) return rc;
    }
    return 0;
}

/* --- JSON ------------------------------------------------------------------------------------- */

static json_t *num_or_null(double v) { return isfinite(v) ? json_real(v) : json_null(); }

/* Counts as integers, so that 33554432 elements do not print as 3.35544e+07. */
static json_t *figure_json(double v)
{
    return isfinite(v) && v == floor(v) && fabs(v) < 9e15 ? json_integer((json_int_t)v) : num_or_null(v);
}

static json_t *item_json(const weft_bench_item *it)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(it->name));
    json_object_set_new(o, "median_s", json_real(it->median_s));
    json_object_set_new(o, "min_s", json_real(it->min_s));
    json_object_set_new(o, "max_s", json_real(it->max_s));
    json_object_set_new(o, "reps", json_integer(it->reps));
    json_object_set_new(o, "inner", json_integer(it->inner));
    json_object_set_new(o, "bytes", it->bytes > 0 ? figure_json(it->bytes) : json_null());
    json_object_set_new(o, "gbs", num_or_null(it->gbs));
    json_object_set_new(o, "ratio_to_copy", num_or_null(it->ratio_to_copy));
    const char *model = weft_bench_byte_model(it->name);
    if (model) json_object_set_new(o, "byte_model", json_string(model));
    for (int i = 0; i < it->n_fig; i++) json_object_set_new(o, it->fig[i].key, figure_json(it->fig[i].value));
    return o;
}

static json_t *bench_device_json(const weft_bench_device *d)
{
    json_t *o = cli_device_json(&d->info);
    json_object_set_new(o, "description", json_string(d->description));
    json_object_set_new(o, "copy_gbs", num_or_null(d->copy_gbs));
    json_t *items = json_array();
    for (int i = 0; i < d->n_items; i++) json_array_append_new(items, item_json(&d->items[i]));
    json_object_set_new(o, "items", items);
    if (d->status) json_object_set_new(o, "error", json_string(d->error));
    return o;
}

static json_t *machine_json(weft_context *ctx)
{
    char host[256] = "", date[32];
    weft_device_info cpu;
    time_t now = time(NULL);
    struct tm tm;
    gethostname(host, sizeof host - 1);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    json_t *o = json_object();
    json_object_set_new(o, "hostname", json_string(host));
    json_object_set_new(o, "cpu", json_string(weft_device_probe(ctx, "cpu", &cpu) ? "" : cpu.name));
    json_object_set_new(o, "cores", json_integer(sysconf(_SC_NPROCESSORS_ONLN)));
    json_object_set_new(o, "date", json_string(date));
    json_object_set_new(o, "weft_version", json_string(WEFT_VERSION_STRING));
    /* the commit at configure time; null for a build outside git */
    json_object_set_new(o, "commit", WEFT_GIT_COMMIT[0] ? json_string(WEFT_GIT_COMMIT) : json_null());
    return o;
}

static void print_json(weft_context *ctx, const weft_bench_options *o, const weft_bench_device *dev, int n)
{
    json_t *root = json_object();
    json_object_set_new(root, "machine", machine_json(ctx));
    json_t *suite = json_object();
    json_object_set_new(suite, "size", json_string(o->quick ? "quick" : "default"));
    json_object_set_new(suite, "repeat", json_integer(o->repeat));
    json_object_set_new(suite, "warmup", json_integer(o->warmup));
    json_object_set_new(suite, "seed", json_integer((json_int_t)o->seed));
    json_object_set_new(root, "suite", suite);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(arr, bench_device_json(&dev[i]));
    json_object_set_new(root, "devices", arr);
    json_dumpf(root, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(9));
    putchar('\n');
    json_decref(root);
}

/* --- CSV and table ---------------------------------------------------------------------------- */

/* A CSV field: quoted, inner quotes doubled. */
static void csv_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        if (*s == '"') putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static void csv_number(double v)
{
    if (isfinite(v)) printf(",%.10g", v);
    else printf(",");
}

static void print_csv(const weft_bench_device *dev, int n)
{
    printf("device,name,vendor,driver,compute_units,global_mem_bytes,copy_gbs,item,median_s,min_s,max_s,"
           "reps,inner,bytes,gbs,ratio_to_copy,figures\n");
    for (int i = 0; i < n; i++)
        for (int k = 0; k < dev[i].n_items; k++) {
            const weft_device_info *d = &dev[i].info;
            const weft_bench_item *it = &dev[i].items[k];
            csv_string(d->spec), putchar(','), csv_string(d->name), putchar(','), csv_string(d->vendor);
            putchar(','), csv_string(d->driver);
            printf(",%d,%llu", d->compute_units, (unsigned long long)d->global_mem);
            csv_number(dev[i].copy_gbs);
            printf(",%s", it->name);
            csv_number(it->median_s), csv_number(it->min_s), csv_number(it->max_s);
            printf(",%d,%d", it->reps, it->inner);
            csv_number(it->bytes > 0 ? it->bytes : NAN), csv_number(it->gbs), csv_number(it->ratio_to_copy);
            printf(",\"");
            for (int f = 0; f < it->n_fig; f++) printf("%s%s=%.10g", f ? ";" : "", it->fig[f].key, it->fig[f].value);
            printf("\"\n");
        }
}

/* Seconds in the unit that reads best. */
static const char *fmt_time(char *buf, size_t len, double s)
{
    if (s < 1e-3) snprintf(buf, len, "%7.1f us", s * 1e6);
    else if (s < 1) snprintf(buf, len, "%7.2f ms", s * 1e3);
    else snprintf(buf, len, "%7.3f s ", s);
    return buf;
}

static void print_item(const weft_bench_item *it)
{
    char a[32], b[32], c[32];
    printf("  %-15s %s %s %s %4d", it->name, fmt_time(a, sizeof a, it->median_s),
           fmt_time(b, sizeof b, it->min_s), fmt_time(c, sizeof c, it->max_s), it->reps);
    if (isfinite(it->gbs)) printf(" %8.2f %6.2f ", it->gbs, it->ratio_to_copy);
    else printf(" %8s %6s ", "-", "-");
    for (int f = 0; f < it->n_fig; f++) {
        double v = it->fig[f].value;
        printf(" %s=%.*g", it->fig[f].key, v == floor(v) && fabs(v) < 1e12 ? 12 : 4, v);
    }
    putchar('\n');
}

static void print_table(const weft_bench_options *o, const weft_bench_device *dev, int n)
{
    printf("weft bench: %s suite, %d repetitions after %d warm-up, times per call (median, min, max)\n",
           o->quick ? "quick" : "default", o->repeat, o->warmup);
    for (int i = 0; i < n; i++) {
        const weft_bench_device *d = &dev[i];
        const weft_device_info *info = &d->info;
        printf("\n%s: %s (%s, %s); %d compute units, %.1f GiB; %s\n", info->spec, info->name,
               info->vendor[0] ? info->vendor : info->platform_name,
               info->backend[0] == 'c' ? info->version : info->driver, info->compute_units,
               (double)info->global_mem / (1024.0 * 1024.0 * 1024.0), d->description);
        printf("  %-15s %10s %10s %10s %4s %8s %6s  %s\n", "item", "median", "min", "max", "reps", "GB/s", "/copy",
               "figures");
        for (int k = 0; k < d->n_items; k++) print_item(&d->items[k]);
        if (d->status) printf("  stopped: %s\n", d->error);
    }
}

/* --- the command ------------------------------------------------------------------------------ */

static void print_results(weft_context *ctx, const cli_args *a, const weft_bench_options *o,
                          const weft_bench_device *res, int n)
{
    if (a->set[OPT_JSON]) print_json(ctx, o, res, n);
    else if (a->set[OPT_CSV]) print_csv(res, n);
    else print_table(o, res, n);
}

/* Every device in turn; one that fails is reported and the others still run. 1 if any failed. */
static int run_devices(weft_context *ctx, weft_bench_data *data, const device_list *devs,
                       const weft_bench_options *o, weft_bench_device *res)
{
    int failed = 0;
    for (int i = 0; i < devs->n; i++) {
        if (weft_bench_run_device(ctx, data, devs->info[i].spec, &devs->info[i], o, &res[i]) == WEFT_OK) continue;
        fprintf(stderr, "weft: bench: %s: %s\n", devs->info[i].spec, res[i].error);
        failed = 1;
    }
    return failed;
}

static int run_bench(const cli_command *cmd, cli_args *a)
{
    if (a->set[OPT_JSON] && a->set[OPT_CSV]) {
        fprintf(stderr, "weft bench: --json and --csv exclude each other\n");
        return WEFT_EXIT_USAGE;
    }
    weft_context *ctx = cli_context(a);
    if (!ctx) return WEFT_EXIT_INTERNAL;
    weft_context_set_device(ctx, "cpu"); /* the suite's own inputs; each device is named per run */
    weft_bench_options o;
    weft_bench_options_default(&o);
    o.repeat = (int)a->num[OPT_REPEAT];
    o.quick = a->set[OPT_QUICK];
    o.seed = (uint64_t)a->num[OPT_SEED];
    weft_bench_data *data = NULL;
    device_list *devs = calloc(1, sizeof *devs);
    weft_bench_device *res = calloc(MAX_DEVICES, sizeof *res);
    int rc = devs && res ? choose_devices(ctx, a, devs) : cli_fail(ctx, WEFT_ERR_NOMEM, "bench");
    if (!rc) {
        int st = weft_bench_data_create(ctx, &o, &data);
        if (st) rc = cli_fail(ctx, st, "bench");
    }
    if (!rc) {
        int failed = run_devices(ctx, data, devs, &o, res);
        print_results(ctx, a, &o, res, devs->n);
        rc = failed ? WEFT_EXIT_INTERNAL : WEFT_EXIT_SOLVED;
    }
    weft_bench_data_destroy(ctx, &data);
    free(devs);
    free(res);
    weft_context_destroy(&ctx);
    return rc;
}

static const cli_key bench_keys[] = {OPT_DEVICE, OPT_REPEAT, OPT_QUICK, OPT_SEED, OPT_JSON, OPT_CSV, OPT_THREADS,
                                     OPT_QUIET, OPT_VERBOSE, OPT_NO_CACHE, OPT_PRINT_OPTIONS, OPT_HELP, OPT_COUNT};
const cli_command weft_cmd_bench = {"bench", "",
                                    "a fixed suite on each --device (repeatable; none or 'all': cpu and every "
                                    "OpenCL fp64 device; $WEFT_DEVICE not used)",
                                    bench_keys, 0, 0, run_bench};
