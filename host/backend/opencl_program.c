/* Run-time program builds with a binary cache. Compiling the kernels takes seconds (PoCL runs LLVM,
 * GPU drivers their own compilers), so the device binary is kept in the cache directory under a
 * key that changes whenever the result could: device, driver, OpenCL version, options and sources.
 * A cache file holds a header (magic, payload size, payload hash) and the binary; anything that
 * does not check out, or that the driver refuses, is ignored and the program built from source. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xxhash.h>

#include "backend/opencl_internal.h"
#include "core/context_internal.h"

extern const struct weft_kernel_source {
    const char *name;
    const char *source;
} weft_kernel_sources[];

static const char cache_magic[8] = {'W', 'E', 'F', 'T', 'C', 'L', 'B', '1'};

typedef struct cache_header {
    char magic[8];
    uint64_t size; /* payload bytes */
    uint64_t hash; /* XXH3-64 of the payload */
} cache_header;

static const char *kernel_source(const char *name)
{
    for (const struct weft_kernel_source *k = weft_kernel_sources; k->name; k++)
        if (!strcmp(k->name, name)) return k->source;
    return NULL;
}

/* XXH3-64 over everything the binary depends on, each part followed by a NUL separator. */
static uint64_t cache_key(const weft_device_info *info, const char *const *srcs, size_t nsrc,
                          const char *options)
{
    XXH3_state_t *st = XXH3_createState();
    if (!st) return 0;
    XXH3_64bits_reset(st);
    const char *parts[] = {info->platform_name, info->name, info->vendor, info->driver,
                           info->version, options};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        XXH3_64bits_update(st, parts[i], strlen(parts[i]) + 1);
    for (size_t i = 0; i < nsrc; i++) XXH3_64bits_update(st, srcs[i], strlen(srcs[i]) + 1);
    uint64_t h = XXH3_64bits_digest(st);
    XXH3_freeState(st);
    return h;
}

/* mkdir -p; 0 on success. */
static int make_dirs(const char *dir)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf) return -1;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(buf, 0755) && errno != EEXIST) return -1;
        *p = '/';
    }
    return mkdir(buf, 0755) && errno != EEXIST ? -1 : 0;
}

/* The cached binary, checked against its header; NULL with *why set when absent or damaged. */
static unsigned char *cache_load(weft_context *ctx, const char *path, size_t *size, const char **why)
{
    FILE *f = fopen(path, "rb");
    unsigned char *bin = NULL;
    cache_header h;
    *why = "absent";
    if (!f) return NULL;
    *why = "truncated header";
    if (fread(&h, sizeof h, 1, f) != 1) goto cleanup;
    *why = "bad magic";
    if (memcmp(h.magic, cache_magic, sizeof cache_magic)) goto cleanup;
    *why = "implausible size";
    if (h.size == 0 || h.size > ((uint64_t)1 << 31)) goto cleanup;
    *why = "out of memory";
    if (!(bin = weft_malloc(ctx, (size_t)h.size))) goto cleanup;
    *why = "truncated binary";
    if (fread(bin, 1, (size_t)h.size, f) != h.size || fgetc(f) != EOF) goto fail;
    *why = "checksum mismatch";
    if (XXH3_64bits(bin, (size_t)h.size) != h.hash) goto fail;
    *size = (size_t)h.size;
    *why = NULL;
    goto cleanup;
fail:
    weft_free(ctx, bin);
    bin = NULL;
cleanup:
    fclose(f);
    return bin;
}

/* Writes path atomically (temporary file, then rename); failures only cost the next run a build. */
static void cache_store(weft_context *ctx, const char *dir, const char *path, cl_program prog)
{
    size_t size = 0;
    unsigned char *bin = NULL;
    char tmp[4200];
    FILE *f = NULL;
    const char *why = "cannot read the program binary";
    if (clGetProgramInfo(prog, CL_PROGRAM_BINARY_SIZES, sizeof size, &size, NULL) != CL_SUCCESS ||
        !size || !(bin = weft_malloc(ctx, size)))
        goto cleanup;
    if (clGetProgramInfo(prog, CL_PROGRAM_BINARIES, sizeof bin, &bin, NULL) != CL_SUCCESS) goto cleanup;
    why = "cannot create the cache directory";
    if (make_dirs(dir)) goto cleanup;
    /* a unique temporary name: other processes and threads may store the same entry at once */
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
    why = "cannot write the cache file";
    int fd = mkstemp(tmp);
    if (fd < 0) goto cleanup;
    if (!(f = fdopen(fd, "wb"))) {
        close(fd);
        remove(tmp);
        goto cleanup;
    }
    cache_header h;
    memcpy(h.magic, cache_magic, sizeof cache_magic);
    h.size = size;
    h.hash = XXH3_64bits(bin, size);
    int ok = fwrite(&h, sizeof h, 1, f) == 1 && fwrite(bin, 1, size, f) == size;
    ok = (fclose(f) == 0) && ok;
    f = NULL;
    if (!ok || rename(tmp, path)) {
        remove(tmp);
        goto cleanup;
    }
    why = NULL;
    weft_log(ctx, WEFT_LOG_DETAIL, "opencl: program cached in %s (%zu bytes)", path, size);
cleanup:
    if (f) fclose(f);
    if (why) weft_log(ctx, WEFT_LOG_WARNING, "opencl: program cache %s: %s (%s)", path, why, strerror(errno));
    weft_free(ctx, bin);
}

/* The build log, or an empty string; weft_free it. */
static char *build_log(weft_context *ctx, cl_program prog, cl_device_id dev)
{
    size_t len = 0;
    clGetProgramBuildInfo(prog, dev, CL_PROGRAM_BUILD_LOG, 0, NULL, &len);
    char *log = weft_calloc(ctx, len + 1, 1);
    if (log && len) clGetProgramBuildInfo(prog, dev, CL_PROGRAM_BUILD_LOG, len, log, NULL);
    return log;
}

static int build_from_source(weft_context *ctx, cl_context clctx, const weft_cl_device *dev,
                             const weft_device_info *info, const char *const *srcs, size_t nsrc,
                             const char *options, cl_program *out)
{
    cl_int err;
    cl_program prog = clCreateProgramWithSource(clctx, (cl_uint)nsrc, (const char **)srcs, NULL, &err);
    if (err != CL_SUCCESS) return weft_cl_fail(ctx, err, "clCreateProgramWithSource");
    err = clBuildProgram(prog, 1, &dev->device, options, NULL, NULL);
    if (err != CL_SUCCESS) {
        char *log = build_log(ctx, prog, dev->device);
        int st = weft_error(ctx, WEFT_ERR_OPENCL_BASE + err, "OpenCL kernel build failed on %s: %s "
                            "(options '%s'; the build log is the error detail)",
                            info->name, weft_cl_error_name(err), options);
        weft_error_detail(ctx, log ? log : "");
        weft_free(ctx, log);
        clReleaseProgram(prog);
        return st;
    }
    *out = prog;
    return WEFT_OK;
}

/* The cached program if its file checks out and the driver accepts it; else 0 and the reason logged. */
static cl_program build_from_cache(weft_context *ctx, cl_context clctx, const weft_cl_device *dev,
                                   const char *path, const char *options)
{
    size_t size = 0;
    const char *why = NULL;
    unsigned char *bin = cache_load(ctx, path, &size, &why);
    cl_program prog = NULL;
    if (bin) {
        cl_int err, bin_err = CL_SUCCESS;
        prog = clCreateProgramWithBinary(clctx, 1, &dev->device, &size,
                                         (const unsigned char **)&bin, &bin_err, &err);
        if (err == CL_SUCCESS && bin_err == CL_SUCCESS)
            err = clBuildProgram(prog, 1, &dev->device, options, NULL, NULL);
        if (err != CL_SUCCESS || bin_err != CL_SUCCESS) {
            why = weft_cl_error_name(err != CL_SUCCESS ? err : bin_err);
            if (prog) clReleaseProgram(prog);
            prog = NULL;
        }
        weft_free(ctx, bin);
    }
    if (!prog && strcmp(why, "absent"))
        weft_log(ctx, WEFT_LOG_WARNING, "opencl: ignoring cache file %s (%s); building from source", path, why);
    return prog;
}

int weft_cl_program_build(weft_context *ctx, cl_context clctx, const weft_cl_device *dev,
                          const weft_device_info *info, const char *const *source_names,
                          const char *options, cl_program *out, int *cache_hit)
{
    const char *srcs[8];
    size_t nsrc = 0;
    *out = NULL;
    *cache_hit = 0;
    for (; source_names[nsrc]; nsrc++) {
        if (nsrc == sizeof srcs / sizeof *srcs || !(srcs[nsrc] = kernel_source(source_names[nsrc])))
            return weft_error(ctx, WEFT_ERR_INTERNAL, "kernel source '%s.cl' is not embedded",
                              source_names[nsrc]);
    }
    const char *dir = weft_context_cache_dir(ctx);
    char path[4096];
    if (dir && snprintf(path, sizeof path, "%s/weft-cl-%016llx.bin", dir,
                        (unsigned long long)cache_key(info, srcs, nsrc, options)) >= (int)sizeof path)
        dir = NULL;
    if (dir && (*out = build_from_cache(ctx, clctx, dev, path, options))) {
        *cache_hit = 1;
        weft_log(ctx, WEFT_LOG_DETAIL, "opencl: program cache hit %s", path);
        return WEFT_OK;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int st = build_from_source(ctx, clctx, dev, info, srcs, nsrc, options, out);
    if (st) return st;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    weft_log(ctx, WEFT_LOG_DETAIL, "opencl: program built from source in %.2f s (%s)",
             (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec), options);
    if (dir) cache_store(ctx, dir, path, *out);
    return WEFT_OK;
}
