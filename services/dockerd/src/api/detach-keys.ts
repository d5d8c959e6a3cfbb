// The detach keys of an attach or exec with a TTY: the daemon watches the client's input for
// them (Ctrl-P Ctrl-Q unless the client names others, e.g. `ctrl-x,x`) and ends the attach
// there, leaving the process running. Keys that only start the sequence are held back until
// the next byte shows whether the sequence goes on.
import { invalidParameter } from './errors';

export const DEFAULT_DETACH_KEYS = Buffer.from([0x10, 0x11]);

// Named keys beyond ctrl-a..ctrl-z and single characters, as terminals send them.
const NAMED_KEYS = new Map([
  ['ctrl-@', 0],
  ['ctrl-[', 27],
  ['ctrl-\\', 28],
  ['ctrl-]', 29],
  ['ctrl-^', 30],
  ['ctrl-_', 31],
  ['DEL', 127],
]);

/** `ctrl-p,ctrl-q` -> the bytes; empty means the default. `describe` names the error's subject. */
export function parseDetachKeys(spec: string, describe = 'detach keys'): Buffer {
  if (spec === '') return DEFAULT_DETACH_KEYS;
  const invalid = () => invalidParameter(`Invalid ${describe} (${spec}) provided`);
  const bytes = spec.split(',').map((key) => {
    if (Buffer.byteLength(key) === 1) return key.charCodeAt(0);
    const letter = /^ctrl-([a-z])$/.exec(key)?.[1];
    if (letter) return letter.charCodeAt(0) - 0x60;
    const code = NAMED_KEYS.get(key);
    if (code === undefined) throw invalid();
    return code;
  });
  return Buffer.from(bytes);
}

/** Passes input through until the detach keys arrive; what came before them still passes. */
export class DetachKeyScanner {
  private matched = 0;

  constructor(private readonly keys: Buffer) {}

  /** The input to forward from this chunk, and whether it completed the detach keys. */
  scan(chunk: Buffer): { input: Buffer; detached: boolean } {
    const out: number[] = [];
    for (const byte of chunk) {
      if (byte === this.keys[this.matched]) {
        this.matched++;
        if (this.matched === this.keys.length) return { input: Buffer.from(out), detached: true };
        continue;
      }
      // A broken sequence was input after all; the byte that broke it may start a new one.
      out.push(...this.keys.subarray(0, this.matched));
      this.matched = byte === this.keys[0] ? 1 : 0;
      if (this.matched === 0) out.push(byte);
    }
    return { input: Buffer.from(out), detached: false };
  }
}
