/* Assembling one HDF5 file from groups written by separate writers (a job file holds /grid, /roads
 * and /logistics; a results file /results/dispatch and /results/route). Each writer makes its own
 * complete part file; the groups are copied into the file being created, and the parts removed. */
#ifndef WEFT_H5COPY_H
#define WEFT_H5COPY_H

#include "io/h5util.h"

/* Copies object `obj` (a group with everything under it, attributes included) of the file at
 * src_path into dst under the same path; parent groups are created. */
int weft_h5_copy_from(weft_h5 *dst, const char *src_path, const char *obj);

/* A part-file name beside `path`: PATH.part-PID-TAG. */
void weft_h5_part_path(char *buf, size_t len, const char *path, const char *tag);

#endif
