// Maps one pino JSON line to journal fields, so `journalctl` shows the message with its
// priority and `journalctl TRACE_ID=…` or `-o json` finds the structured fields.

/** pino's numeric levels to syslog priorities (journald's PRIORITY). */
function priority(level: unknown): number {
  if (typeof level !== 'number') return 6;
  if (level >= 60) return 2; // fatal → crit
  if (level >= 50) return 3; // error → err
  if (level >= 40) return 4; // warn → warning
  if (level >= 30) return 6; // info → info
  return 7; // debug, trace → debug
}

// The journal records these itself (_PID, _HOSTNAME, the entry's own timestamp), more
// trustworthily than a log line can.
const DROPPED = new Set(['level', 'msg', 'time', 'pid', 'hostname', 'v']);
// Fields the journal gives meaning to; a log field of the same name is renamed, not merged.
const RESERVED = new Set(['MESSAGE', 'MESSAGE_ID', 'PRIORITY', 'SYSLOG_IDENTIFIER', 'ERRNO']);
const MAX_NAME = 64;

/** A valid journal field name for a log key: A-Z, 0-9 and _, not starting with _ or a digit. */
export function journalFieldName(key: string): string | undefined {
  const name = key
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, '_')
    .replace(/^[_0-9]+/, '');
  if (name === '') return undefined;
  return (RESERVED.has(name) ? `LOG_${name}` : name).slice(0, MAX_NAME);
}

export function journalFields(line: string, identifier: string): string[] {
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error();
    record = parsed as Record<string, unknown>;
  } catch {
    return [`MESSAGE=${line}`, 'PRIORITY=6', `SYSLOG_IDENTIFIER=${identifier}`];
  }
  const fields = [
    `MESSAGE=${typeof record.msg === 'string' ? record.msg : line}`,
    `PRIORITY=${priority(record.level)}`,
    `SYSLOG_IDENTIFIER=${identifier}`,
  ];
  for (const [key, value] of Object.entries(record)) {
    if (DROPPED.has(key) || value === undefined || value === null) continue;
    const name = journalFieldName(key);
    if (name === undefined) continue;
    fields.push(`${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  return fields;
}
