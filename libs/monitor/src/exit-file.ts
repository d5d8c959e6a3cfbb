import { readFile } from 'node:fs/promises';

/** What the monitor records once its process is reaped. */
export interface ExitRecord {
  pid: number;
  /** The exit code, or 128 + the signal number, as containerd reports it. */
  status: number;
  exitedAt: Date;
}

/** Reads a monitor's exit file; undefined while the process has not exited. */
export async function readExitFile(path: string): Promise<ExitRecord | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const match = /^(\d+) (\d+) (\d+)\n$/.exec(text);
  if (!match) throw new Error(`${path}: malformed exit record ${JSON.stringify(text)}`);
  const nanos = BigInt(match[3]!);
  return {
    pid: Number(match[1]),
    status: Number(match[2]),
    exitedAt: new Date(Number(nanos / 1_000_000n)),
  };
}
