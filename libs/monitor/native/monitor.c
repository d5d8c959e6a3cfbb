// berth-monitor: the tiny parent of one container process (init or exec), like conmon.
//
//   berth-monitor -s CTL -e EXIT -p PIDFILE [-i IN] [-o OUT] [-r ERR] [-c CONSOLE]
//                 [-g SERVER -R RESPAWN] [-m MEMCG] [-3] -- RUNTIME ARGS...
//
// It runs `RUNTIME ARGS...` (e.g. `runc create --pid-file PIDFILE ...` or `runc exec --detach
// ...`), becomes a child subreaper so the container process is reparented to it when the
// runtime exits, and then, detached in its own session, outlives any shim:
//   - stdio: the process gets pipes; the monitor copies the stdin FIFO (IN) into one and the
//     others out to the OUT/ERR FIFOs. With -c the runtime sends the pty master over the
//     console socket CONSOLE instead, and the monitor copies IN -> master -> OUT.
//   - control: the shim connects to the unix socket CTL and sends lines: "resize ROWS COLS"
//     (TIOCSWINSZ on the master) or "closein" (close the process's stdin).
//   - OOM: with -m (the process's cgroup v1 memory directory) the monitor registers an
//     eventfd for memory.oom_control once the runtime created the cgroup, and sends "oom"
//     to every control connection when the kernel reports an OOM in it.
//   - server loss: when the last control connection drops while the process still runs, the
//     shim server died; unless another monitor already brought it back (SERVER accepts), the
//     monitor runs the script RESPAWN, so containerd finds the server when it reconnects.
//   - channel: with -3, fd 3 is the invoker's channel to the runtime (berth's launcher reads
//     its plan there and reports progress back): only the runtime keeps it, so the invoker
//     sees it close once the runtime and the process it created are done with it.
//   - exit: once the process is reaped and its output drained, "PID STATUS UNIX_NANOS" is
//     written to EXIT (temp file + rename) and the monitor exits, so every control
//     connection sees EOF. STATUS is the code, or 128+signal, as containerd reports it.
// The invoking parent prints "PROCESS_PID MONITOR_PID" and exits 0 once the runtime has
// succeeded, or exits 1 with the runtime's exit status if it failed.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 8
#define DRAIN_MS 2000 /* how long output may keep flowing after the process exited */

struct opts {
  const char *ctl, *exit_file, *pid_file, *in, *out, *err, *console, *server, *respawn, *memcg;
  int channel; /* -3 */
  char **argv;
};

static void die(const char *what) {
  dprintf(2, "berth-monitor: %s: %s\n", what, strerror(errno));
  exit(1);
}

static int parse(int argc, char **argv, struct opts *o) {
  int c;
  memset(o, 0, sizeof(*o));
  while ((c = getopt(argc, argv, "s:e:p:i:o:r:c:g:R:m:3")) != -1) {
    switch (c) {
    case 's': o->ctl = optarg; break;
    case 'e': o->exit_file = optarg; break;
    case 'p': o->pid_file = optarg; break;
    case 'i': o->in = optarg; break;
    case 'o': o->out = optarg; break;
    case 'r': o->err = optarg; break;
    case 'c': o->console = optarg; break;
    case 'g': o->server = optarg; break;
    case 'R': o->respawn = optarg; break;
    case 'm': o->memcg = optarg; break;
    case '3': o->channel = 1; break;
    default: return -1;
    }
  }
  if (!o->ctl || !o->exit_file || !o->pid_file || optind >= argc) return -1;
  o->argv = argv + optind;
  return 0;
}

static int listen_unix(const char *path) {
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof(addr.sun_path)) {
    errno = ENAMETOOLONG;
    return -1;
  }
  strcpy(addr.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
  unlink(path);
  if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 4) < 0) return -1;
  return fd;
}

/* An output FIFO is opened for writing without blocking when nobody reads it: its content is
   then dropped, as upstream's shim does for a detached task whose client went away. */
static int open_output(const char *path) {
  if (!path || !*path) return -1;
  int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return -1;
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

/* Receives the pty master that the runtime sends over the console socket (SCM_RIGHTS). */
static int receive_fd(int listener) {
  int conn = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
  if (conn < 0) return -1;
  char name[256];
  char control[CMSG_SPACE(sizeof(int))];
  struct iovec iov = {.iov_base = name, .iov_len = sizeof(name)};
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                       .msg_controllen = sizeof(control)};
  int fd = -1;
  if (recvmsg(conn, &msg, MSG_CMSG_CLOEXEC) > 0) {
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
      memcpy(&fd, CMSG_DATA(c), sizeof(int));
  }
  close(conn);
  return fd;
}

static int can_connect(const char *path) {
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  strncpy(addr.sun_path, path, sizeof(addr.sun_path) - 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int ok = fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0;
  if (fd >= 0) close(fd);
  return ok;
}

/* Brings the shim server back. Monitors of one group race here: a pid-based delay spreads
   them out, and the server itself lets only one instance serve. */
static void respawn_server(const struct opts *o) {
  if (!o->server || !o->respawn) return;
  usleep(100000 + (getpid() % 16) * 25000);
  if (can_connect(o->server)) return;
  pid_t pid = fork();
  if (pid == 0) {
    setsid();
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execl("/bin/sh", "sh", o->respawn, (char *)NULL);
    _exit(127);
  }
}

/* cgroup v1 OOM notification: an eventfd tied to memory.oom_control via cgroup.event_control. */
static int watch_oom(const char *memcg) {
  char path[4096], line[64];
  snprintf(path, sizeof(path), "%s/memory.oom_control", memcg);
  int oom = open(path, O_RDONLY | O_CLOEXEC);
  int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  snprintf(path, sizeof(path), "%s/cgroup.event_control", memcg);
  int ctl = open(path, O_WRONLY | O_CLOEXEC);
  int n = snprintf(line, sizeof(line), "%d %d", efd, oom);
  int ok = oom >= 0 && efd >= 0 && ctl >= 0 && write(ctl, line, n) == n;
  if (ctl >= 0) close(ctl);
  if (!ok && efd >= 0) close(efd);
  return ok ? efd : -1; /* the oom fd stays open: the registration lives as long as it does */
}

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Temp file + rename: readers never see half a record, whatever process crashes. No fsync:
   the record only matters while the machine runs (after a power loss the process is gone and
   `delete` reports it killed), and on a disk-backed /run an fsync delays every exit report. */
static void write_exit_file(const char *path, int pid, int status) {
  char tmp[4096], line[96];
  snprintf(tmp, sizeof(tmp), "%s.tmp", path);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return;
  int n = snprintf(line, sizeof(line), "%d %d %lld\n", pid, status, now_ns());
  if (write(fd, line, n) == n) rename(tmp, path);
  close(fd);
}

static int read_pid_file(const char *path) {
  char buf[32] = {0};
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, sizeof(buf) - 1);
  close(fd);
  return n > 0 ? atoi(buf) : -1;
}

static int exit_code(int status) {
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

/* Copies what is readable on `from` to `to` (dropped when `to` is -1). Returns 0 at EOF. */
static int pump(int from, int to) {
  char buf[16384];
  ssize_t n = read(from, buf, sizeof(buf));
  if (n < 0) return errno == EAGAIN || errno == EINTR ? 1 : 0;
  if (n == 0) return 0;
  for (ssize_t off = 0; to >= 0 && off < n;) {
    ssize_t w = write(to, buf + off, n - off);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) break; /* the reader went away: drop the rest */
    off += w;
  }
  return 1;
}

static void handle_command(char *line, int master, int *stdin_w) {
  unsigned short rows, cols;
  if (sscanf(line, "resize %hu %hu", &rows, &cols) == 2 && master >= 0) {
    struct winsize ws = {.ws_row = rows, .ws_col = cols};
    ioctl(master, TIOCSWINSZ, &ws);
  } else if (strncmp(line, "closein", 7) == 0 && *stdin_w >= 0) {
    close(*stdin_w);
    *stdin_w = -1;
  }
}

int main(int argc, char **argv) {
  struct opts o;
  if (parse(argc, argv, &o) < 0) {
    dprintf(2, "usage: berth-monitor -s CTL -e EXIT -p PIDFILE [-i IN] [-o OUT] [-r ERR] "
               "[-c CONSOLE] [-g SERVER -R RESPAWN] [-m MEMCG] [-3] -- RUNTIME ARGS...\n");
    return 2;
  }
  int sync[2];
  if (pipe2(sync, O_CLOEXEC) < 0) die("pipe");
  pid_t daemon = fork();
  if (daemon < 0) die("fork");
  if (daemon > 0) {
    /* The invoker's half: relay the daemon's verdict on the runtime and leave. */
    close(sync[1]);
    if (o.channel) close(3);
    char msg[64] = {0};
    ssize_t n = read(sync[0], msg, sizeof(msg) - 1);
    if (n <= 0) return 1;
    int code = 1;
    if (sscanf(msg, "fail %d", &code) == 1) return code ? code : 1;
    dprintf(1, "%s", msg);
    return 0;
  }
  close(sync[0]);
  setsid();
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) die("PR_SET_CHILD_SUBREAPER");

  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGCHLD);
  sigaddset(&mask, SIGPIPE);
  sigprocmask(SIG_BLOCK, &mask, NULL);
  sigdelset(&mask, SIGPIPE);
  int sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
  int ctl = listen_unix(o.ctl);
  if (sigfd < 0 || ctl < 0) die(o.ctl);
  int console = -1;
  if (o.console && (console = listen_unix(o.console)) < 0) die(o.console);

  /* The process's stdio: pipes we copy, unless a pty carries everything. */
  int in_pipe[2] = {-1, -1}, out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  int stdin_fifo = -1;
  if (o.in && *o.in) {
    if ((stdin_fifo = open(o.in, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0) die(o.in);
    if (!o.console && pipe2(in_pipe, O_CLOEXEC) < 0) die("pipe");
  }
  int out_fifo = open_output(o.out), err_fifo = open_output(o.err);
  if (!o.console) {
    if (pipe2(out_pipe, O_CLOEXEC) < 0 || pipe2(err_pipe, O_CLOEXEC) < 0) die("pipe");
    fcntl(out_pipe[0], F_SETFL, O_NONBLOCK);
    fcntl(err_pipe[0], F_SETFL, O_NONBLOCK);
  }

  pid_t runtime = fork();
  if (runtime < 0) die("fork");
  if (runtime == 0) {
    sigprocmask(SIG_UNBLOCK, &mask, NULL);
    signal(SIGPIPE, SIG_DFL);
    dup2(in_pipe[0] >= 0 ? in_pipe[0] : null, 0);
    dup2(out_pipe[1] >= 0 ? out_pipe[1] : null, 1);
    dup2(err_pipe[1] >= 0 ? err_pipe[1] : null, 2);
    execvp(o.argv[0], o.argv);
    _exit(127);
  }
  if (o.channel) close(3);
  /* Only the process keeps the write ends, so their EOF means all its writers are gone. */
  if (in_pipe[0] >= 0) close(in_pipe[0]);
  if (out_pipe[1] >= 0) close(out_pipe[1]);
  if (err_pipe[1] >= 0) close(err_pipe[1]);
  int stdin_w = in_pipe[1];
  int out_r = out_pipe[0], err_r = err_pipe[0], master = -1;
  dup2(null, 0);
  dup2(null, 1);
  dup2(null, 2);

  int oom_fd = -1;
  int clients[MAX_CLIENTS];
  for (int i = 0; i < MAX_CLIENTS; i++) clients[i] = -1;
  pid_t target = -1;      /* the container process, once the runtime named it */
  int target_status = -1; /* its wait status, once reaped */
  long long exited_at = 0;
  /* Statuses of children reaped before the pid file was read (a fast exec exits early). */
  pid_t early_pid[16];
  int early_status[16], early = 0;

  for (;;) {
    int outputs_open = out_r >= 0 || err_r >= 0 || master >= 0;
    if (target_status >= 0 && (!outputs_open || mono_ms() - exited_at > DRAIN_MS)) break;
    struct pollfd fds[7 + MAX_CLIENTS];
    int n = 0;
    fds[n++] = (struct pollfd){.fd = sigfd, .events = POLLIN};
    fds[n++] = (struct pollfd){.fd = ctl, .events = POLLIN};
    fds[n++] = (struct pollfd){.fd = console, .events = POLLIN};
    fds[n++] = (struct pollfd){.fd = out_r >= 0 ? out_r : master, .events = POLLIN};
    fds[n++] = (struct pollfd){.fd = err_r, .events = POLLIN};
    fds[n++] = (struct pollfd){.fd = (stdin_w >= 0 || master >= 0) ? stdin_fifo : -1,
                               .events = POLLIN};
    fds[n++] = (struct pollfd){.fd = oom_fd, .events = POLLIN};
    for (int i = 0; i < MAX_CLIENTS; i++)
      fds[n++] = (struct pollfd){.fd = clients[i], .events = POLLIN};
    if (poll(fds, n, target_status >= 0 ? 100 : -1) < 0 && errno != EINTR) die("poll");

    if (fds[0].revents) {
      struct signalfd_siginfo si;
      while (read(sigfd, &si, sizeof(si)) > 0) {}
      int status;
      pid_t pid;
      while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        if (pid == runtime) {
          if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || (target = read_pid_file(o.pid_file)) <= 0) {
            /* Clean up before the verdict: the invoker's caller may look right after it. */
            unlink(o.ctl);
            if (o.console) unlink(o.console);
            dprintf(sync[1], "fail %d\n", exit_code(status));
            return 1;
          }
          for (int i = 0; i < early; i++)
            if (early_pid[i] == target) target_status = early_status[i];
          if (o.memcg) oom_fd = watch_oom(o.memcg);
          dprintf(sync[1], "%d %d\n", target, getpid());
          close(sync[1]);
        } else if (pid == target) {
          target_status = status;
        } else if (target < 0 && early < 16) {
          early_pid[early] = pid;
          early_status[early++] = status;
        }
        if (target_status >= 0 && !exited_at) exited_at = mono_ms();
      }
    }
    if (fds[1].revents & POLLIN) {
      int c = accept4(ctl, NULL, NULL, SOCK_CLOEXEC);
      for (int i = 0; c >= 0 && i < MAX_CLIENTS; i++)
        if (clients[i] < 0) {
          clients[i] = c;
          c = -1;
        }
      if (c >= 0) close(c);
    }
    if (fds[2].revents & POLLIN) {
      master = receive_fd(console);
      if (master >= 0) {
        close(console);
        unlink(o.console);
        console = -1;
      }
    }
    if (fds[3].revents && !pump(fds[3].fd, out_fifo)) {
      close(fds[3].fd);
      if (fds[3].fd == out_r) out_r = -1;
      else master = -1;
    }
    if (fds[4].revents && !pump(err_r, err_fifo)) {
      close(err_r);
      err_r = -1;
    }
    if (fds[5].revents) {
      int to = master >= 0 ? master : stdin_w;
      if (!pump(stdin_fifo, to)) {
        /* The client closed its stdin: pass the EOF on (a pty has no EOF to pass). */
        close(stdin_fifo);
        stdin_fifo = -1;
        if (stdin_w >= 0) close(stdin_w);
        stdin_w = -1;
      }
    }
    if (fds[6].revents) {
      uint64_t events;
      if (read(oom_fd, &events, sizeof(events)) == sizeof(events))
        for (int i = 0; i < MAX_CLIENTS; i++)
          if (clients[i] >= 0) dprintf(clients[i], "oom\n");
    }
    for (int i = 0; i < MAX_CLIENTS; i++) {
      if (clients[i] < 0 || !fds[7 + i].revents) continue;
      char line[64] = {0};
      ssize_t r = read(clients[i], line, sizeof(line) - 1);
      if (r <= 0) {
        close(clients[i]);
        clients[i] = -1;
        int others = 0;
        for (int j = 0; j < MAX_CLIENTS; j++) others += clients[j] >= 0;
        if (!others && target > 0 && target_status < 0) respawn_server(&o);
      } else {
        char *save = NULL;
        for (char *cmd = strtok_r(line, "\n", &save); cmd; cmd = strtok_r(NULL, "\n", &save))
          handle_command(cmd, master, &stdin_w);
      }
    }
  }
  write_exit_file(o.exit_file, target, exit_code(target_status));
  unlink(o.ctl);
  return 0;
}
