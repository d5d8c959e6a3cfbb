// A process's stdio through FIFOs the shim opens: output is copied to the json-file log
// (for the container's main process) and to whoever is attached; stdin from attach clients
// is written in, and kept until the process's stdin exists (attach comes before start).
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import type { StreamName } from '../api/mux';
import { mkfifo, openFifoReader, openFifoWriter } from '../system/fifo';
import type { JsonLogWriter } from './json-log';

export type OutputListener = (stream: StreamName, chunk: Buffer) => void;

/** Who receives a process's output and feeds its stdin; outlives one run of the process. */
export class StreamHub {
  /** Tells the shim to close the process's stdin (Tasks.CloseIO) after our end is closed. */
  onStdinClosed?: () => Promise<unknown>;
  private readonly listeners = new Set<OutputListener>();
  private stdin?: Socket;
  private pendingStdin: Buffer[] = [];
  private stdinClosed = false;

  listen(listener: OutputListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(stream: StreamName, chunk: Buffer): void {
    for (const listener of this.listeners) listener(stream, chunk);
  }

  writeStdin(chunk: Buffer): void {
    if (this.stdin) this.stdin.write(chunk);
    else this.pendingStdin.push(chunk);
  }

  /** The client closed its stdin: the process sees EOF once what was sent is written. */
  closeStdin(): void {
    this.stdinClosed = true;
    if (this.stdin) this.endStdin(this.stdin);
  }

  connectStdin(stdin: Socket): void {
    this.stdin = stdin;
    stdin.on('error', () => undefined);
    for (const chunk of this.pendingStdin.splice(0)) stdin.write(chunk);
    if (this.stdinClosed) this.endStdin(stdin);
  }

  /** Flushes and closes our end (shutdown() means nothing to a FIFO), then has the shim close. */
  private endStdin(stdin: Socket): void {
    stdin.end(() => {
      stdin.destroy();
      void this.onStdinClosed?.().catch(() => undefined);
    });
  }

  disconnectStdin(): void {
    this.stdin?.destroy();
    this.stdin = undefined;
    this.stdinClosed = false;
  }
}

export interface StdioPaths {
  stdin: string;
  stdout: string;
  stderr: string;
}

/** FIFO paths for a process under the exec root; stderr is unused with a TTY. */
export function stdioPaths(
  dir: string,
  processId: string,
  withStdin: boolean,
  tty: boolean,
): StdioPaths {
  return {
    stdin: withStdin ? join(dir, `${processId}-stdin`) : '',
    stdout: join(dir, `${processId}-stdout`),
    stderr: tty ? '' : join(dir, `${processId}-stderr`),
  };
}

export interface OpenStdio {
  /** Resolves when every output stream reached EOF (the shim closed its ends). */
  drained: Promise<void>;
  /**
   * Starts feeding stdin, once the process exists: input that came earlier (attach before
   * start) is written then, and an early close can only be passed on to a running process.
   */
  connectStdin(): void;
  close(): void;
}

export async function openStdio(
  paths: StdioPaths,
  hub: StreamHub,
  log?: JsonLogWriter,
): Promise<OpenStdio> {
  for (const path of Object.values(paths)) {
    if (!path) continue;
    mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
    await mkfifo(path);
  }
  const readers: Socket[] = [];
  const ends: Promise<void>[] = [];
  for (const stream of ['stdout', 'stderr'] as const) {
    if (!paths[stream]) continue;
    const reader = openFifoReader(paths[stream]);
    readers.push(reader);
    reader.on('data', (chunk: Buffer) => {
      log?.write(stream, chunk);
      hub.emit(stream, chunk);
    });
    ends.push(
      new Promise((resolve) => {
        reader.once('end', resolve);
        reader.once('close', resolve);
        reader.once('error', resolve);
      }).then(() => log?.flush(stream)),
    );
  }
  return {
    drained: Promise.all(ends).then(() => undefined),
    connectStdin() {
      if (paths.stdin) hub.connectStdin(openFifoWriter(paths.stdin));
    },
    close() {
      for (const reader of readers) reader.destroy();
      hub.disconnectStdin();
      for (const path of Object.values(paths)) if (path) rmSync(path, { force: true });
    },
  };
}
