import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSpans, startTelemetry, type StoredSpan, type TelemetryHandle } from '../../src/index';

export interface TestTelemetry {
  dir: string;
  handle: TelemetryHandle;
  /** Flushes and returns every span in the store. */
  spans(): Promise<StoredSpan[]>;
  stop(): Promise<void>;
}

/** Starts telemetry in this test process with a private, temporary trace store. */
export async function startTestTelemetry(service = 'test'): Promise<TestTelemetry> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-traces-'));
  const handle = await startTelemetry({ service, stateDir: dir });
  return {
    dir,
    handle,
    async spans() {
      await handle.flush();
      const out: StoredSpan[] = [];
      for await (const span of readSpans({ dir })) out.push(span);
      return out;
    },
    async stop() {
      await handle.shutdown();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
