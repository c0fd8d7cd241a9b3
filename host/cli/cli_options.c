#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const cli_option weft_cli_options[OPT_COUNT] = {
    [OPT_DEVICE] = {"device", 0, CLI_STRING, 0, 0, NULL,
                    "auto | cpu | cl:gpu | cl:cpu | cl:P:D (default: $WEFT_DEVICE, else auto)"},
    [OPT_TOL] = {"tol", 0, CLI_DOUBLE, 1e-12, 1, "1e-4", "relative KKT tolerance"},
    [OPT_TIME_LIMIT] = {"time-limit", 0, CLI_DOUBLE, 0, 1e9, "0", "seconds, 0 = none"},
    [OPT_ITER_LIMIT] = {"iteration-limit", 0, CLI_INT, 0, 1e15, "0", "iterations, 0 = none"},
    [OPT_SEED] = {"seed", 0, CLI_INT, 0, 4294967295.0, "1", "random seed"},
    [OPT_THREADS] = {"threads", 0, CLI_INT, 0, 4096, "0", "CPU threads, 0 = all cores"},
    [OPT_JSON] = {"json", 0, CLI_BOOL, 0, 1, NULL, "one JSON object on stdout, log on stderr"},
    [OPT_QUIET] = {"quiet", 'q', CLI_BOOL, 0, 1, NULL, "errors only"},
    [OPT_VERBOSE] = {"verbose", 'v', CLI_BOOL, 0, 1, NULL, "more detail (iteration log)"},
    [OPT_OUTPUT] = {"output", 'o', CLI_STRING, 0, 0, NULL, "output file"},
    [OPT_PRINT_OPTIONS] = {"print-options", 0, CLI_BOOL, 0, 1, NULL,
                           "print every option with its value and exit"},
    [OPT_NO_CACHE] = {"no-cache", 0, CLI_BOOL, 0, 1, NULL, "do not cache OpenCL program binaries"},
    [OPT_NO_PRESOLVE] = {"no-presolve", 0, CLI_BOOL, 0, 1, NULL, "solve the problem as given, without presolve"},
    [OPT_NO_POLISH] = {"no-polish", 0, CLI_BOOL, 0, 1, NULL, "no feasibility polishing once the gap is met"},
    [OPT_WRITE_PRESOLVED] = {"write-presolved", 0, CLI_STRING, 0, 0, NULL,
                             "write the presolved problem as free MPS to this file instead of solving"},
    [OPT_PERIODS] = {"periods", 0, CLI_INT, 1, 100000, NULL, "number of periods to solve"},
    [OPT_POINTS] = {"points", 0, CLI_STRING, 0, 0, NULL, "points of interest file"},
    [OPT_LOCAL_SEARCH] = {"local-search", 0, CLI_STRING, 0, 0, "auto",
                          "auto (batched on an OpenCL device, else first) | first | batched"},
    [OPT_OBJECTIVE] = {"objective", 0, CLI_STRING, 0, 0, "cost", "cost | vehicles-then-cost"},
    [OPT_MODEL] = {"model", 0, CLI_STRING, 0, 0, "matpower", "DC model: matpower | powermodels"},
    [OPT_BATCH_SIZE] = {"batch-size", 0, CLI_INT, 1, 100000, "8", "problems solved together"},
    [OPT_CSV] = {"csv", 0, CLI_BOOL, 0, 1, NULL, "CSV on stdout"},
    [OPT_NODES] = {"nodes", 0, CLI_INT, 100, 50000000, "10000", "node count of a generated road network"},
    [OPT_ROUNDING] = {"rounding", 0, CLI_STRING, 0, 0, NULL,
                      "distances from coordinates: round | trunc1 | exact (default: the set's own)"},
    [OPT_SVG] = {"svg", 0, CLI_STRING, 0, 0, NULL, "write an SVG map of the routes"},
    [OPT_HELP] = {"help", 'h', CLI_BOOL, 0, 1, NULL, "this help"},
    [OPT_BUSES] = {"buses", 0, CLI_INT, 24, 100000, "300", "buses of the generated Kunshan grid"},
    [OPT_CUSTOMERS] = {"customers", 0, CLI_INT, 1, 20000, "300", "deliveries of the generated Kunshan scenario"},
    [OPT_ROAD_NODES] = {"road-nodes", 0, CLI_INT, 2000, 50000000, "30000",
                         "road graph size of the generated Kunshan scenario"},
    [OPT_SHARD] = {"shard", 0, CLI_STRING, 0, 0, NULL, "I/N: solve only block I of N of the scenarios (job arrays)"},
    [OPT_DAYS] = {"days", 0, CLI_INT, 1, 1000000, "30", "days (scenarios) to generate"},
    [OPT_NO_WARM_START] = {"no-warm-start", 0, CLI_BOOL, 0, 1, NULL,
                           "start every problem cold (default: from a finished neighbour's solution)"},
    [OPT_BATCH_ENGINE] = {"batch-engine", 0, CLI_STRING, 0, 0, "auto",
                          "auto | blocked (n x K blocks) | parallel (one solve per thread); auto: blocked on OpenCL, parallel on cpu"},
    [OPT_MPS_DIR] = {"write-mps-dir", 0, CLI_STRING, 0, 0, NULL,
                     "write each scenario's LP as DIR/scenario_NNNNNN.mps (free MPS) instead of solving"},
    [OPT_REPEAT] = {"repeat", 0, CLI_INT, 1, 1000, "5", "timed repetitions per item"},
    [OPT_QUICK] = {"quick", 0, CLI_BOOL, 0, 1, NULL, "small problems: a smoke test of seconds"},
    [OPT_WRITE_MPS] = {"write-mps", 0, CLI_STRING, 0, 0, NULL, "also write the model as free MPS (QUADOBJ) to this file"},
};

void cli_print_help(const cli_command *cmd, FILE *f)
{
    fprintf(f, "usage: weft %s [options] %s\n  %s\n\noptions:\n", cmd->name, cmd->usage, cmd->summary);
    for (const cli_key *k = cmd->keys; *k != OPT_COUNT; k++) {
        const cli_option *o = &weft_cli_options[*k];
        char lhs[64];
        const char *arg = o->type == CLI_BOOL ? "" : o->type == CLI_STRING ? " S" : " N";
        if (o->short_name) snprintf(lhs, sizeof lhs, "-%c, --%s%s", o->short_name, o->name, arg);
        else snprintf(lhs, sizeof lhs, "    --%s%s", o->name, arg);
        fprintf(f, "  %-26s %s", lhs, o->help);
        if (o->def && o->type != CLI_BOOL) fprintf(f, " [%s]", o->def);
        fputc('\n', f);
    }
}

static int parse_value(const cli_command *cmd, cli_key k, const char *text, cli_args *a)
{
    const cli_option *o = &weft_cli_options[k];
    a->str[k] = text;
    if (o->type == CLI_STRING) return 0;
    if (o->type == CLI_BOOL) {
        a->num[k] = 1;
        return 0;
    }
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end || !isfinite(v) || v < o->lo || v > o->hi ||
        (o->type == CLI_INT && v != floor(v))) {
        fprintf(stderr, "weft %s: --%s: '%s' is not %s in [%g, %g]\n", cmd->name, o->name, text,
                o->type == CLI_INT ? "an integer" : "a number", o->lo, o->hi);
        return -1;
    }
    a->num[k] = v;
    return 0;
}

static void print_options(const cli_command *cmd, const cli_args *a)
{
    for (const cli_key *k = cmd->keys; *k != OPT_COUNT; k++) {
        const cli_option *o = &weft_cli_options[*k];
        if (*k == OPT_HELP || *k == OPT_PRINT_OPTIONS) continue;
        const char *v = a->str[*k] ? a->str[*k] : (o->type == CLI_BOOL ? "false" : "(unset)");
        if (o->type == CLI_BOOL && a->set[*k]) v = "true";
        printf("%s = %s\n", o->name, v);
    }
}

int cli_parse(const cli_command *cmd, int argc, char **argv, cli_args *a)
{
    struct option longs[OPT_COUNT + 1];
    char shorts[2 * OPT_COUNT + 2] = ""; /* GNU order: options may follow the arguments */
    int nl = 0;
    memset(a, 0, sizeof *a);
    for (const cli_key *k = cmd->keys; *k != OPT_COUNT; k++) {
        const cli_option *o = &weft_cli_options[*k];
        longs[nl++] = (struct option){o->name, o->type == CLI_BOOL ? no_argument : required_argument,
                                      NULL, 1000 + *k};
        if (o->short_name) {
            size_t l = strlen(shorts);
            shorts[l] = o->short_name;
            shorts[l + 1] = o->type == CLI_BOOL ? 0 : ':';
            shorts[l + 2] = 0;
        }
        if (o->def) {
            a->str[*k] = o->def;
            if (o->type != CLI_STRING) a->num[*k] = strtod(o->def, NULL);
        }
    }
    longs[nl] = (struct option){0, 0, 0, 0};
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        int key = -1;
        if (c >= 1000) key = c - 1000;
        else
            for (const cli_key *k = cmd->keys; *k != OPT_COUNT; k++)
                if (weft_cli_options[*k].short_name == c) key = *k;
        if (key < 0) {
            const char *bad = argv[optind - 1];
            fprintf(stderr, "weft %s: unknown or incomplete option '%s' (see weft %s --help)\n",
                    cmd->name, bad ? bad : "?", cmd->name);
            return WEFT_EXIT_USAGE;
        }
        a->set[key] = 1;
        const char *text = weft_cli_options[key].type == CLI_BOOL ? "true" : optarg;
        if (a->count[key] == CLI_MAX_REPEAT) {
            fprintf(stderr, "weft %s: --%s given more than %d times\n", cmd->name, weft_cli_options[key].name,
                    CLI_MAX_REPEAT);
            return WEFT_EXIT_USAGE;
        }
        a->all[key][a->count[key]++] = text;
        if (parse_value(cmd, (cli_key)key, text, a)) return WEFT_EXIT_USAGE;
    }
    if (a->set[OPT_HELP]) {
        cli_print_help(cmd, stdout);
        return 0;
    }
    if (a->set[OPT_PRINT_OPTIONS]) {
        print_options(cmd, a);
        return 0;
    }
    a->pos = argv + optind;
    a->npos = argc - optind;
    if (a->npos < cmd->min_pos || a->npos > cmd->max_pos) {
        fprintf(stderr, "weft %s: expected %s (see weft %s --help)\n", cmd->name,
                *cmd->usage ? cmd->usage : "no arguments", cmd->name);
        return WEFT_EXIT_USAGE;
    }
    return -1;
}

weft_context *cli_context(const cli_args *a)
{
    weft_context *ctx = NULL;
    if (weft_context_create(&ctx, NULL) != WEFT_OK) {
        fprintf(stderr, "weft: out of memory\n");
        return NULL;
    }
    weft_log_level lvl = WEFT_LOG_INFO;
    if (a->set[OPT_QUIET]) lvl = WEFT_LOG_ERROR;
    if (a->set[OPT_VERBOSE]) lvl = WEFT_LOG_DETAIL;
    weft_context_set_log_level(ctx, lvl);
    if (a->set[OPT_DEVICE] && weft_context_set_device(ctx, a->str[OPT_DEVICE]) != WEFT_OK) {
        fprintf(stderr, "weft: --device: '%s' is too long\n", a->str[OPT_DEVICE]);
        weft_context_destroy(&ctx);
        return NULL;
    }
    if (a->set[OPT_THREADS]) weft_context_set_threads(ctx, (int)a->num[OPT_THREADS]);
    if (a->set[OPT_NO_CACHE]) weft_context_set_cache_dir(ctx, NULL);
    return ctx;
}

int cli_fail(weft_context *ctx, int status, const char *what)
{
    const char *msg = ctx ? weft_context_last_error(ctx) : "";
    fprintf(stderr, "weft: %s: %s\n", what, *msg ? msg : weft_status_string(status));
    const char *detail = ctx ? weft_context_last_error_detail(ctx) : "";
    if (*detail && ctx && weft_context_log_level(ctx) >= WEFT_LOG_DETAIL) fprintf(stderr, "%s\n", detail);
    switch (status) {
    case WEFT_ERR_IO: case WEFT_ERR_PARSE: case WEFT_ERR_BAD_INPUT: case WEFT_ERR_INVALID_ARG:
    case WEFT_ERR_UNSUPPORTED: case WEFT_ERR_OVERFLOW:
        return WEFT_EXIT_USAGE;
    default:
        return WEFT_EXIT_INTERNAL;
    }
}

int cli_exit_for_outcome(weft_lp_outcome o)
{
    switch (o) {
    case WEFT_LP_OPTIMAL: return WEFT_EXIT_SOLVED;
    case WEFT_LP_PRIMAL_INFEASIBLE: case WEFT_LP_DUAL_INFEASIBLE: return WEFT_EXIT_INFEASIBLE;
    case WEFT_LP_NUMERICAL_ERROR: return WEFT_EXIT_INTERNAL;
    default: return WEFT_EXIT_LIMIT;
    }
}
