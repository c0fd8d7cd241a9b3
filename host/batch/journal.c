/* The batch journal (see journal.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "batch/journal.h"
#include "core/context_internal.h"

#define MAGIC "WEFTJNL1"
#define HEADER 24
#define TAG 0x31434552u /* "REC1" */
#define MAX_RECORD (1u << 30)

struct weft_journal {
    weft_context *ctx;
    int fd;
    uint64_t key;
    char path[1024];
};

static int io_error(weft_context *ctx, const char *path, const char *what)
{
    return weft_error(ctx, WEFT_ERR_IO, "%s: cannot %s the batch journal (%s)", path, what, strerror(errno));
}

static int write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static ssize_t read_full(int fd, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

/* Empties the file and writes a header for key. */
static int fresh(weft_journal *j)
{
    unsigned char h[HEADER] = {0};
    memcpy(h, MAGIC, 8);
    memcpy(h + 8, &j->key, 8);
    if (ftruncate(j->fd, 0) || lseek(j->fd, 0, SEEK_SET) < 0 || write_all(j->fd, h, HEADER) || fsync(j->fd))
        return io_error(j->ctx, j->path, "start");
    return WEFT_OK;
}

/* One record at the current offset: 1 read, 0 end or torn, < 0 a status from on_record. */
static int read_record(weft_journal *j, void **buf, size_t *cap, weft_journal_record_fn fn, void *user)
{
    uint32_t head[2];
    uint64_t sum;
    if (read_full(j->fd, head, sizeof head) != (ssize_t)sizeof head || head[0] != TAG || head[1] > MAX_RECORD) return 0;
    if (head[1] > *cap) {
        void *p = weft_realloc(j->ctx, *buf, head[1]);
        if (!p) return weft_error(j->ctx, WEFT_ERR_NOMEM, "%s: out of memory reading the journal", j->path);
        *buf = p;
        *cap = head[1];
    }
    if (read_full(j->fd, *buf, head[1]) != (ssize_t)head[1] || read_full(j->fd, &sum, 8) != 8) return 0;
    if (XXH64(*buf, head[1], j->key) != sum) return 0;
    int st = fn ? fn(user, *buf, head[1]) : 0;
    return st ? (st < 0 ? st : -st) : 1;
}

/* Reads the records of a journal with a matching header; cuts a torn tail. */
static int replay(weft_journal *j, weft_journal_record_fn fn, void *user, weft_journal_info *info)
{
    void *buf = NULL;
    size_t cap = 0;
    off_t good = HEADER;
    int st = 0;
    while ((st = read_record(j, &buf, &cap, fn, user)) == 1) {
        info->records++;
        good = lseek(j->fd, 0, SEEK_CUR);
    }
    weft_free(j->ctx, buf);
    if (st < 0) return st;
    struct stat sb;
    if (fstat(j->fd, &sb) == 0 && sb.st_size > good) {
        info->torn_bytes = sb.st_size - good;
        if (ftruncate(j->fd, good) || fsync(j->fd)) return io_error(j->ctx, j->path, "cut the torn end of");
    }
    return lseek(j->fd, good, SEEK_SET) < 0 ? io_error(j->ctx, j->path, "seek in") : WEFT_OK;
}

static int open_existing(weft_journal *j, weft_journal_record_fn fn, void *user, weft_journal_info *info)
{
    unsigned char h[HEADER];
    uint64_t key = 0;
    ssize_t n = read_full(j->fd, h, HEADER);
    if (n == HEADER) memcpy(&key, h + 8, 8);
    if (n == HEADER && !memcmp(h, MAGIC, 8) && key == j->key) return replay(j, fn, user, info);
    /* empty or a torn header (created now, or killed while writing it) needs no notice; another key does */
    info->restarted = n == HEADER;
    return fresh(j);
}

weft_status weft_journal_open(weft_context *ctx, const char *path, uint64_t key, weft_journal_record_fn on_record,
                              void *user, weft_journal_info *info, weft_journal **out)
{
    if (!ctx || !path || !info || !out) return WEFT_ERR_INVALID_ARG;
    memset(info, 0, sizeof *info);
    *out = NULL;
    weft_journal *j = weft_calloc(ctx, 1, sizeof *j);
    if (!j) return weft_error(ctx, WEFT_ERR_NOMEM, "out of memory");
    j->ctx = ctx;
    j->key = key;
    snprintf(j->path, sizeof j->path, "%s", path);
    j->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    int st = j->fd < 0 ? io_error(ctx, path, "open") : WEFT_OK;
    /* two runs appending to one journal would each solve what the other does; a file system
     * without locks (some parallel ones mount so) is used unlocked */
    if (!st && flock(j->fd, LOCK_EX | LOCK_NB) && errno == EWOULDBLOCK)
        st = weft_error(ctx, WEFT_ERR_IO, "%s: another weft batch is using this journal (same output?)", path);
    if (!st) st = open_existing(j, on_record, user, info);
    if (st) weft_journal_close(&j);
    *out = j;
    return st;
}

weft_status weft_journal_append(weft_journal *j, const void *data, size_t len)
{
    if (!j || len > MAX_RECORD) return WEFT_ERR_INVALID_ARG;
    uint32_t head[2] = {TAG, (uint32_t)len};
    uint64_t sum = XXH64(data, len, j->key);
    /* one write per record so a kill tears at most the last one */
    unsigned char *buf = weft_malloc(j->ctx, sizeof head + len + 8);
    if (!buf) return weft_error(j->ctx, WEFT_ERR_NOMEM, "out of memory");
    memcpy(buf, head, sizeof head);
    memcpy(buf + sizeof head, data, len);
    memcpy(buf + sizeof head + len, &sum, 8);
    int bad = write_all(j->fd, buf, sizeof head + len + 8) || fdatasync(j->fd);
    weft_free(j->ctx, buf);
    return bad ? io_error(j->ctx, j->path, "append to") : WEFT_OK;
}

void weft_journal_close(weft_journal **pj)
{
    if (!pj || !*pj) return;
    if ((*pj)->fd >= 0) close((*pj)->fd);
    weft_free((*pj)->ctx, *pj);
    *pj = NULL;
}
