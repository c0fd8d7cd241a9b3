/* How `weft batch` learns its place among cooperating processes: rank, size, rank on this node.
 * Built with MPI (WEFT_HAVE_MPI) it uses MPI when a launcher (mpirun, srun) started several tasks;
 * otherwise, and in builds without MPI, it is one process of one. A build without MPI that finds
 * itself launched as several tasks refuses to run, rather than solving everything once per task. */
#ifndef WEFT_BATCH_COMM_H
#define WEFT_BATCH_COMM_H

#include <stddef.h>
#include <stdint.h>

typedef struct batch_comm {
    int rank, size;
    int local_rank, local_size; /* among the tasks on this node */
    int mpi;                    /* MPI was initialised (and must be finalised) */
} batch_comm;

/* 0, or -1 with a one-line reason in err. */
int batch_comm_init(batch_comm *c, char *err, size_t len);
void batch_comm_finalize(batch_comm *c);
/* Over all ranks (collective: every rank calls it, so it is also the barrier): the largest v, the sum of v. */
int batch_comm_max(const batch_comm *c, int v);
int64_t batch_comm_sum(const batch_comm *c, int64_t v);
/* Tasks the launcher says it started (1 when not launched by one). */
int batch_comm_launched_size(void);

#endif
