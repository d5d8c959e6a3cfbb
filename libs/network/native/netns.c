/*
 * berth-netns PATH: creates a new network namespace with its loopback interface up and
 * pins it at PATH (a bind mount of this process's /proc/self/ns/net), the way `ip netns add`
 * does. Node cannot unshare safely (it is multi-threaded), so this single-threaded helper
 * does it and exits; the namespace lives on through the mount. Bringing `lo` up here is what
 * libnetwork does for every sandbox, and spares a CNI loopback plugin process per container.
 * PATH must not exist yet. On failure nothing is left behind.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

static int fail(const char *what, const char *path) {
  fprintf(stderr, "berth-netns: %s %s: %s\n", what, path, strerror(errno));
  return 1;
}

/* Sets IFF_UP on this namespace's `lo` (the kernel then assigns 127.0.0.1 and ::1). */
static int loopback_up(void) {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) return -1;
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  int rc = ioctl(s, SIOCGIFFLAGS, &ifr);
  if (rc == 0) {
    ifr.ifr_flags |= IFF_UP;
    rc = ioctl(s, SIOCSIFFLAGS, &ifr);
  }
  int saved = errno;
  close(s);
  errno = saved;
  return rc;
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
  if (loopback_up() < 0) {
    int saved = errno;
    unlink(path);
    errno = saved;
    return fail("bring up lo of", path);
  }
  if (mount("/proc/self/ns/net", path, NULL, MS_BIND, NULL) < 0) {
    int saved = errno;
    unlink(path);
    errno = saved;
    return fail("bind-mount netns on", path);
  }
  return 0;
}
