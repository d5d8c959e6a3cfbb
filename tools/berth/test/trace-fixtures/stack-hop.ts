// One hop of a simulated container start, recording spans with the real @berth/telemetry into
// the store at BERTH_TRACE_DIR exactly as the services do: dockerd → containerd → shim →
// runtime, one process each, the trace context passed on in TRACEPARENT. The runtime hop
// reports launcher phases measured by "another clock" through recordExternalSpans.
//
// Environment: HOP (dockerd|containerd|shim|runtime, default dockerd), CONTAINER_ID, IMAGE,
// RUNTIME, GAP_MS (unexplained time dockerd spends before calling containerd).
import { SpanKind, context, trace, type Attributes } from '@opentelemetry/api';
import {
  contextFromEnv,
  envWithTraceContext,
  recordExternalSpans,
  startTelemetry,
  withSpan,
} from '@berth/telemetry';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

const HOPS = ['dockerd', 'containerd', 'shim', 'runtime'] as const;
type Hop = (typeof HOPS)[number];

const hop = (process.env.HOP ?? 'dockerd') as Hop;
const containerId = process.env.CONTAINER_ID ?? 'c0ffee'.repeat(10) + 'beef';
const nowNs = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));

const SPANS: Record<Hop, { name: string; kind: SpanKind; attributes: Attributes }> = {
  dockerd: {
    name: 'dockerd.container.create',
    kind: SpanKind.SERVER,
    attributes: {
      'http.request.method': 'POST',
      'url.path': '/v1.47/containers/create',
      'container.image.name': process.env.IMAGE ?? 'busybox',
    },
  },
  containerd: {
    name: 'containerd.tasks.create',
    kind: SpanKind.SERVER,
    attributes: {
      'rpc.system': 'grpc',
      'rpc.service': 'containerd.services.tasks.v1.Tasks',
      'rpc.method': 'Create',
      'containerd.namespace': 'moby',
    },
  },
  shim: {
    name: 'shim.task.create',
    kind: SpanKind.SERVER,
    attributes: { 'rpc.system': 'ttrpc', 'container.runtime': process.env.RUNTIME ?? 'berth' },
  },
  runtime: { name: 'runtime.create', kind: SpanKind.INTERNAL, attributes: {} },
};

async function callNext(): Promise<void> {
  const next = HOPS[HOPS.indexOf(hop) + 1];
  if (!next) return;
  const child = spawn(process.execPath, [process.argv[1]!], {
    env: { ...envWithTraceContext(process.env), HOP: next },
    stdio: 'inherit',
  });
  const [code] = (await once(child, 'exit')) as [number];
  if (code !== 0) throw new Error(`${next} exited with ${code}`);
}

async function launch(): Promise<void> {
  // Phases a native launcher would time between fork and execve.
  const stamps = [nowNs()];
  for (const ms of [2, 3, 1, 2]) {
    await sleep(ms);
    stamps.push(nowNs());
  }
  const names = ['namespaces', 'mounts', 'pivot_root', 'exec'];
  recordExternalSpans(
    context.active(),
    names.map((n, i) => ({
      name: `runtime.launch.${n}`,
      startNs: stamps[i]!,
      endNs: stamps[i + 1]!,
    })),
  );
}

const telemetry = await startTelemetry({ service: hop });
const tracer = trace.getTracer(`berth-${hop}`);
const { name, kind, attributes } = SPANS[hop];
try {
  await context.with(contextFromEnv(), () =>
    tracer.startActiveSpan(
      name,
      { kind, attributes: { ...attributes, 'container.id': containerId } },
      async (span) => {
        try {
          if (hop === 'dockerd') {
            await withSpan(tracer, 'dockerd.image.resolve', {}, () => sleep(5));
            await sleep(Number(process.env.GAP_MS ?? 0));
          }
          if (hop === 'runtime') await launch();
          await callNext();
        } finally {
          span.end();
        }
      },
    ),
  );
} finally {
  await telemetry.shutdown();
}
