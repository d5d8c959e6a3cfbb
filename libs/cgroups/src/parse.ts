import { CgroupError } from './errors';
import { MAX_UINT64 } from './stats';

/** Parses one cgroup number; "max" (v2 unlimited) becomes MAX_UINT64. */
export function parseValue(text: string, file: string): number {
  const s = text.trim();
  if (s === 'max') return MAX_UINT64;
  // Some v1 files report negative sentinels (e.g. -1 quota); containerd clamps those to 0.
  if (/^-\d+$/.test(s)) return 0;
  if (!/^\d+$/.test(s)) throw new CgroupError(`parse ${file}: not a number: ${JSON.stringify(s)}`);
  return Number(s);
}

/** "key value" lines (memory.stat, cpu.stat, memory.events, pids.events) into a map. */
export function parseFlatKeyed(text: string, file: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const [key, value, extra] = line.trim().split(/\s+/);
    if (key === undefined || value === undefined || extra !== undefined) {
      throw new CgroupError(`parse ${file}: malformed line ${JSON.stringify(line)}`);
    }
    values.set(key, parseValue(value, file));
  }
  return values;
}

/** "major:minor key=value ..." lines (io.stat, io.max) as device plus its key/values. */
export function parseNestedKeyed(
  text: string,
  file: string,
): { major: number; minor: number; values: Map<string, number> }[] {
  const rows = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const [device, ...pairs] = line.trim().split(/\s+/);
    const dev = /^(\d+):(\d+)$/.exec(device ?? '');
    if (!dev) throw new CgroupError(`parse ${file}: malformed device in ${JSON.stringify(line)}`);
    const values = new Map<string, number>();
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new CgroupError(`parse ${file}: malformed pair ${JSON.stringify(pair)}`);
      values.set(pair.slice(0, eq), parseValue(pair.slice(eq + 1), file));
    }
    rows.push({ major: Number(dev[1]), minor: Number(dev[2]), values });
  }
  return rows;
}

/** A newline-separated pid list (cgroup.procs, tasks). */
export function parsePids(text: string): number[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map(Number);
}
