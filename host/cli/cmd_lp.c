#include "cli.h"

static int run_lp(const cli_command *cmd, cli_args *a)
{
    fprintf(stderr, "weft lp: not built yet\n");
    return WEFT_EXIT_INTERNAL;
}

static const cli_key lp_keys[] = {OPT_DEVICE, OPT_TOL, OPT_TIME_LIMIT, OPT_ITER_LIMIT, OPT_THREADS,
                                  OPT_JSON, OPT_QUIET, OPT_VERBOSE, OPT_OUTPUT, OPT_NO_CACHE,
                                  OPT_PRINT_OPTIONS, OPT_HELP, OPT_COUNT};
const cli_command weft_cmd_lp = {"lp", "FILE.mps", "solve an LP/QP from MPS", lp_keys, 1, 1, run_lp};
