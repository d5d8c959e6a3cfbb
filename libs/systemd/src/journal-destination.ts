// Where a service's pino logger writes. Under systemd, with stderr connected to the journal,
// lines go over the native journal protocol (sd_journal_sendv), each log field as a journal
// field and the level as PRIORITY; otherwise (a terminal, `berth up`'s log file, a test) they
// stay JSON lines on stderr. A stdout/stderr stream would make every entry one opaque
// MESSAGE at one priority.
import { writeSync } from 'node:fs';
import { isJournalStream } from './detect';
import { journalFields } from './journal-fields';
import { libsystemd } from './native';

/** What pino accepts as a synchronous destination. */
export interface LogDestination {
  write(line: string): void;
}

/** Sends one entry's fields; returns 0 or a negative errno like sd_journal_sendv. */
export type JournalSend = (fields: string[]) => number;

export const sendToJournal: JournalSend = (fields) => {
  const iov = fields.map((f) => {
    const base = Buffer.from(f);
    return { base, len: base.length };
  });
  return libsystemd().journalSendv(iov, iov.length);
};

export function stderrDestination(): LogDestination {
  return { write: (line) => void writeSync(2, line) };
}

/**
 * A destination that writes each line as a journal entry. An entry the journal refuses
 * (journald restarting, a full socket buffer) is written to stderr instead, which systemd
 * also routes to the journal, so no line is lost.
 */
export function journalDestination(
  identifier: string,
  send: JournalSend = sendToJournal,
  fallback: LogDestination = stderrDestination(),
): LogDestination {
  return {
    write(line) {
      if (send(journalFields(line.replace(/\n$/, ''), identifier)) < 0) fallback.write(line);
    },
  };
}

/** The journal when stderr is connected to it, else JSON lines on stderr. */
export function logDestination(identifier: string): LogDestination {
  return isJournalStream(2) ? journalDestination(identifier) : stderrDestination();
}
