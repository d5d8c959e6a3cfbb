/* Parses the launch plan records written by src/plan/encode.ts. */
#include "plan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int read_full(int fd, void *buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, (char *)buf + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      if (r == 0) errno = EPIPE;
      return -1;
    }
    got += (size_t)r;
  }
  return 0;
}

int plan_read(int fd, struct plan *p) {
  p->nrecs = 0;
  for (;;) {
    unsigned char head[5];
    if (read_full(fd, head, sizeof head) < 0) return -1;
    uint32_t len = head[0] | head[1] << 8 | head[2] << 16 | (uint32_t)head[3] << 24;
    if (head[4] == 'Q') return 0;
    if (p->nrecs >= (int)(sizeof p->recs / sizeof p->recs[0]) || len > (16u << 20)) {
      errno = E2BIG;
      return -1;
    }
    struct record *r = &p->recs[p->nrecs++];
    r->tag = (char)head[4];
    r->len = len;
    r->data = malloc(len + 1);
    if (!r->data || read_full(fd, r->data, len) < 0) return -1;
    r->data[len] = 0;
    /* Split the payload into its NUL-terminated fields (binary payloads ignore these). */
    r->nfields = 0;
    for (size_t off = 0; off < len && r->nfields < MAX_FIELDS; off += strlen(r->data + off) + 1)
      r->fields[r->nfields++] = r->data + off;
  }
}

struct record *plan_get(struct plan *p, char tag) {
  for (int i = 0; i < p->nrecs; i++)
    if (p->recs[i].tag == tag) return &p->recs[i];
  return NULL;
}

long long plan_num(struct plan *p, char tag, int i, long long dflt) {
  struct record *r = plan_get(p, tag);
  if (!r || i >= r->nfields) return dflt;
  return strtoll(r->fields[i], NULL, 0);
}
