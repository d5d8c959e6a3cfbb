// The one binding to syscalls Node lacks that need no fork: pidfds (signal the right process
// even if its pid is reused), receiving an fd over SCM_RIGHTS (console sockets), setting a
// pty's window size and sealed memfds. Loaded lazily: koffi stays off the start path of
// commands without them.
import { writeSync } from 'node:fs';
import koffi from 'koffi';

const SYS_pidfd_send_signal = 424;
const SYS_pidfd_open = 434;
const SOL_SOCKET = 1;
const SCM_RIGHTS = 1;
const MSG_DONTWAIT = 0x40;
const MSG_CMSG_CLOEXEC = 0x40000000;
const TIOCSWINSZ = 0x5414;
const EAGAIN = 11;
const MFD_CLOEXEC = 1;
const MFD_ALLOW_SEALING = 2;
const F_ADD_SEALS = 1033;
// F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE
const ALL_SEALS = 0x1 | 0x2 | 0x4 | 0x8;

export class SysError extends Error {
  override name = 'SysError';
  constructor(
    what: string,
    readonly errno: number,
  ) {
    super(`${what}: errno ${errno}`);
  }
}

const libc = koffi.load('libc.so.6');
const iovec = koffi.struct('berth_iovec', { base: 'void *', len: 'size_t' });
// Named so the recvmsg prototype below can refer to it.
koffi.struct('berth_msghdr', {
  name: 'void *',
  namelen: 'uint32_t',
  iov: koffi.pointer(iovec),
  iovlen: 'size_t',
  control: 'void *',
  controllen: 'size_t',
  flags: 'int',
});
const syscall = libc.func('long syscall(long, ...)');
const recvmsg = libc.func('long recvmsg(int, _Inout_ berth_msghdr *, int)');
const ioctl = libc.func('int ioctl(int, unsigned long, ...)');
const closeFd = libc.func('int close(int)');
const memfdCreate = libc.func('int memfd_create(const char *, unsigned int)');
const fcntl = libc.func('int fcntl(int, int, ...)');

function check(what: string, rc: number | bigint): number {
  if (Number(rc) < 0) throw new SysError(what, koffi.errno());
  return Number(rc);
}

export function pidfdOpen(pid: number): number {
  return check('pidfd_open', syscall(SYS_pidfd_open, 'int', pid, 'uint', 0));
}

export function pidfdSendSignal(pidfd: number, signal: number): void {
  check(
    'pidfd_send_signal',
    syscall(SYS_pidfd_send_signal, 'int', pidfd, 'int', signal, 'void *', null, 'uint', 0),
  );
}

export function close(fd: number): void {
  closeFd(fd);
}

/** One message with one fd, without blocking: undefined when nothing has arrived yet. */
export function recvFd(sock: number): { fd: number; name: string } | undefined {
  // The kernel writes into these, so they are native allocations, decoded after the call.
  const data = koffi.alloc('uint8_t', 4096);
  const control = koffi.alloc('uint8_t', 64);
  try {
    const msg = {
      name: null,
      namelen: 0,
      iov: [{ base: data, len: 4096 }],
      iovlen: 1,
      control,
      controllen: 64,
      flags: 0,
    };
    const n = Number(recvmsg(sock, msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC));
    if (n < 0) {
      const errno = koffi.errno();
      if (errno === EAGAIN) return undefined;
      throw new SysError('recvmsg', errno);
    }
    // struct cmsghdr { size_t len; int level; int type; } followed by the fd.
    const cmsg = Buffer.from(koffi.decode(control, 'uint8_t', 20) as number[]);
    if (cmsg.readInt32LE(8) !== SOL_SOCKET || cmsg.readInt32LE(12) !== SCM_RIGHTS)
      throw new SysError('recvmsg: no SCM_RIGHTS in message', 0);
    const name = Buffer.from(koffi.decode(data, 'uint8_t', n) as number[]).toString();
    return { fd: cmsg.readInt32LE(16), name };
  } finally {
    koffi.free(data);
    koffi.free(control);
  }
}

export function setWinsize(fd: number, rows: number, cols: number): void {
  const ws = Buffer.alloc(8);
  ws.writeUInt16LE(rows, 0);
  ws.writeUInt16LE(cols, 2);
  check('TIOCSWINSZ', ioctl(fd, TIOCSWINSZ, 'void *', ws));
}

/** A close-on-exec memfd holding `content`, sealed against any change. */
export function sealedMemfd(name: string, content: Uint8Array): number {
  const fd = check('memfd_create', memfdCreate(name, MFD_CLOEXEC | MFD_ALLOW_SEALING));
  try {
    for (let off = 0; off < content.length;) off += writeSync(fd, content, off);
    check('F_ADD_SEALS', fcntl(fd, F_ADD_SEALS, 'int', ALL_SEALS));
    return fd;
  } catch (err) {
    closeFd(fd);
    throw err;
  }
}
