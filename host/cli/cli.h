/* The weft command: subcommands and the typed options registry they share.
 * Every option is declared once in cli_options.c (name, type, range, default, help); the parser,
 * --help, --print-options and the JSON echo all read that one table. */
#ifndef WEFT_CLI_H
#define WEFT_CLI_H

#include <stdio.h>
#include "weft/weft.h"

/* Exit codes (DESIGN.md). */
enum {
    WEFT_EXIT_SOLVED = 0,
    WEFT_EXIT_LIMIT = 1,      /* solved but not to tolerance, or a limit was reached */
    WEFT_EXIT_USAGE = 2,      /* bad input or usage */
    WEFT_EXIT_INFEASIBLE = 3, /* infeasible or unbounded */
    WEFT_EXIT_INTERNAL = 4    /* internal or device error */
};

typedef enum { CLI_BOOL, CLI_INT, CLI_DOUBLE, CLI_STRING } cli_type;

typedef enum {
    OPT_DEVICE = 0, OPT_TOL, OPT_TIME_LIMIT, OPT_ITER_LIMIT, OPT_SEED, OPT_THREADS, OPT_JSON,
    OPT_QUIET, OPT_VERBOSE, OPT_OUTPUT, OPT_PRINT_OPTIONS, OPT_NO_CACHE, OPT_PERIODS,
    OPT_POINTS, OPT_OBJECTIVE, OPT_MODEL, OPT_BATCH_SIZE, OPT_CSV, OPT_HELP,
    OPT_NODES,
    OPT_ROUNDING,
    OPT_SVG,
    OPT_WRITE_MPS,
    OPT_BUSES,
    OPT_CUSTOMERS,
    OPT_ROAD_NODES,
    OPT_LOCAL_SEARCH,
    OPT_SHARD,
    OPT_DAYS,
    OPT_NO_WARM_START,
    OPT_MPS_DIR,
    OPT_BATCH_ENGINE,
    OPT_REPEAT,
    OPT_QUICK,
    OPT_NO_PRESOLVE,
    OPT_NO_POLISH,
    OPT_WRITE_PRESOLVED,
    OPT_COUNT
} cli_key;

typedef struct cli_option {
    const char *name;
    char short_name; /* 0 if none */
    cli_type type;
    double lo, hi;   /* range for numbers */
    const char *def; /* default as text; NULL = unset */
    const char *help;
} cli_option;

extern const cli_option weft_cli_options[OPT_COUNT];

#define CLI_MAX_REPEAT 16

typedef struct cli_args {
    int set[OPT_COUNT];
    const char *str[OPT_COUNT]; /* raw text (default if unset); the last one when given again */
    double num[OPT_COUNT];      /* parsed number for BOOL/INT/DOUBLE */
    int count[OPT_COUNT];       /* times given, at most CLI_MAX_REPEAT */
    const char *all[OPT_COUNT][CLI_MAX_REPEAT]; /* each text given, in order (weft bench --device) */
    char **pos;
    int npos;
} cli_args;

typedef struct cli_command {
    const char *name;
    const char *usage;    /* "FILE.mps" */
    const char *summary;  /* one line */
    const cli_key *keys;  /* accepted options, ending with OPT_COUNT */
    int min_pos, max_pos;
    int (*run)(const struct cli_command *cmd, cli_args *args);
} cli_command;

/* Parses argv (after the subcommand name). Returns -1 on success, else an exit code to return
 * (0 after --help / --print-options, 2 on a usage error, with a one-line message printed). */
int cli_parse(const cli_command *cmd, int argc, char **argv, cli_args *args);
void cli_print_help(const cli_command *cmd, FILE *f);
/* A context set up from the common options (device, threads, log level, cache). NULL on failure. */
weft_context *cli_context(const cli_args *args);
/* Prints "weft: CONTEXT: message" for an error status and returns the matching exit code. */
int cli_fail(weft_context *ctx, int status, const char *what);
/* A device's metadata as `weft devices --json` prints it (cmd_devices.c). */
struct json_t *cli_device_json(const weft_device_info *d);
/* Exit code for an LP outcome. */
int cli_exit_for_outcome(weft_lp_outcome o);

/* Subcommands (one file each). */
extern const cli_command weft_cmd_run;
extern const cli_command weft_cmd_lp;
extern const cli_command weft_cmd_devices;
extern const cli_command weft_cmd_import;
extern const cli_command weft_cmd_dispatch;
extern const cli_command weft_cmd_matrix;
extern const cli_command weft_cmd_route;
extern const cli_command weft_cmd_batch;
extern const cli_command weft_cmd_bench;

#endif
