// Is this process a systemd service, and does its stderr go to the journal?
import { fstatSync } from 'node:fs';

/** True when started by systemd as (part of) a unit: systemd sets INVOCATION_ID for each run. */
export function underSystemd(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.INVOCATION_ID);
}

/**
 * True when fd `fd` is the journal stream systemd connected (StandardError=journal, the
 * default). JOURNAL_STREAM names the stream's device and inode; it is inherited by children and
 * survives redirections, so the fd itself must be compared with it (systemd.exec(5)).
 */
export function isJournalStream(fd = 2, env: NodeJS.ProcessEnv = process.env): boolean {
  const match = /^(\d+):(\d+)$/.exec(env.JOURNAL_STREAM ?? '');
  if (!match) return false;
  try {
    const st = fstatSync(fd, { bigint: true });
    return st.dev === BigInt(match[1]!) && st.ino === BigInt(match[2]!);
  } catch {
    return false;
  }
}
