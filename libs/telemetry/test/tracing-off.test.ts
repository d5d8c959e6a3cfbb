import { propagation, trace } from '@opentelemetry/api';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { envWithTraceContext, startTelemetry } from '../src/index';

describe('BERTH_TRACING=off', () => {
  const saved = process.env.BERTH_TRACING;
  afterEach(() => {
    if (saved === undefined) delete process.env.BERTH_TRACING;
    else process.env.BERTH_TRACING = saved;
  });

  it('registers nothing, records nothing and writes no file', async () => {
    process.env.BERTH_TRACING = 'off';
    const dir = await mkdtemp(join(tmpdir(), 'berth-traces-'));
    try {
      const handle = await startTelemetry({ service: 'quiet', stateDir: dir });
      const span = trace.getTracer('t').startSpan('quiet.op');
      expect(span.isRecording()).toBe(false);
      span.end();
      expect(propagation.fields()).toEqual([]);
      expect(envWithTraceContext({ TRACEPARENT: 'inherited' })).toEqual({});
      await handle.flush();
      await handle.shutdown();
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a value other than on/off', async () => {
    process.env.BERTH_TRACING = 'maybe';
    await expect(startTelemetry({ service: 'x' })).rejects.toThrow(/BERTH_TRACING/);
  });
});
