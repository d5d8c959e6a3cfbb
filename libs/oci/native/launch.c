/* berth-launch: executes a launch plan between fork and execve, and nothing else.
 *
 * TypeScript (src/plan/) decides every value; this program only performs the steps that
 * need a single-threaded process: join/create namespaces, write id maps, mount inside the
 * rootfs, pivot_root, set credentials, load seccomp, wait on the exec fifo and execve.
 *
 * fd 3 is a socket to the runtime: the plan arrives on it and progress goes back on it as
 * text lines ("pid N", "hooks", "ready", "time <phase> <ns>", "error <message>").
 *
 * Phase stamps: stamp(phase) marks the end of a phase, which began at the previous stamp.
 * It only reads the clock into a fixed array (no formatting, no allocation); the lines are
 * formatted once, with "pid" (the launcher's phases) and with "ready" (the process's). */
#define _GNU_SOURCE
#include "plan.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REPORT_FD 3
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static struct plan P;
static struct {
  const char *phase; /* a string literal */
  struct timespec at;
} stamps[64];
static int nstamps;
static pid_t host_pid; /* the container process's pid as the host sees it */

static void report(const char *fmt, ...) {
  char buf[4608];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n > 0 && write(REPORT_FD, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1) < 0) {
    /* The runtime is gone; nothing left to tell. */
  }
}

/* Reports the failed step with errno's text and exits: the runtime prints it like runc. */
/* Reports the error as is and exits. */
static void fail(const char *fmt, ...) {
  char msg[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  report("error %s\n", msg);
  _exit(1);
}

/* Reports the error with errno's text appended and exits. */
static void die(const char *fmt, ...) {
  char msg[2048];
  int err = errno;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  fail("%s: %s", msg, strerror(err));
}

static void stamp(const char *phase) {
  if (nstamps == (int)(sizeof stamps / sizeof stamps[0])) return;
  stamps[nstamps].phase = phase;
  clock_gettime(CLOCK_REALTIME, &stamps[nstamps++].at);
}

/* Reports the stamps taken so far as "time" lines, followed by `last` (e.g. "ready\n"). */
static void report_stamps(const char *last) {
  char buf[4096];
  size_t len = 0;
  for (int i = 0; i < nstamps; i++) {
    int n = snprintf(buf + len, sizeof buf - len, "time %s %lld%09ld\n", stamps[i].phase,
                     (long long)stamps[i].at.tv_sec, stamps[i].at.tv_nsec);
    if (n < 0 || len + (size_t)n >= sizeof buf) break;
    len += (size_t)n;
  }
  report("%.*s%s", (int)len, buf, last);
}

/* The phase name of a group of plan records mounted in the container's mount namespace. */
static const char *mount_group(char tag) {
  return tag == 'M' ? "mounts" : tag == 'D' ? "devices" : "symlinks";
}

static int write_file(const char *path, const char *data) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = write(fd, data, strlen(data));
  int err = errno;
  close(fd);
  errno = err;
  return n == (ssize_t)strlen(data) ? 0 : -1;
}

static void fdpath(char *buf, size_t n, int fd) { snprintf(buf, n, "/proc/self/fd/%d", fd); }

static int openat2_in(int root, const char *path, int flags, unsigned long long resolve) {
  struct open_how how = {.flags = (unsigned long long)flags | O_CLOEXEC, .resolve = resolve};
  return (int)syscall(SYS_openat2, root, path, &how, sizeof how);
}

/* Opens path (absolute, as seen from inside the container) under root with every symlink
 * resolved inside root, creating missing components: directories, and for the last one a
 * directory or an empty file (as_file). A dangling symlink is followed (inside root) by
 * creating its target. No symlink can lead the result outside root. */
static int open_in_root(int root, const char *path, int as_file, unsigned long long extra,
                        int depth) {
  unsigned long long how = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | extra;
  int fd = openat2_in(root, path, O_PATH, how);
  if (fd >= 0 || errno != ENOENT) return fd;
  if (depth > 40) {
    errno = ELOOP;
    return -1;
  }
  char rest[4096], prefix[4096] = "";
  snprintf(rest, sizeof rest, "%s", path);
  char *end = rest;
  int parent = openat2_in(root, "/", O_PATH | O_DIRECTORY, how);
  while (parent >= 0) {
    while (*end == '/') end++;
    char *name = end;
    end = strchrnul(end, '/');
    int last = end[strspn(end, "/")] == 0;
    char saved = *end;
    *end = 0;
    size_t plen = strlen(prefix);
    if (snprintf(prefix + plen, sizeof prefix - plen, "/%s", name) >= (int)(sizeof prefix - plen)) {
      close(parent);
      errno = ENAMETOOLONG;
      return -1;
    }
    int next = openat2_in(root, prefix, O_PATH, how);
    if (next < 0 && errno == ENOENT) {
      int rc;
      if (last && as_file) {
        rc = openat(parent, name, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0644);
        if (rc >= 0) close(rc);
      } else {
        rc = mkdirat(parent, name, 0755);
      }
      char target[4096];
      ssize_t n;
      if (rc < 0 && errno == EEXIST && !(extra & RESOLVE_NO_SYMLINKS) &&
          (n = readlinkat(parent, name, target, sizeof target - 1)) > 0) {
        /* A dangling symlink: continue at its target, still inside root. */
        target[n] = 0;
        *end = saved;
        prefix[plen] = 0;
        char again[8192];
        snprintf(again, sizeof again, "%s/%s/%s", target[0] == '/' ? "" : prefix, target, end);
        close(parent);
        return open_in_root(root, again, as_file, extra, depth + 1);
      }
      next = openat2_in(root, prefix, O_PATH, how);
    }
    close(parent);
    *end = saved;
    if (last || next < 0) return next;
    parent = next;
  }
  return -1;
}

/* Remount flags the kernel insists on keeping (they may be locked in a user namespace). */
static unsigned long kept_flags(const char *path) {
  struct statvfs sv;
  unsigned long f = 0;
  if (statvfs(path, &sv) < 0) return 0;
  if (sv.f_flag & ST_NOSUID) f |= MS_NOSUID;
  if (sv.f_flag & ST_NODEV) f |= MS_NODEV;
  if (sv.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
  if (sv.f_flag & ST_RDONLY) f |= MS_RDONLY;
  if (sv.f_flag & ST_NOATIME) f |= MS_NOATIME;
  if (sv.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
  if (sv.f_flag & ST_RELATIME) f |= MS_RELATIME;
  return f;
}

/* One 'M' record: src, dst, fstype, flags, propagation flags, data. */
static void do_mount(int root, struct record *m) {
  const char *src = m->fields[0], *dst = m->fields[1], *type = m->fields[2];
  unsigned long flags = strtoul(m->fields[3], NULL, 0), pflags = strtoul(m->fields[4], NULL, 0);
  const char *data = m->fields[5];
  char target[64], source[64];
  int srcfd = -1, as_file = 0;
  if (flags & MS_BIND) {
    struct stat st;
    srcfd = open(src, O_PATH | O_CLOEXEC);
    if (srcfd < 0 || fstat(srcfd, &st) < 0) die("bind source %s", src);
    as_file = !S_ISDIR(st.st_mode);
    fdpath(source, sizeof source, srcfd);
    src = source;
  }
  /* proc and sysfs must land on a plain directory (runc's rule): no symlinks at all. */
  int strict = !strcmp(type, "proc") || !strcmp(type, "sysfs");
  int fd = open_in_root(root, dst, as_file, strict ? RESOLVE_NO_SYMLINKS : 0, 0);
  if (fd < 0) die("mount destination %s", dst);
  fdpath(target, sizeof target, fd);
  if (flags & MS_BIND) {
    if (mount(src, target, NULL, MS_BIND | (flags & MS_REC), NULL) < 0) die("bind %s", dst);
    unsigned long extra = flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
    /* A fresh fd: the bind covered the old dentry; the remount applies to the new mount. */
    close(fd);
    fd = open_in_root(root, dst, as_file, 0, 0);
    fdpath(target, sizeof target, fd);
    if (extra && mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | extra | kept_flags(target),
                       NULL) < 0)
      die("remount %s", dst);
  } else if (mount(src, target, type, flags, *data ? data : NULL) < 0) {
    die("mount %s on %s", type, dst);
  }
  if (pflags) {
    close(fd);
    fd = open_in_root(root, dst, as_file, 0, 0);
    fdpath(target, sizeof target, fd);
    if (mount(NULL, target, NULL, pflags, NULL) < 0) die("propagation of %s", dst);
  }
  close(fd);
  if (srcfd >= 0) close(srcfd);
}

/* Opens the parent directory of path inside root and returns the last component in *name. */
static int open_parent(int root, const char *path, char *buf, size_t n, const char **name) {
  snprintf(buf, n, "%s", path);
  char *slash = strrchr(buf, '/');
  if (!slash) return -1;
  *name = slash + 1;
  *slash = 0;
  return open_in_root(root, *buf ? buf : "/", 0, 0, 0);
}

/* 'D' record: path, type (c/b/p), major, minor, mode, uid, gid. In a user namespace mknod
 * is refused, so the host's node of the same path is bind-mounted instead (as runc). */
static void do_device(int root, struct record *d, int in_userns) {
  char buf[4096], target[64];
  const char *name;
  int dir = open_parent(root, d->fields[0], buf, sizeof buf, &name);
  if (dir < 0) die("device directory for %s", d->fields[0]);
  mode_t mode = (mode_t)strtoul(d->fields[4], NULL, 0) & 07777;
  char t = d->fields[1][0];
  mode |= t == 'b' ? S_IFBLK : t == 'p' ? S_IFIFO : S_IFCHR;
  dev_t dev = makedev(strtoul(d->fields[2], NULL, 0), strtoul(d->fields[3], NULL, 0));
  if (in_userns) {
    int f = openat(dir, name, O_CREAT | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0644);
    if (f < 0) die("device %s", d->fields[0]);
    close(f);
    int fd = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    fdpath(target, sizeof target, fd);
    if (mount(d->fields[0], target, NULL, MS_BIND, NULL) < 0) die("bind device %s", d->fields[0]);
    close(fd);
  } else {
    unlinkat(dir, name, 0);
    if (mknodat(dir, name, mode, dev) < 0) die("mknod %s", d->fields[0]);
    if (fchownat(dir, name, (uid_t)strtoul(d->fields[5], NULL, 0),
                 (gid_t)strtoul(d->fields[6], NULL, 0), AT_SYMLINK_NOFOLLOW) < 0)
      die("chown %s", d->fields[0]);
    /* mknod applies the umask; the spec's mode is exact. */
    if (fchmodat(dir, name, mode & 07777, 0) < 0) die("chmod %s", d->fields[0]);
  }
  close(dir);
}

/* 'L' record: target, link path (inside root). An existing entry is kept. */
static void do_symlink(int root, struct record *l) {
  char buf[4096];
  const char *name;
  int dir = open_parent(root, l->fields[1], buf, sizeof buf, &name);
  if (dir < 0 || (symlinkat(l->fields[0], dir, name) < 0 && errno != EEXIST))
    die("symlink %s", l->fields[1]);
  close(dir);
}

static void pivot(const char *rootfs, int no_pivot) {
  if (chdir(rootfs) < 0) die("chdir to rootfs");
  if (no_pivot) {
    if (mount(rootfs, "/", NULL, MS_MOVE, NULL) < 0) die("move rootfs");
    if (chroot(".") < 0) die("chroot");
  } else {
    /* pivot_root(".", ".") stacks the old root on top of the new one; detach it. */
    int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (oldroot < 0 || syscall(SYS_pivot_root, ".", ".") < 0) die("pivot_root");
    if (fchdir(oldroot) < 0) die("fchdir old root");
    if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0) die("old root slave");
    if (umount2(".", MNT_DETACH) < 0) die("unmount old root");
    close(oldroot);
  }
  if (chdir("/") < 0) die("chdir /");
}

/* Masked paths: ro tmpfs over directories, /dev/null over anything else; absent ones skip. */
static void mask_paths(void) {
  for (int i = 0; i < P.nrecs; i++) {
    struct record *r = &P.recs[i];
    if (r->tag != 'K') continue;
    struct stat st;
    if (stat(r->fields[0], &st) < 0) {
      if (errno == ENOENT) continue;
      die("masked path %s", r->fields[0]);
    }
    int rc = S_ISDIR(st.st_mode)
                 ? mount("tmpfs", r->fields[0], "tmpfs", MS_RDONLY, NULL)
                 : mount("/dev/null", r->fields[0], NULL, MS_BIND, NULL);
    if (rc < 0) die("mask %s", r->fields[0]);
  }
}

static void readonly_paths(void) {
  for (int i = 0; i < P.nrecs; i++) {
    const char *p = P.recs[i].fields[0];
    if (P.recs[i].tag != 'O') continue;
    if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) < 0) {
      if (errno == ENOENT) continue;
      die("readonly path %s", p);
    }
    if (mount(NULL, p, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC | kept_flags(p), NULL) < 0)
      die("remount readonly %s", p);
  }
}

/* Runs one 'k' hook record (phase, timeout, path, nargs, args..., env...) with the state on
 * stdin, as the runtime spec requires; a failing hook fails the container. */
static void run_hook(struct record *h, const char *state) {
  int nargs = atoi(h->fields[3]), timeout = atoi(h->fields[1]);
  char *argv[MAX_FIELDS + 1] = {0}, *envp[MAX_FIELDS + 1] = {0};
  for (int i = 0; i < nargs; i++) argv[i] = h->fields[4 + i];
  for (int i = 4 + nargs, j = 0; i < h->nfields; i++) envp[j++] = h->fields[i];
  if (!argv[0]) argv[0] = h->fields[2];
  int in[2];
  if (pipe2(in, O_CLOEXEC) < 0) die("hook pipe");
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    execve(h->fields[2], argv, envp);
    _exit(127);
  }
  close(in[0]);
  if (write(in[1], state, strlen(state)) < 0) { /* a hook may ignore its stdin */ }
  close(in[1]);
  int status = 0;
  for (long waited = 0;; waited += 10) {
    pid_t w = waitpid(pid, &status, timeout > 0 ? WNOHANG : 0);
    if (w == pid) break;
    if (timeout > 0 && waited >= timeout * 1000L) {
      kill(pid, SIGKILL);
      waitpid(pid, NULL, 0);
      errno = ETIMEDOUT;
      die("%s hook %s", h->fields[0], h->fields[2]);
    }
    usleep(10000);
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    errno = ECHILD;
    die("%s hook %s exited with %d", h->fields[0], h->fields[2], WEXITSTATUS(status));
  }
}

/* Runs the hooks of one phase; stamps `name` when there were any. */
static void run_hooks(const char *phase, const char *name) {
  struct record *s = plan_get(&P, 's');
  if (!s) return;
  char state[65536];
  int ran = 0;
  snprintf(state, sizeof state, "%s%d%s", s->fields[0], host_pid, s->fields[1]);
  for (int i = 0; i < P.nrecs; i++)
    if (P.recs[i].tag == 'k' && !strcmp(P.recs[i].fields[0], phase)) {
      run_hook(&P.recs[i], state);
      ran = 1;
    }
  if (ran) stamp(name);
}

/* Creates the container's pty and sends its master over the console socket (SCM_RIGHTS,
 * with the pty's path as the message, as runc does), then makes the slave our terminal. */
static void setup_terminal(int sock) {
  int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  int unlock = 0, n = 0;
  if (master < 0 || ioctl(master, TIOCSPTLCK, &unlock) < 0 || ioctl(master, TIOCGPTN, &n) < 0)
    die("open /dev/ptmx");
  struct record *size = plan_get(&P, 'w');
  if (size) {
    struct winsize ws = {.ws_row = (unsigned short)atoi(size->fields[0]),
                         .ws_col = (unsigned short)atoi(size->fields[1])};
    if (ioctl(master, TIOCSWINSZ, &ws) < 0) die("set console size");
  }
  int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
  if (slave < 0) die("open pty peer");
  char name[64];
  snprintf(name, sizeof name, "/dev/pts/%d", n);
  struct iovec iov = {.iov_base = name, .iov_len = strlen(name)};
  char cbuf[CMSG_SPACE(sizeof(int))] = {0};
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
                       .msg_controllen = sizeof cbuf};
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &master, sizeof(int));
  if (sendmsg(sock, &msg, 0) < 0) die("send pty to console socket");
  close(master);
  close(sock);
  setsid();
  if (ioctl(slave, TIOCSCTTY, 0) < 0) die("set controlling terminal");
  for (int i = 0; i < 3; i++)
    if (dup2(slave, i) < 0) die("dup pty");
  if (slave > 2) close(slave);
}

/* 'c' record: bounding, effective, inheritable, permitted, ambient as 64-bit masks. 'u':
 * uid, gid, umask; 'a': one additional gid each. KEEPCAPS carries permitted over setuid. */
static void set_credentials(void) {
  struct record *c = plan_get(&P, 'c');
  unsigned long long m[5] = {~0ULL, ~0ULL, ~0ULL, ~0ULL, 0};
  for (int i = 0; c && i < 5; i++) m[i] = strtoull(c->fields[i], NULL, 16);
  if (c)
    for (int cap = 0; cap < 64; cap++)
      if (!(m[0] & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
        die("drop bounding capability %d", cap);
  if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) die("keepcaps");
  gid_t groups[MAX_ITEMS];
  int ngroups = 0;
  for (int i = 0; i < P.nrecs && ngroups < MAX_ITEMS; i++)
    if (P.recs[i].tag == 'a') groups[ngroups++] = (gid_t)strtoul(P.recs[i].fields[0], NULL, 0);
  uid_t uid = (uid_t)plan_num(&P, 'u', 0, 0);
  gid_t gid = (gid_t)plan_num(&P, 'u', 1, 0);
  /* setgroups is denied when the map writer chose "deny"; then leave the groups alone. */
  if (plan_get(&P, 'u') && setgroups((size_t)ngroups, groups) < 0 && errno != EPERM)
    die("setgroups");
  if (setresgid(gid, gid, gid) < 0) die("setresgid %u", gid);
  if (setresuid(uid, uid, uid) < 0) die("setresuid %u", uid);
  if (!c) return;
  struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct data[2];
  for (int i = 0; i < 2; i++) {
    data[i].effective = (uint32_t)(m[1] >> (32 * i));
    data[i].inheritable = (uint32_t)(m[2] >> (32 * i));
    data[i].permitted = (uint32_t)(m[3] >> (32 * i));
  }
  if (syscall(SYS_capset, &hdr, data) < 0) die("capset");
  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  /* Raising needs the cap in permitted and inheritable; runc only warns when it is not. */
  for (int cap = 0; cap < 64; cap++)
    if (m[4] & (1ULL << cap)) prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0);
}

static void load_seccomp(void) {
  struct record *b = plan_get(&P, 'B');
  if (!b) return;
  struct sock_fprog prog = {.len = (unsigned short)(b->len / sizeof(struct sock_filter)),
                            .filter = (struct sock_filter *)b->data};
  unsigned int flags = (unsigned int)plan_num(&P, 'b', 0, 0);
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog) < 0) die("load seccomp filter");
}

/* Finds args[0] on the container's PATH (from its env), as runc's exec lookup does. */
static int is_executable(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

static const char *find_exec(const char *file, char **envp, char *buf, size_t n) {
  if (strchr(file, '/')) return is_executable(file) ? file : NULL;
  const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  for (char **e = envp; *e; e++)
    if (!strncmp(*e, "PATH=", 5)) path = *e + 5;
  for (const char *p = path; *p;) {
    size_t len = strcspn(p, ":");
    snprintf(buf, n, "%.*s/%s", (int)len, len ? p : ".", file);
    if (is_executable(buf)) return buf;
    p += len + (p[len] == ':');
  }
  errno = ENOENT;
  return NULL;
}

/* Why `file` cannot be executed, in the words of Go's exec.LookPath (so runc's), which Docker
 * maps to exit codes: 127 for "not found"/"no such file", 126 for "permission denied". */
static void fail_exec_lookup(const char *file) {
  struct stat st;
  if (!strchr(file, '/')) fail("exec: \"%s\": executable file not found in $PATH", file);
  if (stat(file, &st) < 0) {
    char text[128];
    snprintf(text, sizeof text, "%s", strerror(errno));
    text[0] = (char)tolower((unsigned char)text[0]); /* Go's errno texts are lower case */
    fail("exec: \"%s\": stat %s: %s", file, file, text);
  }
  fail("exec: \"%s\": %s", file, S_ISDIR(st.st_mode) ? "is a directory" : "permission denied");
}

static char **collect(char tag) {
  static char *lists[2][MAX_ITEMS * 2];
  char **out = lists[tag == 'E'];
  int n = 0;
  for (int i = 0; i < P.nrecs && n < MAX_ITEMS * 2 - 1; i++)
    if (P.recs[i].tag == tag) out[n++] = P.recs[i].fields[0];
  out[n] = NULL;
  return out;
}

/* Between the rootfs setup and entering the root. */
static void rootfs_hooks(void) {
  if (plan_get(&P, 'z')) {
    /* prestart/createRuntime hooks run in the runtime, now that the mounts exist. */
    char go;
    report("hooks\n");
    if (read(REPORT_FD, &go, 1) != 1) die("waiting for runtime hooks");
    stamp("hooks.prestart");
  }
  /* in the container's namespaces, before pivot_root */
  run_hooks("createContainer", "hooks.create_container");
}

/* No mount namespace of its own: nothing is mounted (it would land in the host's mount
 * table), the root is only entered with chroot. */
static void enter_chroot(const char *root) {
  rootfs_hooks();
  if (chdir(root) < 0) die("chdir to rootfs %s", root);
  if (chroot(".") < 0) die("chroot");
  if (chdir("/") < 0) die("chdir /");
  stamp("chroot");
}

static void container_mounts(void) {
  struct record *r = plan_get(&P, 'R');
  const char *rootfs = r->fields[0];
  unsigned long prop = strtoul(r->fields[3], NULL, 0);
  int no_pivot = atoi(r->fields[2]);
  int userns = (plan_num(&P, 'C', 0, 0) & CLONE_NEWUSER) != 0 || plan_get(&P, 'U') != NULL;
  /* Stop mount events leaking back to the host. Only a private propagation is applied this
   * early; the others (shared, unbindable) would break the rootfs bind or pivot_root and are
   * applied to the new root after pivot_root. */
  unsigned long pre = (prop & MS_PRIVATE) ? prop : (MS_REC | MS_SLAVE);
  if (mount(NULL, "/", NULL, pre, NULL) < 0) die("root propagation");
  if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0) die("bind rootfs");
  if (!no_pivot && mount(NULL, rootfs, NULL, MS_PRIVATE, NULL) < 0) die("rootfs private");
  int root = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) die("open rootfs %s", rootfs);
  stamp("rootfs");
  char group = 0; /* the tag of the records being applied: one span per run of a tag */
  for (int i = 0; i < P.nrecs; i++) {
    struct record *x = &P.recs[i];
    if (x->tag != 'M' && x->tag != 'D' && x->tag != 'L') continue;
    if (group && x->tag != group) stamp(mount_group(group));
    group = x->tag;
    if (x->tag == 'M') do_mount(root, x);
    else if (x->tag == 'D') do_device(root, x, userns);
    else do_symlink(root, x);
  }
  if (group) stamp(mount_group(group));
  close(root);
  rootfs_hooks();
  pivot(rootfs, no_pivot);
  if (prop && mount(NULL, "/", NULL, prop, NULL) < 0) die("rootfs propagation");
  stamp("pivot_root");
}

/* After sysctls are written (as runc orders it): protect paths, then the root itself. */
static void finalize_rootfs(void) {
  readonly_paths();
  stamp("readonly_paths");
  mask_paths();
  stamp("masked_paths");
  if (atoi(plan_get(&P, 'R')->fields[1])) {
    if (mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | kept_flags("/"), NULL) < 0)
      die("readonly root");
    stamp("readonly_root");
  }
}

static void set_rlimits_and_oom(void) {
  for (int i = 0; i < P.nrecs; i++) {
    struct record *r = &P.recs[i];
    if (r->tag != 'r') continue;
    struct rlimit rl = {strtoull(r->fields[1], NULL, 0), strtoull(r->fields[2], NULL, 0)};
    if (setrlimit(atoi(r->fields[0]), &rl) < 0) die("setrlimit %s", r->fields[0]);
  }
  struct record *o = plan_get(&P, 'o');
  if (o && write_file("/proc/self/oom_score_adj", o->fields[0]) < 0) die("oom_score_adj");
}

static void set_uts_and_sysctls(void) {
  struct record *h = plan_get(&P, 'H'), *d = plan_get(&P, 'h');
  if (h && sethostname(h->fields[0], strlen(h->fields[0])) < 0) die("sethostname");
  if (d && setdomainname(d->fields[0], strlen(d->fields[0])) < 0) die("setdomainname");
  for (int i = 0; i < P.nrecs; i++) {
    struct record *s = &P.recs[i];
    char path[512];
    if (s->tag != 'S') continue;
    snprintf(path, sizeof path, "/proc/sys/%s", s->fields[0]);
    if (write_file(path, s->fields[1]) < 0) die("sysctl %s", s->fields[0]);
  }
}

/* runc's --pid-file ('I'): written whole (temp file, rename) before anyone waits on it; a
 * monitor parenting the process reads it as soon as we exit. Its directory is opened before
 * any namespace is joined (an exec joins the container's mounts, where the path is not). */
static int pid_dir = -1;
static const char *pid_name;

static void open_pid_dir(void) {
  struct record *r = plan_get(&P, 'I');
  if (!r) return;
  char *slash = strrchr(r->fields[0], '/');
  if (!slash) {
    errno = EINVAL;
    die("pid file %s is not an absolute path", r->fields[0]);
  }
  *slash = '\0';
  pid_dir = open(*r->fields[0] ? r->fields[0] : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  *slash = '/';
  pid_name = slash + 1;
  if (pid_dir < 0) die("open pid file directory of %s", r->fields[0]);
}

static void write_pid_file(pid_t pid) {
  if (pid_dir < 0) return;
  char tmp[300], text[16];
  snprintf(tmp, sizeof tmp, ".%d.pid.tmp", getpid());
  snprintf(text, sizeof text, "%d", pid);
  int fd = openat(pid_dir, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) || close(fd) < 0 ||
      renameat(pid_dir, tmp, pid_dir, pid_name) < 0)
    die("write pid file %s", pid_name);
  close(pid_dir);
}

/* The container process, from the parent's go-ahead to execve. */
static void child(int sync, int console, int fifo) {
  nstamps = 0; /* the parent reports its own phases */
  if (pid_dir >= 0) close(pid_dir); /* the host's: never inside the container */
  if (read(sync, &host_pid, sizeof host_pid) != sizeof host_pid) die("waiting for id maps");
  close(sync);
  stamp("sync");
  if (plan_get(&P, 'U') && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
    die("become root in the user namespace");
  /* The exec fifo is reopened through this, not a path: the container's root may have no
   * /proc (chroot without a mount namespace, or no proc mount). Closed by execve. */
  int self_fds = fifo >= 0 ? open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
  if (fifo >= 0 && self_fds < 0) die("open /proc/self/fd");
  set_rlimits_and_oom();
  int init = !strcmp(plan_get(&P, 'm')->fields[0], "init");
  if (init && setsid() < 0) die("setsid");
  stamp("rlimits");
  if (plan_get(&P, 'R')) container_mounts();
  else if (plan_get(&P, 'X')) enter_chroot(plan_get(&P, 'X')->fields[0]);
  set_uts_and_sysctls();
  stamp("sysctls");
  if (plan_get(&P, 'R')) finalize_rootfs();
  if (console >= 0) {
    setup_terminal(console);
    stamp("terminal");
  }
  char **argv = collect('A'), **envp = collect('E');
  struct record *w = plan_get(&P, 'W');
  /* Checked after pivot_root with no host fd left open, and before a seccomp profile could
   * deny getcwd (CVE-2024-21626). */
  char cwd[8];
  if (w && chdir(w->fields[0]) < 0) die("chdir to cwd (\"%s\")", w->fields[0]);
  if (!getcwd(cwd, sizeof cwd) && errno != ERANGE) die("cwd is outside the container");
  stamp("cwd");
  int nnp = plan_get(&P, 'n') != NULL;
  if (!nnp && plan_get(&P, 'B')) {
    load_seccomp(); /* without no_new_privs the filter needs CAP_SYS_ADMIN */
    stamp("seccomp");
  }
  set_credentials();
  stamp("capabilities");
  /* Again as the container user: the cwd must be reachable with its permissions. */
  if (w && chdir(w->fields[0]) < 0) die("chdir to cwd (\"%s\")", w->fields[0]);
  if (nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) die("no_new_privs");
  char pathbuf[4096];
  const char *exe = argv[0] ? find_exec(argv[0], envp, pathbuf, sizeof pathbuf) : NULL;
  if (!exe) fail_exec_lookup(argv[0] ? argv[0] : "");
  stamp("exec_lookup");
  run_hooks("startContainer", "hooks.start_container");
  umask((mode_t)plan_num(&P, 'u', 2, 022));
  report_stamps("ready\n");
  close(REPORT_FD);
  if (fifo >= 0) {
    /* Blocks until `start` opens the fifo for reading; the byte tells it when we exec. */
    char p[16], when[32];
    struct timespec ts;
    snprintf(p, sizeof p, "%d", fifo);
    int w = openat(self_fds, p, O_WRONLY | O_CLOEXEC);
    clock_gettime(CLOCK_REALTIME, &ts);
    int n = snprintf(when, sizeof when, "%lld%09ld", (long long)ts.tv_sec, ts.tv_nsec);
    if (w < 0 || write(w, when, (size_t)n) != n) {
      perror("berth-launch: exec fifo");
      _exit(1);
    }
  }
  if (nnp) load_seccomp();
  syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
  execve(exe, argv, envp);
  fprintf(stderr, "berth-launch: exec %s: %s\n", exe, strerror(errno));
  _exit(127);
}

/* Joins the namespaces named by 'N' records (flag, path). All are opened first (joining the
 * mount namespace changes what /proc shows), then the user namespace is joined first, as
 * the others may belong to it. */
static void join_namespaces(void) {
  int fds[MAX_ITEMS], flags[MAX_ITEMS], n = 0;
  for (int i = 0; i < P.nrecs && n < MAX_ITEMS; i++) {
    struct record *r = &P.recs[i];
    if (r->tag != 'N') continue;
    flags[n] = (int)strtol(r->fields[0], NULL, 0);
    fds[n] = open(r->fields[1], O_RDONLY | O_CLOEXEC);
    if (fds[n++] < 0) die("open namespace %s", r->fields[1]);
  }
  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < n; i++) {
      if ((flags[i] == CLONE_NEWUSER) != (pass == 0)) continue;
      if (setns(fds[i], flags[i]) < 0) die("join namespace (flag %#x)", flags[i]);
      close(fds[i]);
    }
}

static void write_id_maps(pid_t pid) {
  char path[64];
  struct record *u = plan_get(&P, 'U'), *g = plan_get(&P, 'G');
  snprintf(path, sizeof path, "/proc/%d/uid_map", pid);
  if (u && write_file(path, u->fields[0]) < 0) die("write uid_map");
  snprintf(path, sizeof path, "/proc/%d/gid_map", pid);
  if (g && write_file(path, g->fields[0]) < 0) die("write gid_map");
}

/* Moves us into the container's cgroup ('P' records: one file per hierarchy, v1 `tasks` or v2
 * cgroup.procs) before anything is created, so that every process of the container starts
 * inside it. Writing 0 moves the writer, here our only thread: the runtime need not wait for
 * our pid, and on v1 the kernel skips the thread-group lock and its RCU grace period. */
static void join_cgroup(void) {
  for (int i = 0; i < P.nrecs; i++)
    if (P.recs[i].tag == 'P' && write_file(P.recs[i].fields[0], "0") < 0)
      die("join cgroup %s", P.recs[i].fields[0]);
}

static pid_t fg_child;
static void forward(int sig) { kill(fg_child, sig); }

/* Foreground mode (run, exec without -d): stay as the parent and exit like the process. */
static int wait_foreground(pid_t pid) {
  int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT};
  struct sigaction sa = {.sa_handler = forward};
  fg_child = pid;
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) sigaction(sigs[i], &sa, NULL);
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return 255;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* CVE-2019-5736: a container process must never be able to open this binary for writing
 * through /proc/<pid>/exe. Run from a sealed, anonymous copy of it instead (as runc). */
static void reexec_sealed(char **argv, char **envp) {
  int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (self < 0) die("open /proc/self/exe");
  int seals = fcntl(self, F_GET_SEALS);
  if (seals >= 0 && (seals & F_SEAL_WRITE)) {
    close(self);
    return;
  }
  int copy = memfd_create("berth-launch", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  struct stat st;
  if (copy < 0 || fstat(self, &st) < 0) die("memfd for sealed copy");
  for (off_t off = 0; off < st.st_size;)
    if (sendfile(copy, self, &off, (size_t)(st.st_size - off)) <= 0) die("copy launcher");
  if (fcntl(copy, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
    die("seal launcher copy");
  fexecve(copy, argv, envp);
  die("exec sealed launcher");
}

int main(int argc, char **argv, char **envp) {
  (void)argc;
  reexec_sealed(argv, envp);
  stamp("spawn"); /* the runtime spawned us and we re-executed from a sealed copy */
  if (plan_read(REPORT_FD, &P) < 0) die("read launch plan");
  stamp("plan");
  join_cgroup();
  stamp("cgroup");
  struct record *mode = plan_get(&P, 'm');
  if (!mode || mode->nfields < 2) {
    errno = EINVAL;
    die("launch plan has no mode");
  }
  int console = -1, fifo = -1;
  struct record *y = plan_get(&P, 'Y'), *f = plan_get(&P, 'F');
  if (y) {
    struct sockaddr_un {
      sa_family_t sun_family;
      char sun_path[108];
    } addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s", y->fields[0]);
    console = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (console < 0 || connect(console, (struct sockaddr *)&addr, sizeof addr) < 0)
      die("connect console socket %s", y->fields[0]);
  }
  if (f) {
    if (mkfifo(f->fields[0], 0622) < 0 || chmod(f->fields[0], 0622) < 0 ||
        chown(f->fields[0], (uid_t)strtoul(f->fields[1], NULL, 0), -1) < 0)
      die("create exec fifo");
    fifo = open(f->fields[0], O_PATH | O_CLOEXEC);
    if (fifo < 0) die("open exec fifo");
  }
  open_pid_dir();
  join_namespaces();
  stamp("namespaces.join");
  long long flags = plan_num(&P, 'C', 0, 0);
  struct record *t = plan_get(&P, 'T');
  if (flags & CLONE_NEWTIME) {
    /* clone() has no room for CLONE_NEWTIME; unshare applies it to our children. */
    if (unshare(CLONE_NEWTIME) < 0) die("unshare time namespace");
    if (t && write_file("/proc/self/timens_offsets", t->fields[0]) < 0) die("time offsets");
    flags &= ~CLONE_NEWTIME;
  }
  int sync[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sync) < 0) die("socketpair");
  pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)flags | SIGCHLD, 0, 0, 0, 0);
  if (pid < 0) die("clone");
  if (pid == 0) {
    close(sync[0]);
    child(sync[1], console, fifo);
  }
  stamp("namespaces.create");
  close(sync[1]);
  write_id_maps(pid);
  stamp("id_maps");
  write_pid_file(pid);
  char line[32];
  snprintf(line, sizeof line, "pid %d\n", pid);
  report_stamps(line);
  if (write(sync[0], &pid, sizeof pid) != sizeof pid) die("start container process");
  close(sync[0]);
  close(REPORT_FD);
  return atoi(mode->fields[1]) ? wait_foreground(pid) : 0;
}
