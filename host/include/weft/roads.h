/* weft: road networks and travel-time matrices.
 *
 * A road graph is a directed graph in CSR: the edges leaving node u are row_ptr[u] .. row_ptr[u+1]-1,
 * each with a head node, a length in metres and a travel time in seconds. Nodes carry coordinates
 * (planar x/y in metres, or longitude/latitude in degrees) and the id they had in the source file
 * (OSM node id, DIMACS 1-based index, or the generator's index). */
#ifndef WEFT_ROADS_H
#define WEFT_ROADS_H

#include <stdint.h>
#include "weft/context.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum weft_coords {
    WEFT_COORDS_PLANAR = 0, /* x, y in metres */
    WEFT_COORDS_LONLAT = 1  /* x = longitude, y = latitude, degrees (WGS84) */
} weft_coords;

typedef struct weft_roads {
    weft_context *ctx; /* the context whose allocator owns the arrays */
    int32_t n_nodes, n_edges;
    weft_coords coords;
    double *x, *y;      /* n_nodes */
    int64_t *orig_id;   /* n_nodes: id in the source */
    int32_t *row_ptr;   /* n_nodes + 1 */
    int32_t *head;      /* n_edges */
    double *length_m;   /* n_edges, >= 0 */
    double *time_s;     /* n_edges, >= 0 */
} weft_roads;

/* Allocates a graph with room for the given counts; row_ptr is zeroed, orig_id[i] = i. */
WEFT_API weft_status weft_roads_create(weft_context *ctx, int32_t n_nodes, int32_t n_edges,
                                       weft_coords coords, weft_roads **out);
/* Accepts NULL and *p == NULL; sets *p to NULL. */
WEFT_API void weft_roads_destroy(weft_roads **p);
/* Checks the CSR structure, heads in range, finite non-negative lengths and times, finite
 * coordinates (in range for lon/lat). `what` names the source in the message (a file name). */
WEFT_API weft_status weft_roads_validate(weft_context *ctx, const weft_roads *r, const char *what);

/* Builds a graph from an edge list (tail, head, length, time), keeping the given order of edges
 * within each tail. x, y, orig_id may be NULL (zeros, and ids 0..n-1). Validates. */
WEFT_API weft_status weft_roads_from_edges(weft_context *ctx, int32_t n_nodes, int32_t n_edges,
                                           const int32_t *tail, const int32_t *head,
                                           const double *length_m, const double *time_s,
                                           const double *x, const double *y, const int64_t *orig_id,
                                           weft_coords coords, weft_roads **out);

/* Strongly connected components (iterative, any graph size). comp[v] in 0..*n_comp-1. */
WEFT_API weft_status weft_roads_scc(weft_context *ctx, const weft_roads *r, int32_t *comp,
                                    int32_t *n_comp);
/* The subgraph on the nodes where keep[v] != 0, renumbered in order. */
WEFT_API weft_status weft_roads_subgraph(weft_context *ctx, const weft_roads *r, const uint8_t *keep,
                                         weft_roads **out);
/* Keeps the largest strongly connected component; reports what was dropped (may be NULL). */
WEFT_API weft_status weft_roads_keep_largest_scc(weft_context *ctx, weft_roads **r,
                                                 int32_t *dropped_nodes, int32_t *dropped_edges);
/* Renumbers the nodes along a Hilbert curve over their coordinates (edges follow; orig_id kept),
 * which makes shortest-path searches markedly more cache-friendly. */
WEFT_API weft_status weft_roads_sort_spatial(weft_context *ctx, weft_roads **r);
/* The node nearest to (x, y) in the graph's coordinates (great-circle for lon/lat); -1 if empty.
 * *dist_m receives the distance in metres (may be NULL). */
WEFT_API int32_t weft_roads_nearest(const weft_roads *r, double x, double y, double *dist_m);
/* Great-circle distance in metres between two lon/lat points (degrees). */
WEFT_API double weft_haversine_m(double lon1, double lat1, double lon2, double lat2);

/* /roads in HDF5 (datasets/SCHEMA.md). */
WEFT_API weft_status weft_roads_read_h5(weft_context *ctx, const char *path, weft_roads **out);
WEFT_API weft_status weft_roads_write_h5(weft_context *ctx, const weft_roads *r, const char *path);

/* Importers. A summary line (what was kept and dropped) goes to the log at info level. */
WEFT_API weft_status weft_roads_import_dimacs(weft_context *ctx, const char *gr_path,
                                              const char *co_path, weft_roads **out);
/* What an OSM import kept and dropped. */
typedef struct weft_osm_stats {
    int64_t car_ways;      /* ways kept as car-accessible */
    int32_t dropped_nodes; /* outside the largest strongly connected component */
    int32_t dropped_edges;
    int64_t missing_refs;  /* way references to nodes absent from the file */
} weft_osm_stats;

/* Car-accessible ways of an OSM file (.osm.pbf or .osm), largest SCC kept; stats may be NULL.
 * WEFT_ERR_UNSUPPORTED when built without libreadosm. */
WEFT_API weft_status weft_roads_import_osm(weft_context *ctx, const char *path, weft_osm_stats *stats,
                                           weft_roads **out);

/* Points of interest as graph node indices, from:
 *  - an HDF5 fleet file: /logistics/depots/node then /logistics/customers/node (-1 is an error);
 *  - a text file, one point a line ('#' comments): a node id as numbered in the source graph
 *    (orig_id), or two numbers "x y" (lon lat for lon/lat graphs) snapped to the nearest node.
 * *nodes is allocated through the context (weft_roads_free_points); *max_snap_m is the largest
 * snapping distance (0 when nothing was snapped; may be NULL). */
WEFT_API weft_status weft_roads_read_points(weft_context *ctx, const weft_roads *r, const char *path,
                                            int32_t **nodes, int32_t *k, double *max_snap_m);
WEFT_API void weft_roads_free_points(weft_context *ctx, int32_t **nodes);

/* ---- synthetic regional networks ---- */

typedef struct weft_town {
    double x, y;     /* centre, metres */
    double radius_m; /* the dense street mesh reaches about this far */
    const char *name;
} weft_town;

typedef struct weft_roads_gen_options {
    int32_t n_nodes;         /* target node count (the result is within a few percent), >= 100 */
    uint64_t seed;
    double spacing_m;        /* street spacing in the towns (default 120) */
    double rural_keep;       /* fraction of mesh nodes kept outside towns (default 0.3) */
    double oneway_fraction;  /* share of local streets made one-way (default 0.15) */
    int32_t islands;         /* small disconnected pieces added (default 3) */
    int32_t n_towns;         /* 0: a few towns placed from the seed */
    const weft_town *towns;  /* coordinates relative to the region's south-west corner */
    double width_m, height_m; /* region size; 0: derived from n_nodes and the towns */
} weft_roads_gen_options;

/* Fills the defaults above (n_nodes 10000, seed 1). */
WEFT_API void weft_roads_gen_defaults(weft_roads_gen_options *o);
/* The Kunshan region (synthetic): Suzhou, Kunshan, Huaqiao and the Shanghai edge (Anting) as town
 * meshes at their approximate relative positions (x east, y north, metres from 120.50 E, 31.20 N),
 * joined by motorways; n_nodes and seed are left as they are. */
WEFT_API void weft_roads_gen_kunshan(weft_roads_gen_options *o);
/* Deterministic: the same options give the same graph on every machine. Planar coordinates. */
WEFT_API weft_status weft_roads_generate(weft_context *ctx, const weft_roads_gen_options *o,
                                         weft_roads **out);

/* ---- shortest paths ---- */

/* Travel-time-shortest paths from each of the k points to each of them (k x k, row = source).
 * time_out[i*k+j]: seconds; dist_out[i*k+j]: metres along that path. Among paths of equal time the
 * shortest in metres is taken, so the result is unique and equal on every backend. Unreachable
 * pairs are +INFINITY in both. Runs on the context's device (weft_context_set_device: "auto" takes
 * a GPU if there is one, else the CPU backend with the context's thread count). dist_out may be NULL. */
WEFT_API weft_status weft_sssp_matrix(weft_context *ctx, const weft_roads *r, const int32_t *points,
                                      int32_t k, double *time_out, double *dist_out);

#ifdef __cplusplus
}
#endif
#endif
