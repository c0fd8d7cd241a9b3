/* Concatenation data for time-window routes (Vidal et al. 2013, as in HGS): a sequence of visits is
 * summarised by its duration (service, travel and waiting, departure delayed as late as helps), its
 * time warp (lateness forced by the windows; > 0 means infeasible under hard windows), the earliest
 * and latest start of its first service, and its distance. Two summaries join in O(1), so any move
 * that splices prefixes, single visits and suffixes of routes is checked in constant time. */
#ifndef WEFT_ROUTE_SEGMENT_H
#define WEFT_ROUTE_SEGMENT_H

#include <math.h>

typedef struct rr_seg {
    double dur, warp, early, late, dist;
    int first, last; /* locations */
} rr_seg;

/* fmax/fmin are library calls without -ffinite-math-only; these inline */
static inline double rr_max(double a, double b) { return a > b ? a : b; }
static inline double rr_min(double a, double b) { return a < b ? a : b; }

/* The join of a then b, with the travel from a's last to b's first location. */
static inline rr_seg rr_seg_join(rr_seg a, rr_seg b, const double *time, const double *dist, int k)
{
    double t = time[(long)a.last * k + b.first];
    double delta = a.dur - a.warp + t;
    double wait = rr_max(b.early - delta - a.late, 0);
    double warp = rr_max(a.early + delta - b.late, 0);
    rr_seg c;
    c.dur = a.dur + b.dur + t + wait;
    c.warp = a.warp + b.warp + warp;
    c.early = rr_max(b.early - delta, a.early) - wait;
    c.late = rr_min(b.late - delta, a.late) + warp;
    c.dist = a.dist + b.dist + dist[(long)a.last * k + b.first];
    if (!(t < INFINITY)) c.warp = INFINITY; /* unreachable: inf - inf would hide it as NaN */
    c.first = a.first;
    c.last = b.last;
    return c;
}

#define RR_EPS 1e-7

/* Hard windows: no time warp. */
static inline int rr_seg_ok(const rr_seg *s, double max_duration)
{
    return s->warp <= RR_EPS && s->dur <= max_duration + RR_EPS;
}

#endif
