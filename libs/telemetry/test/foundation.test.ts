import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSpans, type StoredSpan } from '../src/index';
import { bundleFixtures, type Bundle } from './helpers/bundle';
import { startNode, stop } from './helpers/process';

// One trace across three processes: HTTP traceparent → gRPC metadata → TRACEPARENT env,
// each process a bundled executable writing to the same embedded store.
describe('trace propagation across HTTP, gRPC and a child process', () => {
  let bundle: Bundle;
  let traceDir: string;

  beforeAll(async () => {
    bundle = await bundleFixtures(['hop-http', 'hop-grpc', 'hop-cli']);
    traceDir = await mkdtemp(join(tmpdir(), 'berth-traces-'));
  });
  afterAll(async () => {
    await bundle?.remove();
    await rm(traceDir, { recursive: true, force: true });
  });

  it('lands as one trace with correct parent links in the embedded store', async () => {
    const env = {
      ...process.env,
      BERTH_TRACE_DIR: traceDir,
      BERTH_LOG_LEVEL: 'warn',
      HOP_PROTO: join(import.meta.dirname, 'fixtures', 'hop.proto'),
      CLI_SCRIPT: bundle.path('hop-cli'),
    };
    const grpcHop = await startNode(bundle.path('hop-grpc'), env);
    const httpHop = await startNode(bundle.path('hop-http'), {
      ...env,
      GRPC_PORT: String(grpcHop.hello.port),
    });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const clientSpanId = '00f067aa0ba902b7';
    try {
      const res = await fetch(`http://127.0.0.1:${httpHop.hello.port}/containers/create`, {
        method: 'POST',
        headers: { traceparent: `00-${traceId}-${clientSpanId}-01` },
      });
      expect(res.status).toBe(201);
      expect(await res.json()).toEqual({ code: 0 });
    } finally {
      await stop(httpHop);
      await stop(grpcHop);
    }

    const spans: StoredSpan[] = [];
    for await (const span of readSpans({ dir: traceDir })) spans.push(span);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([traceId]));
    const byName = new Map(spans.map((s) => [s.name, s]));
    expect([...byName.keys()].sort()).toEqual([
      'containerd.tasks.create',
      'dockerd.container.create',
      'dockerd.containerd.create',
      'launcher.exec',
      'runtime.create',
    ]);
    const span = (name: string) => byName.get(name)!;
    const parentOf = (name: string) => span(name).parentSpanId;

    expect(parentOf('dockerd.container.create')).toBe(clientSpanId);
    expect(parentOf('dockerd.containerd.create')).toBe(span('dockerd.container.create').spanId);
    expect(parentOf('containerd.tasks.create')).toBe(span('dockerd.containerd.create').spanId);
    expect(parentOf('runtime.create')).toBe(span('containerd.tasks.create').spanId);
    expect(parentOf('launcher.exec')).toBe(span('runtime.create').spanId);

    const service = (name: string) => span(name).resource['service.name'];
    expect(service('dockerd.container.create')).toBe('berth-dockerd');
    expect(service('containerd.tasks.create')).toBe('berth-containerd');
    expect(service('runtime.create')).toBe('berth-runtime');
    expect(service('launcher.exec')).toBe('berth-runtime');
    const pids = new Set(spans.map((s) => s.resource['process.pid']));
    expect(pids.size).toBe(3);

    // Each child interval lies within its parent's.
    for (const child of spans) {
      const parent = spans.find((s) => s.spanId === child.parentSpanId);
      if (!parent || child.name === 'launcher.exec') continue;
      expect(BigInt(child.startTimeUnixNano)).toBeGreaterThanOrEqual(
        BigInt(parent.startTimeUnixNano),
      );
      expect(BigInt(child.endTimeUnixNano)).toBeLessThanOrEqual(BigInt(parent.endTimeUnixNano));
    }
    expect(span('dockerd.container.create').kind).toBe(2); // SPAN_KIND_SERVER
  });
});
