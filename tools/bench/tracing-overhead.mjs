// What tracing costs a container start: `docker run --rm` on the whole berth stack with tracing
// on and with BERTH_TRACING=off, in one run of this script:
//   node tools/bench/tracing-overhead.mjs [--runs 30] [--runtime io.containerd.berth.v1]
//                                         [--out tools/bench/results/tracing-overhead.json]
// Two private stacks (berth-containerd + berth-dockerd + shim + berth-runc, see
// tools/berth/test/helpers/berth-stack.mjs), one per setting, both warm (3 runs each first); then the runs
// alternate on/off, the pair's order flipping each round so neither always goes first.
// Prints the medians, on/off - 1 (the goal is <= 3 %) and the median of the paired run ratios. Needs root and the test image cache.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { buildStack, startBerthStack, timeDockerRun } from '../berth/test/helpers/berth-stack.mjs';
import { median, smallImageArchive } from './lib/common.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '30' },
    runtime: { type: 'string', default: 'io.containerd.berth.v1' },
    out: { type: 'string' },
  },
});
const runs = Number(values.runs);
const IMAGE = 'berth.test/small:latest';
const args = ['--runtime', values.runtime, '--network', 'none'];

buildStack();
const archive = smallImageArchive();
const stacks = { on: await startBerthStack({ tracing: true }) };
try {
  stacks.off = await startBerthStack({ tracing: false });
  for (const stack of Object.values(stacks)) {
    execFileSync('docker', ['-H', stack.host, 'load', '-q', '-i', archive], { stdio: 'ignore' });
    for (let i = 0; i < 3; i++) timeDockerRun(stack.host, IMAGE, args);
  }
  const loadBefore = loadavg()[0];
  const times = { on: [], off: [] };
  for (let i = 0; i < runs; i++) {
    for (const setting of i % 2 ? ['off', 'on'] : ['on', 'off'])
      times[setting].push(timeDockerRun(stacks[setting].host, IMAGE, args));
  }
  const on = median(times.on);
  const off = median(times.off);
  const overhead = on / off - 1;
  // Each on run has an off partner run next to it: their ratio sees the same machine load.
  const paired = median(times.on.map((t, i) => t / times.off[i] - 1));
  const report = {
    command: `docker run --rm ${args.join(' ')} ${IMAGE} true`,
    runs,
    unit: 'ms (median)',
    tracingOn: Number(on.toFixed(1)),
    tracingOff: Number(off.toFixed(1)),
    overheadPercent: Number((overhead * 100).toFixed(1)),
    pairedOverheadPercent: Number((paired * 100).toFixed(1)),
    // Timing on a shared machine: the medians mean little when the load is far above the CPUs.
    loadAverage: { start: loadBefore, end: loadavg()[0], cpus: cpus().length },
    samples: times,
    date: new Date().toISOString(),
  };
  console.log(`${report.command}, ${runs} runs each, interleaved:`);
  console.log(`  tracing on  (BERTH_TRACING=on):  ${on.toFixed(1)} ms median`);
  console.log(`  tracing off (BERTH_TRACING=off): ${off.toFixed(1)} ms median`);
  console.log(`  overhead: ${(overhead * 100).toFixed(1)} % of the median (goal <= 3 %)`);
  console.log(
    `  load average ${loadBefore.toFixed(1)} -> ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs`,
  );
  console.log(`  median of the paired on/off ratios - 1: ${(paired * 100).toFixed(1)} %`);
  if (values.out) await writeFile(values.out, `${JSON.stringify(report, null, 2)}\n`);
} finally {
  for (const stack of Object.values(stacks)) await stack.stop();
}
