/* An append-only journal of finished work, so a killed batch resumes where it stopped.
 *
 * File: a 24-byte header (magic, format version, a 64-bit key naming the input and the options
 * that change results), then records [u32 tag][u32 length][payload][u64 xxh64(payload, key)].
 * Each append is written whole and fsync'd before it returns. On open, records are read back until
 * the first incomplete or corrupt one (a record torn by a kill); the file is cut there and appending
 * continues. A journal written under another key is not resumed: it is started afresh, and
 * `restarted` says so. The journal is locked (flock) while open: a second run on the same output is
 * refused. Private to the library. */
#ifndef WEFT_JOURNAL_H
#define WEFT_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "weft/context.h"

typedef struct weft_journal weft_journal;

typedef int (*weft_journal_record_fn)(void *user, const void *data, size_t len);

typedef struct weft_journal_info {
    int64_t records;   /* read back and handed to on_record */
    int64_t torn_bytes; /* cut from the end (an incomplete last record) */
    int restarted;     /* a journal with another key was found and discarded */
} weft_journal_info;

/* Opens or creates the journal at path under key; every complete record goes to on_record (a
 * non-zero return stops the open with that status). */
weft_status weft_journal_open(weft_context *ctx, const char *path, uint64_t key, weft_journal_record_fn on_record,
                              void *user, weft_journal_info *info, weft_journal **out);
/* Appends one record and makes it durable (fsync). */
weft_status weft_journal_append(weft_journal *j, const void *data, size_t len);
void weft_journal_close(weft_journal **j);

#endif
