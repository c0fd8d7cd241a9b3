/* The second half of the OSM import, free of libreadosm: nodes and car ways, as read, into a road
 * graph restricted to its largest strongly connected component. */
#ifndef WEFT_OSM_GRAPH_H
#define WEFT_OSM_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "weft/roads.h"

typedef struct osm_graph_input {
    const int64_t *node_id;
    const double *lon, *lat;
    size_t n_nodes;
    const int64_t *refs;      /* node ids of the ways, back to back */
    const int64_t *way_start; /* n_ways + 1 offsets into refs */
    const double *way_speed;  /* m/s */
    const int8_t *way_dir;    /* 1 forward only, -1 backward only, 0 both ways */
    size_t n_ways;
} osm_graph_input;

int osm_build_graph(weft_context *ctx, const char *path, const osm_graph_input *in, weft_osm_stats *stats,
                    weft_roads **out);

#endif
