// sd_notify(3) from the service's main process. Node has no unix datagram sockets, and
// spawning systemd-notify sends from another pid, which systemd may fail to attribute to the
// unit (NotifyAccess=main rejects it outright). libsystemd's sd_notify, called in-process,
// sends from the main pid itself and synchronously: when it returns, the message is queued
// on systemd's socket.
import { libsystemd } from './native';

export class NotifyError extends Error {
  override name = 'NotifyError';
  constructor(
    readonly state: string,
    readonly errno: number,
  ) {
    super(`sd_notify(${JSON.stringify(state)}) failed: errno ${errno}`);
  }
}

/**
 * Sends newline-separated `KEY=VALUE` assignments to the service manager. Returns false
 * without loading anything when NOTIFY_SOCKET is unset (not a Type=notify unit, or not
 * under systemd); throws NotifyError when the socket is set but the send fails.
 */
export function sdNotify(state: string): boolean {
  // libsystemd reads the same variable from the C environment, which process.env mirrors.
  if (!process.env.NOTIFY_SOCKET) return false;
  const rc = libsystemd().notify(0, state);
  if (rc < 0) throw new NotifyError(state, -rc);
  return rc > 0;
}

/** READY=1: call once the API answers (after listen), never before. */
export function notifyReady(status?: string): boolean {
  return sdNotify(status === undefined ? 'READY=1' : `READY=1\nSTATUS=${oneLine(status)}`);
}

/** STOPPING=1: the service has begun shutting down (on SIGTERM, before closing listeners). */
export function notifyStopping(): boolean {
  return sdNotify('STOPPING=1');
}

/** STATUS=…: the one-line status `systemctl status` shows. */
export function notifyStatus(text: string): boolean {
  return sdNotify(`STATUS=${oneLine(text)}`);
}

// A newline would start a new assignment and could smuggle in READY=1 or MAINPID=.
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
