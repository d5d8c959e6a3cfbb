// What does tracing cost a berth executable at start-up?
//   node tools/bench/telemetry-startup.mjs [runs]
// Bundles tiny entries the way scripts/bundle.mjs bundles services (esbuild, ESM, splitting),
// runs each as a fresh process `runs` times (interleaved, default 40) and prints, per variant,
// the median wall time and the median CPU time (user + system, as the process itself reports it
// at exit: steadier than wall time on a loaded machine) and their difference from the baseline,
// which only logs.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median } from './lib/common.mjs';

const root = resolve(import.meta.dirname, '../..');
const lib = join(root, 'libs/telemetry/src/index.ts');
const runs = Number(process.argv[2] ?? 40);

// Every variant logs one line, like a service starting; the traced ones also record a span and
// flush it to the store, i.e. the whole cost a short-lived runtime CLI call pays.
const traced = `
import { trace } from '@opentelemetry/api';
import { createLogger, startTelemetry } from '${lib}';
const telemetry = await startTelemetry({ service: 'bench' });
createLogger('bench').info('started');
trace.getTracer('berth-bench').startSpan('bench.start').end();
await telemetry.shutdown();
`;
const reportCpu = `\nconst cpu = process.cpuUsage();\nprocess.stdout.write(String((cpu.user + cpu.system) / 1000));\n`;
const variants = {
  'baseline (logger only)': {
    source: `import { createLogger } from '${lib}';\ncreateLogger('bench').info('started');\n`,
  },
  'startTelemetry + 1 span, store on': { source: traced },
  'startTelemetry, BERTH_TRACING=off': { source: traced, env: { BERTH_TRACING: 'off' } },
  // The rejected design, for comparison: the OpenTelemetry SDK registered eagerly.
  'eager OTel SDK (sdk-trace-base) + 1 span': {
    source: `
import { trace, propagation } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { createLogger } from '${lib}';
const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'bench' }) });
trace.setGlobalTracerProvider(provider);
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
createLogger('bench').info('started');
trace.getTracer('berth-bench').startSpan('bench.start').end();
await provider.shutdown();
`,
  },
};

const work = await mkdtemp(join(tmpdir(), 'berth-bench-'));
try {
  const names = Object.keys(variants);
  const entries = {};
  for (const [i, name] of names.entries()) {
    entries[`v${i}`] = join(work, `v${i}.ts`);
    await writeFile(entries[`v${i}`], variants[name].source + reportCpu);
  }
  await build({
    entryPoints: entries,
    outdir: join(work, 'dist'),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    nodePaths: [join(root, 'node_modules'), join(root, 'libs/telemetry/node_modules')],
    banner: {
      js: "import { createRequire as __berthCreateRequire } from 'node:module'; const require = __berthCreateRequire(import.meta.url);",
    },
  });

  const wall = names.map(() => []);
  const cpu = names.map(() => []);
  for (let r = 0; r < runs; r++) {
    for (const [i, name] of names.entries()) {
      const env = {
        ...process.env,
        BERTH_TRACE_DIR: join(work, 'traces'),
        BERTH_LOG_LEVEL: 'warn',
        ...variants[name].env,
      };
      const start = process.hrtime.bigint();
      const res = spawnSync(process.execPath, [join(work, 'dist', `v${i}.mjs`)], { env });
      if (res.status !== 0) throw new Error(`${name} failed:\n${res.stderr}`);
      wall[i].push(Number(process.hrtime.bigint() - start) / 1e6);
      cpu[i].push(Number(res.stdout.toString()));
    }
  }

  const diff = (xs, base) => {
    const d = median(xs) - median(base);
    return `${d >= 0 ? '+' : ''}${d.toFixed(1)}`;
  };
  console.log(`node ${process.version}, ${runs} runs each, medians in ms (delta vs baseline)`);
  for (const [i, name] of names.entries()) {
    const [w, c] = [median(wall[i]).toFixed(1), median(cpu[i]).toFixed(1)];
    const delta = i === 0 ? '' : `  (${diff(wall[i], wall[0])} wall, ${diff(cpu[i], cpu[0])} cpu)`;
    console.log(`${name.padEnd(42)} wall ${w}  cpu ${c}${delta}`);
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
