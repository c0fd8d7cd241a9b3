/* weft import FORMAT FILE -o OUT.h5: one reader per format, found in a table. */
#include <string.h>

#include "cli.h"

typedef int (*import_fn)(weft_context *ctx, const cli_args *a, const char *in, const char *out);

/* --rounding as a distance convention; -1 when unset, -2 when unknown. */
static int rounding(const cli_args *a)
{
    if (!a->set[OPT_ROUNDING]) return -1;
    int d = weft_vrp_distance_parse(a->str[OPT_ROUNDING]);
    return d < 0 || d == WEFT_VRP_DIST_MATRIX ? -2 : d;
}

static int write_vrp(weft_context *ctx, weft_vrp *v, const char *in, const char *out, int st)
{
    if (!st) st = weft_write_fleet(ctx, v, out);
    if (!st && weft_context_log_level(ctx) >= WEFT_LOG_INFO)
        fprintf(stderr, "%s: %d customers, %d depots, %d vehicle types, distances %s -> %s\n", in,
                v->n_customers, v->n_depots, v->n_types, weft_vrp_distance_name(v->convention), out);
    weft_vrp_destroy(ctx, &v);
    return st;
}

static int import_cvrplib(weft_context *ctx, const cli_args *a, const char *in, const char *out)
{
    weft_vrp *v = NULL;
    int st = weft_read_vrplib(ctx, in, rounding(a), &v);
    return write_vrp(ctx, v, in, out, st);
}

static int import_solomon(weft_context *ctx, const cli_args *a, const char *in, const char *out)
{
    int r = rounding(a);
    weft_vrp *v = NULL;
    int st = weft_read_solomon(ctx, in, r == WEFT_VRP_DIST_EXACT ? WEFT_SOLOMON_EXACT : WEFT_SOLOMON_TRUNC1, &v);
    return write_vrp(ctx, v, in, out, st);
}

static const struct {
    const char *format;
    import_fn fn;
} importers[] = {
    {"cvrplib", import_cvrplib},
    {"solomon", import_solomon},
};

static int run_import(const cli_command *cmd, cli_args *a)
{
    const char *format = a->pos[0], *in = a->pos[1], *out = a->str[OPT_OUTPUT];
    if (!out) {
        fprintf(stderr, "weft import: -o OUT.h5 is required\n");
        return WEFT_EXIT_USAGE;
    }
    if (rounding(a) == WEFT_VRP_DIST_ROUND && !strcmp(format, "solomon")) {
        fprintf(stderr, "weft import: --rounding: Solomon distances are trunc1 or exact\n");
        return WEFT_EXIT_USAGE;
    }
    if (rounding(a) == -2) {
        fprintf(stderr, "weft import: --rounding '%s' is not round | trunc1 | exact\n", a->str[OPT_ROUNDING]);
        return WEFT_EXIT_USAGE;
    }
    for (size_t i = 0; i < sizeof importers / sizeof *importers; i++) {
        if (strcmp(format, importers[i].format)) continue;
        weft_context *ctx = cli_context(a);
        if (!ctx) return WEFT_EXIT_INTERNAL;
        int st = importers[i].fn(ctx, a, in, out);
        int rc = st ? cli_fail(ctx, st, "import") : WEFT_EXIT_SOLVED;
        weft_context_destroy(&ctx);
        return rc;
    }
    fprintf(stderr, "weft import: unknown format '%s' (known:", format);
    for (size_t i = 0; i < sizeof importers / sizeof *importers; i++) fprintf(stderr, " %s", importers[i].format);
    fprintf(stderr, ")\n");
    return WEFT_EXIT_USAGE;
}

static const cli_key import_keys[] = {OPT_OUTPUT, OPT_ROUNDING, OPT_QUIET, OPT_VERBOSE, OPT_PRINT_OPTIONS,
                                      OPT_HELP, OPT_COUNT};
const cli_command weft_cmd_import = {"import", "FORMAT FILE", "import a file (cvrplib | solomon) into HDF5",
                                     import_keys, 2, 2, run_import};
