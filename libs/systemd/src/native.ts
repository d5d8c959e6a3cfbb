// The C functions this lib needs, bound with koffi on first use: libsystemd's sd_notify and
// sd_journal_sendv (the reference implementations of both protocols, present wherever systemd
// runs) and libc's fcntl for inherited sockets. Loaded through require() so that a service that
// is not under systemd never loads the addon, and so that calls stay synchronous.
import type * as KoffiModule from 'koffi';
import { createRequire } from 'node:module';

type Koffi = typeof KoffiModule;

export interface IoVec {
  base: Buffer;
  len: number;
}

export interface LibSystemd {
  /** sd_notify(3): >0 sent, 0 when NOTIFY_SOCKET is unset, <0 a negative errno. */
  notify(unsetEnvironment: number, state: string): number;
  /** sd_journal_sendv(3): 0 or a negative errno. */
  journalSendv(iov: IoVec[], n: number): number;
}

export interface LibC {
  fcntl(fd: number, cmd: number, arg: number): number;
  errno(): number;
}

const requireNative = createRequire(import.meta.url);
let koffi: Koffi | undefined;
let systemd: LibSystemd | undefined;
let libc: LibC | undefined;

function loadKoffi(): Koffi {
  koffi ??= requireNative('koffi') as Koffi;
  return koffi;
}

export function libsystemd(): LibSystemd {
  if (!systemd) {
    const k = loadKoffi();
    const lib = k.load('libsystemd.so.0');
    // Anonymous struct: a named one would clash with other libs' koffi types in one process.
    const iovec = k.struct({ base: 'const void *', len: 'size_t' });
    systemd = {
      notify: lib.func('sd_notify', 'int', ['int', 'const char *']),
      journalSendv: lib.func('sd_journal_sendv', 'int', [k.pointer(iovec), 'int']),
    };
  }
  return systemd;
}

export function libC(): LibC {
  if (!libc) {
    const k = loadKoffi();
    const fcntl = k.load('libc.so.6').func('int fcntl(int, int, ...)');
    libc = {
      fcntl: (fd, cmd, arg) => fcntl(fd, cmd, 'int', arg) as number,
      errno: () => k.errno(),
    };
  }
  return libc;
}
