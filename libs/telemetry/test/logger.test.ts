import { ROOT_CONTEXT, context, trace } from '@opentelemetry/api';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/index';
import { startTestTelemetry, type TestTelemetry } from './helpers/telemetry';

describe('createLogger', () => {
  let dir: string;
  let telemetry: TestTelemetry;
  const saved = process.env.BERTH_LOG_LEVEL;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-log-'));
    telemetry = await startTestTelemetry('log');
  });
  afterAll(async () => {
    await telemetry.stop();
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.BERTH_LOG_LEVEL;
    else process.env.BERTH_LOG_LEVEL = saved;
  });

  /** Logs through a logger writing to a file and returns the JSON lines written. */
  function capture(log: (fd: number) => void): Record<string, unknown>[] {
    const path = join(dir, `log-${Math.random()}`);
    const fd = openSync(path, 'w');
    try {
      log(fd);
    } finally {
      closeSync(fd);
    }
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  it('writes JSON lines with service and pid, synchronously', () => {
    const lines = capture((fd) => {
      const log = createLogger('dockerd', { destination: fd });
      log.info({ id: 'c1' }, 'created');
      log.debug('hidden at info');
    });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        service: 'dockerd',
        pid: process.pid,
        id: 'c1',
        msg: 'created',
      }),
    ]);
  });

  it('takes its level from BERTH_LOG_LEVEL unless given', () => {
    process.env.BERTH_LOG_LEVEL = 'warn';
    const lines = capture((fd) => {
      const log = createLogger('x', { destination: fd });
      log.info('dropped');
      log.warn('kept');
      createLogger('x', { destination: fd, level: 'debug' }).debug('explicit');
    });
    expect(lines.map((l) => l.msg)).toEqual(['kept', 'explicit']);
  });

  it('adds the active trace and span ids', () => {
    const span = trace.getTracer('t').startSpan('log.op');
    const lines = capture((fd) => {
      const log = createLogger('x', { destination: fd });
      context.with(trace.setSpan(ROOT_CONTEXT, span), () => log.info('in span'));
      log.info('outside');
    });
    span.end();
    expect(lines[0]).toMatchObject({
      trace_id: span.spanContext().traceId,
      span_id: span.spanContext().spanId,
    });
    expect(lines[1]).not.toHaveProperty('trace_id');
  });

  it('rejects an unknown level', () => {
    expect(() => createLogger('x', { level: 'loud' })).toThrow(/unknown log level "loud"/);
  });
});
