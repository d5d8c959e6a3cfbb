import koffi from 'koffi';
import net from 'node:net';
import { constants } from 'node:os';

// Runs a short-lived child with glibc's posix_spawn instead of child_process.spawn. libuv
// forks: with a daemon's ~100 MB mapped, copying its page tables blocks the event loop for
// 3-10 ms per child (measured: containerd's shim `start`, the shim server's monitor and runc
// commands, several per container). posix_spawn uses clone(CLONE_VM | CLONE_VFORK), whose
// cost does not grow with the parent (~0.1 ms).

interface Libc {
  pipe2: (fds: Int32Array, flags: number) => number;
  socketpair: (domain: number, type: number, protocol: number, fds: Int32Array) => number;
  close: (fd: number) => number;
  faInit: (fa: Buffer) => number;
  faDup2: (fa: Buffer, fd: number, to: number) => number;
  faChdir: (fa: Buffer, path: string) => number;
  faDestroy: (fa: Buffer) => number;
  attrInit: (attr: Buffer) => number;
  attrSetFlags: (attr: Buffer, flags: number) => number;
  attrSetSigDefault: (attr: Buffer, set: Buffer) => number;
  attrSetSigMask: (attr: Buffer, set: Buffer) => number;
  attrDestroy: (attr: Buffer) => number;
  sigfillset: (set: Buffer) => number;
  sigemptyset: (set: Buffer) => number;
  spawnp: (
    pid: Int32Array,
    file: string,
    fa: Buffer,
    attr: Buffer,
    argv: (string | null)[],
    envp: (string | null)[],
  ) => number;
  waitpid: (pid: number, status: Int32Array, options: number) => number;
}

// glibc x86_64/aarch64: posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336,
// sigset_t 128; the buffers are larger so that no layout can overrun them.
const FILE_ACTIONS_SIZE = 256;
const SPAWNATTR_SIZE = 1024;
const SIGSET_SIZE = 256;
const O_CLOEXEC = 0o2000000;
const AF_UNIX = 1;
const SOCK_STREAM = 1;
const POSIX_SPAWN_SETSIGDEF = 0x04;
const POSIX_SPAWN_SETSIGMASK = 0x08;
const WNOHANG = 1;
const IMMEDIATE_POLLS = 100;

let libc: Libc | undefined;

function load(): Libc {
  if (libc) return libc;
  const lib = koffi.load('libc.so.6');
  libc = {
    pipe2: lib.func('int pipe2(_Out_ int *fds, int flags)'),
    socketpair: lib.func('int socketpair(int domain, int type, int protocol, _Out_ int *fds)'),
    close: lib.func('int close(int fd)'),
    faInit: lib.func('int posix_spawn_file_actions_init(void *fa)'),
    faDup2: lib.func('int posix_spawn_file_actions_adddup2(void *fa, int fd, int newfd)'),
    faChdir: lib.func('int posix_spawn_file_actions_addchdir_np(void *fa, const char *path)'),
    faDestroy: lib.func('int posix_spawn_file_actions_destroy(void *fa)'),
    attrInit: lib.func('int posix_spawnattr_init(void *attr)'),
    attrSetFlags: lib.func('int posix_spawnattr_setflags(void *attr, short flags)'),
    attrSetSigDefault: lib.func('int posix_spawnattr_setsigdefault(void *attr, const void *set)'),
    attrSetSigMask: lib.func('int posix_spawnattr_setsigmask(void *attr, const void *set)'),
    attrDestroy: lib.func('int posix_spawnattr_destroy(void *attr)'),
    sigfillset: lib.func('int sigfillset(void *set)'),
    sigemptyset: lib.func('int sigemptyset(void *set)'),
    spawnp: lib.func(
      'int posix_spawnp(_Out_ int *pid, const char *file, const void *fa, const void *attr, const char **argv, const char **envp)',
    ),
    waitpid: lib.func('int waitpid(int pid, _Out_ int *status, int options)'),
  };
  return libc;
}

export interface CapturedRun {
  /** The exit code, or 128 + the signal that ended the child. */
  status: number;
  stdout: Buffer;
  stderr: Buffer;
  /** It ran past `timeoutMs` and was killed. */
  timedOut?: boolean;
}

export interface RunOptions {
  /** Default: this process's. */
  cwd?: string;
  env: NodeJS.ProcessEnv;
  stdin?: Uint8Array | string;
  /** Past this, the child is killed (SIGKILL) and its output no longer waited for. */
  timeoutMs?: number;
  /** Descriptors the child gets as fd 3, 4, ... (e.g. one end of socketPair()). They are
   * handed over: closed here once the child has them. */
  fds?: number[];
}

function errnoError(call: string, errno: number): NodeJS.ErrnoException {
  const code =
    Object.entries(constants.errno).find(([, n]) => n === errno)?.[0] ?? `errno ${errno}`;
  return Object.assign(new Error(`${call}: ${code}`), { code, errno });
}

function pipe(l: Libc): [number, number] {
  const fds = new Int32Array(2);
  if (l.pipe2(fds, O_CLOEXEC) !== 0) throw errnoError('pipe2', koffi.errno());
  return [fds[0]!, fds[1]!];
}

/** A connected pair of unix stream sockets (close-on-exec): one end to keep, one to hand on. */
export function socketPair(): [number, number] {
  const fds = new Int32Array(2);
  if (load().socketpair(AF_UNIX, SOCK_STREAM | O_CLOEXEC, 0, fds) !== 0) {
    throw errnoError('socketpair', koffi.errno());
  }
  return [fds[0]!, fds[1]!];
}

/** Starts `command` (looked up on PATH) with `args`, feeds it `stdin`, and collects its output. */
export async function runCaptured(
  command: string,
  args: string[],
  options: RunOptions,
): Promise<CapturedRun> {
  const l = load();
  const pipes = [pipe(l), pipe(l), pipe(l)];
  const childEnds = [pipes[0]![0], pipes[1]![1], pipes[2]![1]];
  // The child's descriptors, by number: stdio, then fd 3, 4, ...; ours are closed after spawn.
  const handed = [...childEnds, ...(options.fds ?? [])];
  const fa = Buffer.alloc(FILE_ACTIONS_SIZE);
  const attr = Buffer.alloc(SPAWNATTR_SIZE);
  const all = Buffer.alloc(SIGSET_SIZE);
  const none = Buffer.alloc(SIGSET_SIZE);
  const pid = new Int32Array(1);
  let err = 0;
  try {
    l.faInit(fa);
    l.attrInit(attr);
    handed.forEach((fd, target) => l.faDup2(fa, fd, target));
    if (options.cwd !== undefined) l.faChdir(fa, options.cwd);
    // As child_process does: default dispositions (Node ignores SIGPIPE) and no blocked signals.
    l.sigfillset(all);
    l.sigemptyset(none);
    l.attrSetSigDefault(attr, all);
    l.attrSetSigMask(attr, none);
    l.attrSetFlags(attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    const env = Object.entries(options.env).flatMap(([k, v]) =>
      v === undefined ? [] : `${k}=${v}`,
    );
    err = l.spawnp(pid, command, fa, attr, [command, ...args, null], [...env, null]);
  } finally {
    l.faDestroy(fa);
    l.attrDestroy(attr);
    for (const fd of handed) l.close(fd);
  }
  const [stdinFd, stdoutFd, stderrFd] = [pipes[0]![1], pipes[1]![0], pipes[2]![0]];
  if (err !== 0) {
    for (const fd of [stdinFd, stdoutFd, stderrFd]) l.close(fd);
    throw errnoError(`spawn ${command}`, err);
  }
  const input = new net.Socket({ fd: stdinFd, readable: false, writable: true });
  // A child need not read its stdin: as Go's os/exec, EPIPE there is not a failure.
  input.on('error', () => {});
  input.end(options.stdin ?? '');
  const outputs = [output(stdoutFd), output(stderrFd)] as const;
  let timedOut = false;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          process.kill(pid[0]!, 'SIGKILL');
          // Its own children may still hold the output open: stop waiting for them.
          for (const o of outputs) o.socket.destroy();
        }, options.timeoutMs);
  const [stdout, stderr] = await Promise.all([outputs[0].collected, outputs[1].collected]);
  const status = await reap(l, pid[0]!);
  clearTimeout(timer);
  return { status, stdout, stderr, ...(timedOut ? { timedOut } : {}) };
}

function output(fd: number): { socket: net.Socket; collected: Promise<Buffer> } {
  const socket = new net.Socket({ fd, readable: true, writable: false });
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  const collected = new Promise<Buffer>((resolve) => {
    socket.once('error', () => {});
    socket.once('close', () => resolve(Buffer.concat(chunks)));
  });
  return { socket, collected };
}

/**
 * Waits for the child without blocking the event loop. Its output is closed, so it is exiting
 * and becomes reapable within microseconds: poll on the next turns of the loop first (a timer
 * can take milliseconds on a busy machine), then back off to timers.
 */
async function reap(l: Libc, pid: number): Promise<number> {
  const status = new Int32Array(1);
  for (let tries = 0; ; tries++) {
    const done = l.waitpid(pid, status, WNOHANG);
    if (done === pid) break;
    if (done < 0) throw errnoError(`waitpid ${pid}`, koffi.errno());
    await new Promise((resolve) =>
      (tries < IMMEDIATE_POLLS ? setImmediate : setTimeout)(resolve, 1),
    );
  }
  const raw = status[0]!;
  const signal = raw & 0x7f;
  return signal === 0 ? (raw >> 8) & 0xff : 128 + signal;
}
