/* Applying a move of the batched local search: backend.h's numbering (neighbour j, type t) turned
 * back into new customer sequences for the one or two slots it changes. */
#include <string.h>

#include "route/ls_device.h"

/* Appends positions i..j (1-based, inclusive; none if j < i) of rt to out at *n. */
static void put(const rr_route *rt, int i, int j, int *out, int *n)
{
    if (j < i) return;
    memcpy(out + *n, rt->cust + i - 1, (size_t)(j - i + 1) * sizeof *out);
    *n += j - i + 1;
}

/* The chain pu..pe of a after position pv of b (different slots). */
static void chain_inter(rr_state *s, int ra, int pu, int pe, int rb, int pv, int *A, int *B)
{
    const rr_route *a = &s->routes[ra], *b = &s->routes[rb];
    int na = 0, nb = 0;
    put(a, 1, pu - 1, A, &na), put(a, pe + 1, a->len, A, &na);
    put(b, 1, pv, B, &nb), put(a, pu, pe, B, &nb), put(b, pv + 1, b->len, B, &nb);
    rr_set_route(s, ra, A, na);
    rr_set_route(s, rb, B, nb);
}

static void swap_inter(rr_state *s, int ra, int pu, int rb, int pv, int *A, int *B)
{
    const rr_route *a = &s->routes[ra], *b = &s->routes[rb];
    int na = 0, nb = 0;
    put(a, 1, a->len, A, &na), put(b, 1, b->len, B, &nb);
    int u = A[pu - 1];
    A[pu - 1] = B[pv - 1], B[pv - 1] = u;
    rr_set_route(s, ra, A, na);
    rr_set_route(s, rb, B, nb);
}

/* 2-opt*: a keeps 1..pa and takes b's pb+1..; b keeps 1..pb and takes a's pa+1... */
static void opt_star(rr_state *s, int ra, int pa, int rb, int pb, int *A, int *B)
{
    const rr_route *a = &s->routes[ra], *b = &s->routes[rb];
    int na = 0, nb = 0;
    put(a, 1, pa, A, &na), put(b, pb + 1, b->len, A, &na);
    put(b, 1, pb, B, &nb), put(a, pa + 1, a->len, B, &nb);
    rr_set_route(s, ra, A, na);
    rr_set_route(s, rb, B, nb);
}

/* Inside slot r: the chain pu..pe after position pv. */
static void chain_intra(rr_state *s, int r, int pu, int pe, int pv, int *A)
{
    const rr_route *a = &s->routes[r];
    int n = 0;
    if (pv < pu) put(a, 1, pv, A, &n), put(a, pu, pe, A, &n), put(a, pv + 1, pu - 1, A, &n), put(a, pe + 1, a->len, A, &n);
    else put(a, 1, pu - 1, A, &n), put(a, pe + 1, pv, A, &n), put(a, pu, pe, A, &n), put(a, pv + 1, a->len, A, &n);
    rr_set_route(s, r, A, n);
}

static void reverse_intra(rr_state *s, int r, int i, int j, int *A)
{
    const rr_route *a = &s->routes[r];
    int n = 0;
    put(a, 1, a->len, A, &n);
    for (int p = i, q = j; p < q; p++, q--) {
        int t = A[p - 1];
        A[p - 1] = A[q - 1], A[q - 1] = t;
    }
    rr_set_route(s, r, A, n);
}

void rr_ls_apply(rr_state *s, int u, int mv, int *A, int *B, int *ra, int *rb)
{
    int t = mv % WEFT_LS_TYPES, v = s->neighbours[(size_t)u * s->n_neigh + mv / WEFT_LS_TYPES];
    int ru = s->route_of[u], pu = s->pos_of[u], rv = s->route_of[v], pv = s->pos_of[v];
    int len = 1 + t / 2, at = t % 2 == 0 ? pv : pv - 1;
    *ra = ru, *rb = ru != rv ? rv : -1;
    if (ru != rv) {
        if (t < WEFT_LS_SWAP) chain_inter(s, ru, pu, pu + len - 1, rv, at, A, B);
        else if (t == WEFT_LS_SWAP) swap_inter(s, ru, pu, rv, pv, A, B);
        else if (t == WEFT_LS_OPT_UV) opt_star(s, ru, pu, rv, pv - 1, A, B);
        else opt_star(s, ru, pu - 1, rv, pv, A, B);
    } else if (t < WEFT_LS_SWAP) {
        chain_intra(s, ru, pu, pu + len - 1, at, A);
    } else if (t == WEFT_LS_OPT_UV) {
        if (pu < pv) reverse_intra(s, ru, pu + 1, pv, A);
        else reverse_intra(s, ru, pv + 1, pu, A);
    }
}
