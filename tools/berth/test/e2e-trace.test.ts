// `docker run --rm` through the whole berth stack (the docker CLI, berth-dockerd,
// berth-containerd, containerd-shim-berth-v1 and the native launcher, each the real
// executable) is one trace, and that trace explains where the time went: with the shim's
// default, in-process runtime, and with berth-runc as the runtime binary behind the same shim.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { StoredSpan } from '@berth/telemetry';
import { ensureTestImages } from '@berth/test-images';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildStack,
  startBerthStack,
  timeDockerRun,
  type BerthStack,
} from './helpers/berth-stack.mjs';
import { describeGap, traceCoverage, type Gap } from '../src/trace/coverage';
import { loadStore, type SpanNode, type Trace } from '../src/trace/model';

const run = promisify(execFile);
const SHIM = 'io.containerd.berth.v1';
/** What each runtime configuration's trace must show. */
const CASES = [
  {
    runtime: SHIM,
    runtimeName: 'berth',
    services: ['dockerd', 'containerd', 'shim'],
    // dockerd, containerd and the shim's group server.
    processes: 3,
  },
  {
    runtime: 'berth-cli',
    runtimeName: 'berth-runc',
    services: ['dockerd', 'containerd', 'shim', 'runtime'],
    // Those three and at least two runtime invocations (create, start, delete).
    processes: 5,
  },
];
/** Clocks of different processes (node's anchored clock, the launcher's CLOCK_REALTIME). */
const SKEW_NS = 2_000_000n;
/** Phases every launch of a container with a rootfs passes, in the native launcher. */
const LAUNCH_PHASES = [
  'spawn',
  'plan',
  'cgroup',
  'namespaces.join',
  'namespaces.create',
  'sync',
  'rlimits',
  'rootfs',
  'mounts',
  'devices',
  'pivot_root',
  'sysctls',
  'readonly_paths',
  'masked_paths',
  'capabilities',
  'exec_lookup',
].map((p) => `runtime.launch.${p}`);

/** Spans of the container's lifecycle (background polls such as stats are not). */
const LIFECYCLE =
  /^(dockerd\.container\.|containerd\.(tasks\.(create|start|wait|delete)|shim\.start)$|shim\.(create|start|wait|kill|delete)$|runtime\.)/;

/**
 * Waits for every process's span batch (500 ms) until the container's run trace is whole:
 * its root recorded, spans from each of `services`, no span whose parent is still unwritten,
 * and no lifecycle span of the container in any other trace.
 */
async function runTrace(dir: string, containerId: string, services: string[]): Promise<Trace> {
  for (let i = 0; ; i++) {
    const { traces } = await loadStore({ dir });
    const mine = traces.filter((t) =>
      t.nodes.some(
        (n) => n.span.attributes['container.id'] === containerId && LIFECYCLE.test(n.span.name),
      ),
    );
    const whole =
      mine.length === 1 &&
      mine[0]!.root.span.name === 'dockerd.container.run' &&
      services.every((name) => mine[0]!.nodes.some((n) => n.service === name)) &&
      mine[0]!.nodes.every((n) => !n.parentMissing);
    if (whole || i === 50) {
      const roots = mine.map((t) => `${t.root.service}:${t.root.span.name}`);
      expect(roots, roots.join(', ')).toEqual(['dockerd:dockerd.container.run']);
      return mine[0]!;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function parentOf(trace: Trace, node: SpanNode): SpanNode | undefined {
  return trace.nodes.find((n) => n.span.spanId === node.span.parentSpanId);
}

const pid = (s: StoredSpan) => s.resource['process.pid'];

describe('one docker run --rm through the berth stack is one trace', { tags: ['kernel'] }, () => {
  let stack: BerthStack;
  let image: string;

  beforeAll(async () => {
    buildStack();
    const { small } = await ensureTestImages(['small']);
    image = small!.ref;
    stack = await startBerthStack({
      dockerdArgs: ['--add-runtime', `berth-cli=${SHIM}:berth-runc`],
    });
    await run('docker', ['-H', stack.host, 'load', '-q', '-i', small!.dockerArchive]);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it.each(CASES)(
    'covers the run from create to removal, across every process: $runtime',
    async (c) => {
      // The first run pays for cold caches; both must hold.
      for (let round = 0; round < 2; round++) {
        const before = await loadStore({ dir: stack.traceDir, missingOk: true });
        const known = new Set(before.traces.map((t) => t.traceId));
        const wallMs = timeDockerRun(stack.host, image, [
          ...['--runtime', c.runtime, '--network', 'none'],
        ]);
        let trace: Trace | undefined;
        for (let i = 0; i < 40 && !trace; i++) {
          // No process may have written its first batch yet (they flush every 500 ms).
          const { traces } = await loadStore({ dir: stack.traceDir, missingOk: true });
          trace = traces.find(
            (t) => !known.has(t.traceId) && t.root.span.name === 'dockerd.container.run',
          );
          if (!trace) await new Promise((r) => setTimeout(r, 100));
        }
        const id = trace!.root.span.attributes['container.id'] as string;
        trace = await runTrace(stack.traceDir, id, c.services);
        const spans = trace.nodes.map((n) => n.span);
        const names = spans.map((s) => s.name);

        // One root, and every other span hangs below it.
        expect(
          trace.nodes
            .filter((n) => n.depth === 0)
            .map((n) => `${n.span.name} ${n.span.parentSpanId}`),
        ).toEqual([`${trace.root.span.name} undefined`]);
        expect(trace.root.span.parentSpanId).toBeUndefined();

        expect(new Set(spans.map(pid)).size).toBeGreaterThanOrEqual(c.processes);
        expect(new Set(trace.nodes.map((n) => n.service))).toEqual(new Set(c.services));
        for (const name of [
          'dockerd.container.create',
          'dockerd.container.start',
          'dockerd.container.exit',
          'dockerd.container.remove',
          'containerd.tasks.create',
          'containerd.shim.start',
          'shim.create',
          'shim.start',
          'runtime.create',
          'runtime.start',
          'runtime.delete',
          ...LAUNCH_PHASES,
        ]) {
          expect(names).toContain(name);
        }

        // The attributes docs/tracing.md promises, on the spans it promises them.
        expect(trace.root.span.attributes).toMatchObject({
          'container.id': id,
          'container.image.name': image,
          'container.runtime.name': c.runtime,
          'containerd.namespace': 'moby',
        });
        // shim.shutdown comes after the task is deleted: it is about the shim, not a container.
        const aboutTask = spans.filter((s) => s.name !== 'shim.shutdown');
        for (const s of aboutTask.filter((s) => /^(shim|runtime)\./.test(s.name))) {
          expect(s.attributes['container.runtime.name'], s.name).toBe(c.runtimeName);
        }
        for (const s of aboutTask.filter((s) => /^(containerd|shim)\./.test(s.name))) {
          expect(s.attributes['containerd.namespace'], s.name).toBe('moby');
        }

        // Every child lies within its parent (up to clock skew between processes).
        for (const node of trace.nodes.filter((n) => n !== trace!.root)) {
          const parent = parentOf(trace, node)!;
          expect(
            node.startNs + SKEW_NS,
            `${node.span.name} starts in ${parent.span.name}`,
          ).toBeGreaterThanOrEqual(parent.startNs);
          expect(
            node.endNs - SKEW_NS,
            `${node.span.name} ends in ${parent.span.name}`,
          ).toBeLessThanOrEqual(parent.endNs);
        }
        // The server side cannot take longer than the client waited.
        const rootMs = Number(trace.root.endNs - trace.root.startNs) / 1e6;
        expect(rootMs).toBeLessThanOrEqual(wallMs);
        expect(rootMs).toBeGreaterThan(wallMs * 0.5);

        // >= 95 % of the server-side time is inside spans, and no stretch of it is left
        // unexplained. Between create's reply and the start request the daemon waits for the
        // client (the CLI attaches and asks to wait first): that gap is the client's time.
        const cov = traceCoverage(trace);
        const isClientTurn = (g: Gap) =>
          g.after === 'dockerd.container.create' && g.before === 'dockerd.container.start';
        const clientMs = cov.gaps.filter(isClientTurn).reduce((sum, g) => sum + g.durationMs, 0);
        const serverMs = cov.rootMs - clientMs;
        const serverGaps = cov.gaps.filter((g) => !isClientTurn(g));
        const why = serverGaps
          .slice(0, 3)
          .map((g) => `${g.durationMs.toFixed(1)} ms ${describeGap(g, trace!.root.span.name)}`)
          .join('; ');
        expect(cov.coveredMs / serverMs, why).toBeGreaterThanOrEqual(0.95);
        expect(serverGaps[0]?.durationMs ?? 0, why).toBeLessThan(serverMs * 0.025);
      }
    },
    120_000,
  );

  it('honours a traceparent sent with the create request', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentId = '00f067aa0ba902b7';
    const { stdout } = await run('curl', [
      ...['-sf', '--unix-socket', stack.host.slice('unix://'.length)],
      ...['-H', 'Content-Type: application/json'],
      ...['-H', `traceparent: 00-${traceId}-${parentId}-01`],
      ...[
        '-d',
        JSON.stringify({ Image: image, Cmd: ['true'], HostConfig: { NetworkMode: 'none' } }),
      ],
      'http://localhost/v1.41/containers/create',
    ]);
    const { Id } = JSON.parse(stdout) as { Id: string };
    await run('docker', ['-H', stack.host, 'rm', Id]);
    let root: StoredSpan | undefined;
    for (let i = 0; i < 40 && !root; i++) {
      const { traces } = await loadStore({ dir: stack.traceDir, missingOk: true });
      root = traces
        .find((t) => t.traceId === traceId)
        ?.nodes.find((n) => n.span.name === 'dockerd.container.run')?.span;
      if (!root) await new Promise((r) => setTimeout(r, 100));
    }
    expect(root).toMatchObject({ traceId, parentSpanId: parentId });
    expect(root!.attributes['container.id']).toBe(Id);
  });
});
