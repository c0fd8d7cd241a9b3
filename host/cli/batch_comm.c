/* batch_comm with MPI when built with it, a single process otherwise (see batch_comm.h). */
#include <stdio.h>
#include <stdlib.h>

#include "batch_comm.h"

#ifdef WEFT_HAVE_MPI
#include <mpi.h>
#endif

static int env_int(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? atoi(v) : 0;
}

int batch_comm_launched_size(void)
{
    /* OpenMPI's mpirun, PMI launchers (MPICH hydra, srun --mpi=pmi2), and an srun step */
    const char *vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "SLURM_STEP_NUM_TASKS"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
        int n = env_int(vars[i]);
        if (n > 0) return n;
    }
    return 1;
}

#ifdef WEFT_HAVE_MPI
static void local_ranks(batch_comm *c)
{
    MPI_Comm node;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, c->rank, MPI_INFO_NULL, &node);
    MPI_Comm_rank(node, &c->local_rank);
    MPI_Comm_size(node, &c->local_size);
    MPI_Comm_free(&node);
}
#endif

int batch_comm_init(batch_comm *c, char *err, size_t len)
{
    int launched = batch_comm_launched_size();
    *c = (batch_comm){0, 1, 0, 1, 0};
    if (launched <= 1) return 0;
#ifdef WEFT_HAVE_MPI
    if (MPI_Init(NULL, NULL) != MPI_SUCCESS) {
        snprintf(err, len, "MPI_Init failed under a launcher of %d tasks", launched);
        return -1;
    }
    c->mpi = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &c->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &c->size);
    local_ranks(c);
    if (c->size != launched) {
        snprintf(err, len, "launched as %d tasks but MPI sees %d (srun needs --mpi=pmix or pmi2 with this MPI)",
                 launched, c->size);
        return -1;
    }
    return 0;
#else
    snprintf(err, len, "launched as %d tasks but this weft was built without MPI (install libopenmpi-dev and "
             "rebuild, or run one task, or use --shard I/N)", launched);
    return -1;
#endif
}

void batch_comm_finalize(batch_comm *c)
{
#ifdef WEFT_HAVE_MPI
    if (c->mpi) MPI_Finalize();
#endif
    c->mpi = 0;
}

int batch_comm_max(const batch_comm *c, int v)
{
#ifdef WEFT_HAVE_MPI
    int out = v;
    if (c->mpi) MPI_Allreduce(&v, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return out;
#else
    (void)c;
    return v;
#endif
}

int64_t batch_comm_sum(const batch_comm *c, int64_t v)
{
#ifdef WEFT_HAVE_MPI
    long long in = v, out = v;
    if (c->mpi) MPI_Allreduce(&in, &out, 1, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    return out;
#else
    (void)c;
    return v;
#endif
}
