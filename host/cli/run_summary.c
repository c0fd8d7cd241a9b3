/* weft run's summary: the figures a planner reads first, as JSON (summary.json, --json) and as a
 * short table. Everything is computed from the solutions, in MW, MWh, km and CNY. */
#include <math.h>
#include <string.h>

#include "run_job.h"

typedef struct energy {
    double served, shed, solar, curtailed, imported, gas, peak_import;
    int peak_hour;
} energy;

static energy energy_of(const weft_grid *g, const weft_dcopf_result *d)
{
    energy e = {0};
    double h = g->period_h;
    e.peak_import = -1;
    for (int t = 0; t < d->T; t++) {
        int gt = t % g->n_periods;
        double imp = 0;
        for (int b = 0; b < g->n_bus; b++) {
            e.served += (g->load[(size_t)gt * g->n_bus + b] - d->shed[(size_t)t * g->n_bus + b]) * h;
            e.shed += d->shed[(size_t)t * g->n_bus + b] * h;
        }
        for (int k = 0; k < g->n_renewable; k++) {
            e.solar += d->renewable[(size_t)t * g->n_renewable + k] * h;
            e.curtailed += d->curtailment[(size_t)t * g->n_renewable + k] * h;
        }
        for (int k = 0; k < g->n_gen; k++) e.gas += d->pg[(size_t)t * g->n_gen + k] * h;
        for (int k = 0; k < g->n_tie; k++) imp += d->tie[(size_t)t * g->n_tie + k];
        e.imported += imp * h;
        if (imp > e.peak_import) e.peak_import = imp, e.peak_hour = t;
    }
    return e;
}

/* Lines at their limit in the period with the most of them, and the designed bottleneck at noon. */
static json_t *congestion(const run_job *j)
{
    const weft_grid *g = j->k.grid;
    const weft_dcopf_result *d = &j->d;
    json_t *o = json_object(), *noon = json_array();
    int noon_t = (int)lround(12 / g->period_h);
    for (int k = 0; k < d->n_binding; k++) {
        if (d->binding_period[k] != noon_t) continue;
        int b = d->binding_branch[k];
        size_t i = (size_t)noon_t * g->n_branch + b;
        json_array_append_new(noon, json_pack("{s:i, s:i, s:i, s:f, s:f, s:f}", "branch", b, "from_bus",
                                              g->bus_id[g->br_from[b]], "to_bus", g->bus_id[g->br_to[b]], "flow_mw",
                                              d->flow[i], "rating_mw", g->br_rate_a[b], "shadow_price", d->mu_flow[i]));
    }
    json_object_set_new(o, "binding_pairs", json_integer(d->n_binding));
    json_object_set_new(o, "at_noon", noon);
    json_object_set_new(o, "designed_bottleneck", j->k.congested_branch >= 0 ? json_integer(j->k.congested_branch) : json_null());
    return o;
}

static json_t *dispatch_json(const run_job *j)
{
    const weft_grid *g = j->k.grid;
    json_t *o = json_object();
    json_object_set_new(o, "status", json_string(weft_lp_outcome_string(j->lp.outcome)));
    json_object_set_new(o, "time_s", json_real(j->t_dispatch));
    json_object_set_new(o, "iterations", json_integer(j->lp.iterations));
    json_object_set_new(o, "device", json_string(j->lp.device));
    json_object_set_new(o, "tolerance", json_real(j->a->num[OPT_TOL]));
    json_object_set_new(o, "relative_kkt", json_pack("{s:f, s:f, s:f}", "primal", j->lp.primal_res_rel, "dual",
                                                     j->lp.dual_res_rel, "gap", j->lp.gap_rel));
    json_object_set_new(o, "periods", json_integer(j->model->T));
    json_object_set_new(o, "buses", json_integer(g->n_bus));
    json_object_set_new(o, "branches", json_integer(g->n_branch));
    if (!j->have_d) return o;
    energy e = energy_of(g, &j->d);
    json_object_set_new(o, "cost", json_real(j->d.objective));
    json_object_set_new(o, "energy_served_mwh", json_real(e.served));
    json_object_set_new(o, "load_shed_mwh", json_real(e.shed));
    json_object_set_new(o, "gas_mwh", json_real(e.gas));
    json_object_set_new(o, "import_mwh", json_real(e.imported));
    json_object_set_new(o, "peak_import_mw", json_real(e.peak_import));
    json_object_set_new(o, "peak_import_period", json_integer(e.peak_hour));
    json_object_set_new(o, "solar_mwh", json_real(e.solar));
    json_object_set_new(o, "curtailment_mwh", json_real(e.curtailed));
    json_object_set_new(o, "lmp_min", json_real(j->d.lmp_min));
    json_object_set_new(o, "lmp_max", json_real(j->d.lmp_max));
    json_object_set_new(o, "congestion", congestion(j));
    return o;
}

static json_t *vehicles_by_type(const weft_vrp *v, const weft_vrp_solution *s)
{
    json_t *o = json_object();
    for (int t = 0; t < v->n_types; t++) {
        int used = 0;
        for (int r = 0; r < s->n_routes; r++) used += s->route_type[r] == t;
        char fallback[32];
        snprintf(fallback, sizeof fallback, "type %d", t);
        json_object_set_new(o, v->type_name ? v->type_name[t] : fallback, json_integer(used));
    }
    return o;
}

static json_t *routing_json(const run_job *j)
{
    const weft_vrp_solution *s = j->sol;
    const weft_vrp *v = j->k.vrp;
    json_t *o = json_object();
    json_object_set_new(o, "status", json_string(!s->feasible ? "partial"
                                                 : j->vres.outcome == WEFT_VRP_TIME_LIMIT ? "time_limit"
                                                                                          : "iteration_limit"));
    json_object_set_new(o, "feasible", json_boolean(s->feasible));
    json_object_set_new(o, "time_s", json_real(j->t_route));
    json_object_set_new(o, "iterations", json_integer(j->vres.iterations));
    json_object_set_new(o, "device", json_string("cpu"));
    json_object_set_new(o, "deliveries", json_integer(v->n_customers));
    json_object_set_new(o, "cost", json_real(s->cost));
    json_object_set_new(o, "routes", json_integer(s->n_routes));
    json_object_set_new(o, "vehicles", vehicles_by_type(v, s));
    json_object_set_new(o, "distance_km", json_real(s->distance));
    json_object_set_new(o, "unserved", json_integer(s->n_unserved));
    json_object_set_new(o, "late", j->late >= 0 ? json_integer(j->late) : json_null());
    json_t *m = json_object();
    json_object_set_new(m, "points", json_integer(v->n_depots + v->n_customers));
    json_object_set_new(m, "source", json_string(j->matrix_generated ? "computed" : "job file"));
    json_object_set_new(m, "time_s", json_real(j->matrix_generated ? j->k.matrix_seconds : 0.0));
    json_object_set_new(o, "matrix", m);
    return o;
}

json_t *run_summary_json(const run_job *j, const char *results_path)
{
    json_t *o = json_object();
    json_object_set_new(o, "job", json_string(j->name));
    json_object_set_new(o, "source", json_string(j->source));
    json_object_set_new(o, "synthetic", json_boolean(j->synthetic));
    if (j->synthetic) json_object_set_new(o, "note", json_string(WEFT_KUNSHAN_LABEL));
    json_object_set_new(o, "currency", json_string("CNY"));
    json_object_set_new(o, "results", json_string(results_path));
    json_object_set_new(o, "load_time_s", json_real(j->t_load));
    int ok = (!j->have_lp || j->lp.outcome == WEFT_LP_OPTIMAL) && (!j->sol || j->sol->feasible);
    json_object_set_new(o, "status", json_string(ok ? "solved" : "limit"));
    json_object_set_new(o, "dispatch", j->have_lp ? dispatch_json(j) : json_null());
    json_object_set_new(o, "routing", j->sol ? routing_json(j) : json_null());
    return o;
}

static double num(const json_t *o, const char *key) { return json_number_value(json_object_get(o, key)); }

/* Prices within the solver's tolerance of zero print as 0, not -0.0. */
static double tidy(double v) { return fabs(v) < 0.05 ? 0 : v; }

static void print_dispatch(const json_t *d, FILE *f)
{
    fprintf(f, "dispatch     %s, %s, %.1f s, %lld iterations\n", json_string_value(json_object_get(d, "status")),
            json_string_value(json_object_get(d, "device")), num(d, "time_s"),
            (long long)json_integer_value(json_object_get(d, "iterations")));
    if (!json_object_get(d, "cost")) return;
    fprintf(f, "  cost               %14.0f CNY\n", num(d, "cost"));
    fprintf(f, "  energy served      %14.1f MWh (load shed %.1f MWh)\n", num(d, "energy_served_mwh"), num(d, "load_shed_mwh"));
    fprintf(f, "  gas / import / PV  %8.0f / %.0f / %.0f MWh\n", num(d, "gas_mwh"), num(d, "import_mwh"), num(d, "solar_mwh"));
    fprintf(f, "  peak import        %14.1f MW at %02lld:00\n", num(d, "peak_import_mw"),
            (long long)json_integer_value(json_object_get(d, "peak_import_period")));
    fprintf(f, "  curtailment        %14.1f MWh\n", num(d, "curtailment_mwh"));
    fprintf(f, "  LMP range          %8.1f .. %.1f CNY/MWh\n", tidy(num(d, "lmp_min")), tidy(num(d, "lmp_max")));
    const json_t *noon = json_object_get(json_object_get(d, "congestion"), "at_noon");
    size_t i;
    const json_t *b;
    json_array_foreach(noon, i, b)
        fprintf(f, "  congested at noon  branch %lld (bus %lld -> %lld) %.1f of %.1f MW, shadow price %.1f CNY/MWh\n",
                (long long)json_integer_value(json_object_get(b, "branch")),
                (long long)json_integer_value(json_object_get(b, "from_bus")),
                (long long)json_integer_value(json_object_get(b, "to_bus")), num(b, "flow_mw"), num(b, "rating_mw"),
                num(b, "shadow_price"));
}

static void print_routing(const json_t *r, FILE *f)
{
    fprintf(f, "routing      %s, %.1f s, %lld iterations\n", json_string_value(json_object_get(r, "status")),
            num(r, "time_s"), (long long)json_integer_value(json_object_get(r, "iterations")));
    fprintf(f, "  cost               %14.0f CNY\n", num(r, "cost"));
    fprintf(f, "  routes             %14lld for %lld deliveries\n", (long long)json_integer_value(json_object_get(r, "routes")),
            (long long)json_integer_value(json_object_get(r, "deliveries")));
    fputs("  vehicles          ", f);
    const char *key, *sep = " ";
    const json_t *v;
    json_object_foreach((json_t *)json_object_get(r, "vehicles"), key, v)
        if (json_integer_value(v)) fprintf(f, "%s%lld %s", sep, (long long)json_integer_value(v), key), sep = ", ";
    fputc('\n', f);
    fprintf(f, "  distance           %14.1f km\n", num(r, "distance_km"));
    const json_t *late = json_object_get(r, "late");
    char buf[32] = "unknown";
    if (json_is_integer(late)) snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(late));
    fprintf(f, "  late deliveries    %14s\n", json_integer_value(late) || !json_is_integer(late) ? buf : "none");
    fprintf(f, "  unserved           %14lld\n", (long long)json_integer_value(json_object_get(r, "unserved")));
}

void run_print_table(const json_t *s, FILE *f)
{
    fprintf(f, "job          %s%s\n", json_string_value(json_object_get(s, "job")),
            json_is_true(json_object_get(s, "synthetic")) ? " (SYNTHETIC data)" : "");
    const json_t *d = json_object_get(s, "dispatch"), *r = json_object_get(s, "routing");
    if (json_is_object(d)) print_dispatch(d, f);
    if (json_is_object(r)) print_routing(r, f);
    fprintf(f, "results      %s (+ summary.json, SVG plots beside it)\n", json_string_value(json_object_get(s, "results")));
}
