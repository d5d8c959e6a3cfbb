/*
 * berth-netns PATH: creates a new network namespace and pins it at PATH (a bind mount of
 * this process's /proc/self/ns/net), the way `ip netns add` does. Node cannot unshare
 * safely (it is multi-threaded), so this single-threaded helper does it and exits; the
 * namespace lives on through the mount. PATH must not exist yet. On failure nothing is
 * left behind.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

static int fail(const char *what, const char *path) {
  fprintf(stderr, "berth-netns: %s %s: %s\n", what, path, strerror(errno));
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: berth-netns PATH\n");
    return 2;
  }
  const char *path = argv[1];
  /* The mount point: an empty file, created exclusively so two callers never share one. */
  int fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
  if (fd < 0) return fail("create", path);
  close(fd);
  if (unshare(CLONE_NEWNET) < 0) {
    int saved = errno;
    unlink(path);
    errno = saved;
    return fail("unshare(CLONE_NEWNET) for", path);
  }
  if (mount("/proc/self/ns/net", path, NULL, MS_BIND, NULL) < 0) {
    int saved = errno;
    unlink(path);
    errno = saved;
    return fail("bind-mount netns on", path);
  }
  return 0;
}
