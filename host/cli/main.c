/* weft: the command line. Each subcommand lives in its own file and is listed here. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const cli_command *const commands[] = {
    &weft_cmd_run,
    &weft_cmd_lp,
    &weft_cmd_devices,
    &weft_cmd_import,
    &weft_cmd_dispatch,
    &weft_cmd_matrix,
    &weft_cmd_route,
    &weft_cmd_batch,
    &weft_cmd_bench,
};

static void usage(FILE *f)
{
    fprintf(f, "weft %s: optimization for regional logistics and energy\n\nusage: weft COMMAND [options]\n\n",
            WEFT_VERSION_STRING);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-9s %-22s %s\n", commands[i]->name, commands[i]->usage, commands[i]->summary);
    fprintf(f, "\n'weft COMMAND --help' lists a command's options. Exit codes: 0 solved, 1 limit reached or "
               "not to tolerance, 2 bad input or usage, 3 infeasible or unbounded, 4 internal or device error.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return WEFT_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("weft %s\n", WEFT_VERSION_STRING);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        const cli_command *cmd = commands[i];
        if (strcmp(argv[1], cmd->name)) continue;
        cli_args args;
        int rc = cli_parse(cmd, argc - 1, argv + 1, &args);
        if (rc >= 0) return rc;
        return cmd->run(cmd, &args);
    }
    fprintf(stderr, "weft: unknown command '%s' (see weft --help)\n", argv[1]);
    return WEFT_EXIT_USAGE;
}
