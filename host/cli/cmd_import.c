/* weft import FORMAT FILE... -o OUT.h5: one entry per format in the table below. */
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "run_job.h"
#include "weft/grid.h"
#include "weft/route.h"
#include "weft/scenarios.h"

typedef struct import_format {
    const char *name;
    int min_files, max_files;
    const char *files; /* usage of the positional files */
    int (*run)(weft_context *ctx, cli_args *a, char **files, int n_files, const char *out);
} import_format;

/* Writes the graph and prints its size (JSON or a log line); extra (may be NULL) joins the JSON. */
static int finish_roads(weft_context *ctx, cli_args *a, weft_roads **r, const char *format, const char *out,
                        json_t *extra)
{
    int st = weft_roads_write_h5(ctx, *r, out);
    if (st) {
        json_decref(extra);
        weft_roads_destroy(r);
        return cli_fail(ctx, st, "import");
    }
    if (a->set[OPT_JSON]) {
        json_t *j = json_pack("{s:s, s:s, s:s, s:i, s:i, s:s}", "status", "ok", "format", format, "output", out,
                              "nodes", (json_int_t)(*r)->n_nodes, "edges", (json_int_t)(*r)->n_edges, "coords",
                              (*r)->coords == WEFT_COORDS_LONLAT ? "lonlat" : "planar");
        if (extra) json_object_update(j, extra);
        json_dumpf(j, stdout, JSON_COMPACT);
        putchar('\n');
        json_decref(j);
    } else {
        fprintf(stderr, "weft import %s: %d nodes, %d edges -> %s\n", format, (*r)->n_nodes, (*r)->n_edges, out);
    }
    json_decref(extra);
    weft_roads_destroy(r);
    return WEFT_EXIT_SOLVED;
}

static int import_osm(weft_context *ctx, cli_args *a, char **files, int n_files, const char *out)
{
    weft_roads *r = NULL;
    weft_osm_stats s;
    int st = weft_roads_import_osm(ctx, files[0], &s, &r);
    if (st) return cli_fail(ctx, st, "import osm");
    json_t *extra = json_pack("{s:I, s:i, s:i, s:I}", "car_ways", (json_int_t)s.car_ways, "dropped_nodes",
                              (int)s.dropped_nodes, "dropped_edges", (int)s.dropped_edges, "missing_refs",
                              (json_int_t)s.missing_refs);
    return finish_roads(ctx, a, &r, "osm", out, extra);
}

static int import_dimacs(weft_context *ctx, cli_args *a, char **files, int n_files, const char *out)
{
    weft_roads *r = NULL;
    int st = weft_roads_import_dimacs(ctx, files[0], n_files > 1 ? files[1] : NULL, &r);
    return st ? cli_fail(ctx, st, "import dimacs") : finish_roads(ctx, a, &r, "dimacs", out, NULL);
}

/* synthetic: the generator's defaults; kunshan: its Kunshan-region towns. */
static int import_generated(weft_context *ctx, cli_args *a, const char *format, const char *out)
{
    weft_roads_gen_options o;
    weft_roads_gen_defaults(&o);
    if (!strcmp(format, "kunshan")) weft_roads_gen_kunshan(&o);
    o.n_nodes = (int32_t)a->num[OPT_NODES];
    o.seed = (uint64_t)a->num[OPT_SEED];
    weft_roads *r = NULL;
    int st = weft_roads_generate(ctx, &o, &r);
    return st ? cli_fail(ctx, st, "import") : finish_roads(ctx, a, &r, format, out, NULL);
}

static int import_synthetic(weft_context *ctx, cli_args *a, char **files, int n_files, const char *out)
{
    return import_generated(ctx, a, "synthetic", out);
}

static int import_kunshan(weft_context *ctx, cli_args *a, char **files, int n_files, const char *out)
{
    return import_generated(ctx, a, "kunshan", out);
}

static int import_matpower(weft_context *ctx, cli_args *a, char **files, int n_files, const char *out)
{
    weft_grid *g = NULL;
    int st = weft_matpower_read(ctx, files[0], &g);
    if (st >= 0) st = weft_grid_write_h5(ctx, g, out);
    weft_grid_destroy(ctx, &g);
    if (st < 0) return cli_fail(ctx, st, "import matpower");
    if (!a->set[OPT_QUIET]) fprintf(stderr, "weft import matpower: %s -> %s\n", files[0], out);
    return WEFT_EXIT_SOLVED;
}

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
    return st ? cli_fail(ctx, st, "import") : WEFT_EXIT_SOLVED;
}

static int bad_rounding(const cli_args *a, int solomon)
{
    int r = rounding(a);
    if (r == -2) {
        fprintf(stderr, "weft import: --rounding '%s' is not round | trunc1 | exact\n", a->str[OPT_ROUNDING]);
        return 1;
    }
    if (solomon && r == WEFT_VRP_DIST_ROUND) {
        fprintf(stderr, "weft import: --rounding: Solomon distances are trunc1 or exact\n");
        return 1;
    }
    return 0;
}

static int import_cvrplib(weft_context *ctx, cli_args *a, char **files, int n_files, const char *out)
{
    if (bad_rounding(a, 0)) return WEFT_EXIT_USAGE;
    weft_vrp *v = NULL;
    int st = weft_read_vrplib(ctx, files[0], rounding(a), &v);
    return write_vrp(ctx, v, files[0], out, st);
}

static int import_solomon(weft_context *ctx, cli_args *a, char **files, int n_files, const char *out)
{
    if (bad_rounding(a, 1)) return WEFT_EXIT_USAGE;
    int r = rounding(a);
    weft_vrp *v = NULL;
    int st = weft_read_solomon(ctx, files[0], r == WEFT_VRP_DIST_EXACT ? WEFT_SOLOMON_EXACT : WEFT_SOLOMON_TRUNC1, &v);
    return write_vrp(ctx, v, files[0], out, st);
}

/* The whole Kunshan job (SYNTHETIC): grid, roads, deliveries and their matrix in one file. */
static int import_kunshan_job(weft_context *ctx, cli_args *a, char **files, int n_files, const char *out)
{
    weft_kunshan_options o;
    weft_kunshan k;
    run_kunshan_options(a, &o);
    int st = weft_kunshan_build(ctx, &o, &k);
    if (!st) st = weft_kunshan_write_job(ctx, &k, out);
    if (!st && !a->set[OPT_QUIET])
        fprintf(stderr, "weft import kunshan-job: %d buses, %d deliveries, %d road nodes (SYNTHETIC) -> %s\n",
                k.grid->n_bus, k.vrp->n_customers, k.roads->n_nodes, out);
    if (!st) weft_kunshan_free(ctx, &k);
    return st ? cli_fail(ctx, st, "import kunshan-job") : WEFT_EXIT_SOLVED;
}

/* SYNTHETIC daily scenarios on a grid file's /grid (a matpower import or a kunshan-job file). */
static int import_scenarios(weft_context *ctx, cli_args *a, char **files, int n_files, const char *out)
{
    weft_grid *g = NULL;
    weft_scenarios *s = NULL;
    weft_scenario_gen_options o = {(int32_t)a->num[OPT_DAYS], (uint64_t)a->num[OPT_SEED], 0};
    int st = weft_grid_read_h5(ctx, files[0], &g);
    if (!st) st = weft_scenarios_generate(ctx, g, &o, &s);
    if (!st) st = weft_scenarios_write_h5(ctx, s, files[0], 1, out);
    if (!st && !a->set[OPT_QUIET])
        fprintf(stderr, "weft import scenarios: %d days x 24 periods on %d buses (SYNTHETIC) -> %s\n", o.days, g->n_bus, out);
    weft_scenarios_destroy(ctx, &s);
    weft_grid_destroy(ctx, &g);
    return st ? cli_fail(ctx, st, "import scenarios") : WEFT_EXIT_SOLVED;
}

static const import_format formats[] = {
    {"matpower", 1, 1, "CASE.m", import_matpower},
    {"cvrplib", 1, 1, "X.vrp", import_cvrplib},
    {"solomon", 1, 1, "R101.txt", import_solomon},
    {"osm", 1, 1, "REGION.osm.pbf", import_osm},
    {"dimacs", 1, 2, "GRAPH.gr [COORDS.co]", import_dimacs},
    {"synthetic", 0, 0, "(--nodes N --seed S)", import_synthetic},
    {"kunshan", 0, 0, "(--nodes N --seed S; synthetic Kunshan region)", import_kunshan},
    {"kunshan-job", 0, 0, "(--buses N --customers N --road-nodes N --seed S; the synthetic Kunshan job)",
     import_kunshan_job},
    {"scenarios", 1, 1, "GRID.h5 (--days N --seed S; synthetic daily scenarios)", import_scenarios},
};

static int run_import(const cli_command *cmd, cli_args *a)
{
    const import_format *f = NULL;
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
        if (!strcmp(a->pos[0], formats[i].name)) f = &formats[i];
    if (!f) {
        fprintf(stderr, "weft import: unknown format '%s' (known:", a->pos[0]);
        for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) fprintf(stderr, " %s", formats[i].name);
        fprintf(stderr, ")\n");
        return WEFT_EXIT_USAGE;
    }
    int nf = a->npos - 1;
    if (nf < f->min_files || nf > f->max_files || !a->set[OPT_OUTPUT]) {
        fprintf(stderr, "weft import %s: usage: weft import %s %s -o OUT.h5\n", f->name, f->name, f->files);
        return WEFT_EXIT_USAGE;
    }
    weft_context *ctx = cli_context(a);
    if (!ctx) return WEFT_EXIT_INTERNAL;
    int rc = f->run(ctx, a, a->pos + 1, nf, a->str[OPT_OUTPUT]);
    weft_context_destroy(&ctx);
    return rc;
}

static const cli_key import_keys[] = {OPT_OUTPUT, OPT_NODES, OPT_BUSES, OPT_CUSTOMERS, OPT_ROAD_NODES, OPT_SEED, OPT_DAYS,
                                      OPT_ROUNDING, OPT_JSON, OPT_QUIET, OPT_VERBOSE,
                                      OPT_PRINT_OPTIONS, OPT_HELP, OPT_COUNT};
const cli_command weft_cmd_import = {"import", "FORMAT [FILE..] -o F",
                                     "convert matpower | cvrplib | solomon | osm | dimacs | synthetic | kunshan | kunshan-job | scenarios into weft HDF5",
                                     import_keys, 1, 3,
                                     run_import};
