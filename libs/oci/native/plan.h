/* The launch plan as the launcher sees it. TypeScript builds and serializes it (see
 * src/plan/encode.ts); this header only names the record tags and holds the parsed form.
 * Wire format: records of [u32 little-endian payload length][u8 tag][payload], the payload
 * being NUL-terminated text fields (numbers in decimal) or raw bytes (seccomp BPF). */
#ifndef BERTH_PLAN_H
#define BERTH_PLAN_H

#include <stddef.h>
#include <stdint.h>

#define MAX_ITEMS 256
#define MAX_FIELDS 64

struct record {
  char tag;
  size_t len;
  char *data;                /* payload, NUL-terminated fields */
  int nfields;
  char *fields[MAX_FIELDS];  /* pointers into data */
};

struct plan {
  struct record recs[MAX_ITEMS * 4];
  int nrecs;
};

/* Reads records from fd until the 'Q' record; returns 0 or -1 (errno set). */
int plan_read(int fd, struct plan *p);
/* First record with this tag, or NULL. */
struct record *plan_get(struct plan *p, char tag);
/* Field i of the first record with this tag as a number, or dflt when absent. */
long long plan_num(struct plan *p, char tag, int i, long long dflt);

#endif
