/* weft import FORMAT FILE -o OUT.h5: one row per format in the table below. */
#include <string.h>

#include "cli.h"
#include "weft/grid.h"

typedef int (*import_fn)(weft_context *ctx, const char *in, const char *out);

static int import_matpower(weft_context *ctx, const char *in, const char *out)
{
    weft_grid *g = NULL;
    int st = weft_matpower_read(ctx, in, &g);
    if (!st) st = weft_grid_write_h5(ctx, g, out);
    weft_grid_destroy(ctx, &g);
    return st;
}

static const struct {
    const char *format;
    import_fn run;
    const char *what;
} importers[] = {
    {"matpower", import_matpower, "MATPOWER case (.m) -> /grid"},
};

static int run_import(const cli_command *cmd, cli_args *a)
{
    const char *format = a->pos[0], *in = a->pos[1], *out = a->str[OPT_OUTPUT];
    if (!a->set[OPT_OUTPUT]) {
        fprintf(stderr, "weft import: -o OUT.h5 is required\n");
        return WEFT_EXIT_USAGE;
    }
    for (size_t i = 0; i < sizeof importers / sizeof *importers; i++) {
        if (strcmp(format, importers[i].format)) continue;
        weft_context *ctx = cli_context(a);
        if (!ctx) return WEFT_EXIT_INTERNAL;
        int st = importers[i].run(ctx, in, out);
        int rc = st < 0 ? cli_fail(ctx, st, "import") : WEFT_EXIT_SOLVED;
        if (!st && !a->set[OPT_QUIET]) fprintf(stderr, "weft import: %s -> %s\n", in, out);
        weft_context_destroy(&ctx);
        return rc;
    }
    fprintf(stderr, "weft import: unknown format '%s'; known:", format);
    for (size_t i = 0; i < sizeof importers / sizeof *importers; i++)
        fprintf(stderr, " %s (%s)", importers[i].format, importers[i].what);
    fputc('\n', stderr);
    return WEFT_EXIT_USAGE;
}

static const cli_key import_keys[] = {OPT_OUTPUT, OPT_QUIET, OPT_VERBOSE, OPT_PRINT_OPTIONS, OPT_HELP, OPT_COUNT};
const cli_command weft_cmd_import = {"import", "FORMAT FILE -o OUT.h5", "convert a file to weft HDF5", import_keys,
                                     2, 2, run_import};
