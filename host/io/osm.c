/* OpenStreetMap import through libreadosm: the car-accessible ways become directed edges between
 * consecutive way nodes, timed from maxspeed or the highway class's usual speed; one-way streets
 * (oneway=yes/-1, roundabouts, motorways) get one direction only. Only the largest strongly
 * connected component is kept, so every kept node reaches every other; what is dropped is logged. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <readosm.h>

#include "core/context_internal.h"
#include "io/osm_graph.h"
#include "weft/roads.h"

typedef struct osm_class {
    const char *highway;
    double kmh;
    int oneway_implied;
} osm_class;

/* Typical free-flow car speeds by class; ways of other classes are not for cars. */
static const osm_class classes[] = {
    {"motorway", 110, 1},    {"motorway_link", 60, 1}, {"trunk", 90, 0},          {"trunk_link", 50, 0},
    {"primary", 65, 0},      {"primary_link", 45, 0},  {"secondary", 55, 0},      {"secondary_link", 40, 0},
    {"tertiary", 45, 0},     {"tertiary_link", 35, 0}, {"unclassified", 40, 0},   {"residential", 30, 0},
    {"living_street", 10, 0}, {"service", 20, 0},      {"road", 30, 0},
};

typedef struct osm_state {
    weft_context *ctx;
    int failed;
    int64_t *node_id;
    double *lon, *lat;
    size_t n_nodes, cap_nodes;
    int64_t *refs;        /* node refs of kept ways, back to back */
    size_t n_refs, cap_refs;
    int64_t *way_start;   /* per kept way: first ref; way_start[n_ways] = n_refs */
    double *way_speed;    /* m/s */
    int8_t *way_dir;      /* 1 forward only, -1 backward only, 0 both */
    size_t n_ways, cap_ways;
} osm_state;

static const char *tag(const readosm_tag *tags, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(tags[i].key, key)) return tags[i].value;
    return NULL;
}

/* Reallocates the parallel arrays p[0..k-1] (element sizes es[]) to hold `need`; 0 on success. */
static int grow(weft_context *ctx, size_t *cap, size_t need, int k, void **p[], const size_t es[])
{
    if (need <= *cap) return 0;
    size_t nc = *cap ? *cap * 2 : 4096;
    while (nc < need) nc *= 2;
    for (int i = 0; i < k; i++) {
        void *q = weft_realloc_array(ctx, *p[i], nc, es[i]);
        if (!q) return -1;
        *p[i] = q;
    }
    *cap = nc;
    return 0;
}

static int on_node(const void *user, const readosm_node *nd)
{
    osm_state *s = (osm_state *)user;
    void **arrays[] = {(void **)&s->node_id, (void **)&s->lon, (void **)&s->lat};
    const size_t es[] = {sizeof(int64_t), sizeof(double), sizeof(double)};
    if (grow(s->ctx, &s->cap_nodes, s->n_nodes + 1, 3, arrays, es)) {
        s->failed = 1;
        return READOSM_ABORT;
    }
    s->node_id[s->n_nodes] = nd->id;
    s->lon[s->n_nodes] = nd->longitude;
    s->lat[s->n_nodes] = nd->latitude;
    s->n_nodes++;
    return READOSM_OK;
}

/* maxspeed in m/s, or 0 when absent or not a number ("signals", "none", "FR:urban"). */
static double parse_maxspeed(const char *v)
{
    if (!v) return 0;
    char *end;
    double s = strtod(v, &end);
    if (end == v || !(s >= 5 && s <= 200)) return 0;
    if (strstr(end, "mph")) s *= 1.609344;
    return s / 3.6;
}

static int way_direction(const readosm_way *w, const osm_class *c)
{
    const char *ow = tag(w->tags, w->tag_count, "oneway");
    const char *jn = tag(w->tags, w->tag_count, "junction");
    if (ow && (!strcmp(ow, "yes") || !strcmp(ow, "true") || !strcmp(ow, "1"))) return 1;
    if (ow && (!strcmp(ow, "-1") || !strcmp(ow, "reverse"))) return -1;
    if (ow && !strcmp(ow, "no")) return 0;
    if (jn && (!strcmp(jn, "roundabout") || !strcmp(jn, "circular"))) return 1;
    return c->oneway_implied;
}

static const osm_class *car_class(const readosm_way *w)
{
    const char *hw = tag(w->tags, w->tag_count, "highway");
    const char *access = tag(w->tags, w->tag_count, "access");
    const char *motor = tag(w->tags, w->tag_count, "motor_vehicle");
    const char *area = tag(w->tags, w->tag_count, "area");
    if (!hw || (area && !strcmp(area, "yes"))) return NULL;
    int closed = access && (!strcmp(access, "no") || !strcmp(access, "private"));
    if (motor) closed = !strcmp(motor, "no") || !strcmp(motor, "private");
    if (closed) return NULL;
    for (size_t i = 0; i < sizeof classes / sizeof *classes; i++)
        if (!strcmp(hw, classes[i].highway)) return &classes[i];
    return NULL;
}

static int on_way(const void *user, const readosm_way *w)
{
    osm_state *s = (osm_state *)user;
    const osm_class *c = car_class(w);
    if (!c || w->node_ref_count < 2) return READOSM_OK;
    void **ways[] = {(void **)&s->way_start, (void **)&s->way_speed, (void **)&s->way_dir};
    const size_t wes[] = {sizeof(int64_t), sizeof(double), sizeof(int8_t)};
    void **refs[] = {(void **)&s->refs};
    const size_t res[] = {sizeof(int64_t)};
    if (grow(s->ctx, &s->cap_ways, s->n_ways + 2, 3, ways, wes) ||
        grow(s->ctx, &s->cap_refs, s->n_refs + (size_t)w->node_ref_count, 1, refs, res)) {
        s->failed = 1;
        return READOSM_ABORT;
    }
    double v = parse_maxspeed(tag(w->tags, w->tag_count, "maxspeed"));
    s->way_speed[s->n_ways] = v > 0 ? v : c->kmh / 3.6;
    s->way_dir[s->n_ways] = (int8_t)way_direction(w, c);
    s->way_start[s->n_ways] = (int64_t)s->n_refs;
    memcpy(s->refs + s->n_refs, w->node_refs, (size_t)w->node_ref_count * sizeof(int64_t));
    s->n_refs += (size_t)w->node_ref_count;
    s->n_ways++;
    s->way_start[s->n_ways] = (int64_t)s->n_refs;
    return READOSM_OK;
}

static void osm_state_free(osm_state *s)
{
    weft_free(s->ctx, s->node_id);
    weft_free(s->ctx, s->lon);
    weft_free(s->ctx, s->lat);
    weft_free(s->ctx, s->refs);
    weft_free(s->ctx, s->way_start);
    weft_free(s->ctx, s->way_speed);
    weft_free(s->ctx, s->way_dir);
}

weft_status weft_roads_import_osm(weft_context *ctx, const char *path, weft_osm_stats *stats, weft_roads **out)
{
    osm_state s = {.ctx = ctx};
    const void *h = NULL;
    *out = NULL;
    int rc = readosm_open(path, &h);
    int st = WEFT_OK;
    if (rc == READOSM_OK) rc = readosm_parse(h, &s, on_node, on_way, NULL);
    if (h) readosm_close(h);
    if (s.failed) st = weft_error(ctx, WEFT_ERR_NOMEM, "%s: out of memory reading OSM data", path);
    else if (rc == READOSM_FILE_NOT_FOUND) st = weft_error(ctx, WEFT_ERR_IO, "%s: cannot open for reading", path);
    else if (rc == READOSM_INVALID_SUFFIX)
        st = weft_error(ctx, WEFT_ERR_UNSUPPORTED, "%s: name must end in .osm.pbf, .pbf or .osm", path);
    else if (rc != READOSM_OK)
        st = weft_error(ctx, WEFT_ERR_PARSE, "%s: not a readable OSM file (libreadosm error %d)", path, rc);
    else if (s.n_ways == 0)
        st = weft_error(ctx, WEFT_ERR_BAD_INPUT, "%s: no car-accessible highway ways", path);
    if (!st) {
        osm_graph_input in = {s.node_id, s.lon, s.lat, s.n_nodes, s.refs, s.way_start, s.way_speed, s.way_dir, s.n_ways};
        st = osm_build_graph(ctx, path, &in, stats, out);
    }
    osm_state_free(&s);
    return st;
}
