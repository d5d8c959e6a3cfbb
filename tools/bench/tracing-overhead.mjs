// What tracing costs a container start: `docker run --rm` on the whole berth stack with tracing
// on and with BERTH_TRACING=off, in one run of this script:
//   node tools/bench/tracing-overhead.mjs [--rounds 4] [--runs 50] [--runtime io.containerd.berth.v1]
//                                         [--out tools/bench/results/tracing-overhead.json]
// Each round starts two fresh private stacks (berth-containerd + berth-dockerd + shim +
// berth-runc, see tools/berth/test/helpers/berth-stack.mjs), one per setting, warms both (3 runs
// each), then alternates on/off runs, the pair's order flipping each time so neither always
// goes first. Fresh stacks per round because two identical stacks (both off) differ by up to
// ±1.6 % on this 2-core machine, which a single pair of stacks would report as tracing's cost.
// Prints the medians over all rounds, on/off - 1 (the goal is <= 3 %), the median of the paired
// run ratios, and each round's paired figure. Needs root and the test image cache.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { buildStack, startBerthStack, timeDockerRun } from '../berth/test/helpers/berth-stack.mjs';
import { median, smallImageArchive } from './lib/common.mjs';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '4' },
    runs: { type: 'string', default: '50' },
    runtime: { type: 'string', default: 'io.containerd.berth.v1' },
    out: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const runs = Number(values.runs);
const IMAGE = 'berth.test/small:latest';
const args = ['--runtime', values.runtime, '--network', 'none'];
const pairedOverhead = (on, off) => median(on.map((t, i) => t / off[i] - 1));

/** One round: `runs` interleaved on/off pairs on a fresh stack per setting. */
async function round(archive) {
  const stacks = { on: await startBerthStack({ tracing: true }) };
  try {
    stacks.off = await startBerthStack({ tracing: false });
    for (const stack of Object.values(stacks)) {
      execFileSync('docker', ['-H', stack.host, 'load', '-q', '-i', archive], { stdio: 'ignore' });
      for (let i = 0; i < 3; i++) timeDockerRun(stack.host, IMAGE, args);
    }
    const times = { on: [], off: [] };
    for (let i = 0; i < runs; i++) {
      for (const setting of i % 2 ? ['off', 'on'] : ['on', 'off'])
        times[setting].push(timeDockerRun(stacks[setting].host, IMAGE, args));
    }
    return times;
  } finally {
    for (const stack of Object.values(stacks)) await stack.stop();
  }
}

buildStack();
const archive = smallImageArchive();
const loadBefore = loadavg()[0];
const times = { on: [], off: [] };
const perRound = [];
for (let r = 0; r < rounds; r++) {
  const t = await round(archive);
  times.on.push(...t.on);
  times.off.push(...t.off);
  perRound.push(Number((pairedOverhead(t.on, t.off) * 100).toFixed(1)));
}
const on = median(times.on);
const off = median(times.off);
const overhead = on / off - 1;
// Each on run has an off partner run next to it: their ratio sees the same machine load.
const paired = pairedOverhead(times.on, times.off);
const report = {
  command: `docker run --rm ${args.join(' ')} ${IMAGE} true`,
  rounds,
  runsPerRound: runs,
  unit: 'ms (median)',
  tracingOn: Number(on.toFixed(1)),
  tracingOff: Number(off.toFixed(1)),
  overheadPercent: Number((overhead * 100).toFixed(1)),
  pairedOverheadPercent: Number((paired * 100).toFixed(1)),
  pairedOverheadPercentPerRound: perRound,
  // Timing on a shared machine: the medians mean little when the load is far above the CPUs.
  loadAverage: { start: loadBefore, end: loadavg()[0], cpus: cpus().length },
  samples: times,
  date: new Date().toISOString(),
};
console.log(`${report.command}, ${rounds} rounds of ${runs} runs each, interleaved:`);
console.log(`  tracing on  (BERTH_TRACING=on):  ${on.toFixed(1)} ms median`);
console.log(`  tracing off (BERTH_TRACING=off): ${off.toFixed(1)} ms median`);
console.log(`  overhead: ${(overhead * 100).toFixed(1)} % of the median (goal <= 3 %)`);
console.log(
  `  load average ${loadBefore.toFixed(1)} -> ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs`,
);
console.log(
  `  median of the paired on/off ratios - 1: ${(paired * 100).toFixed(1)} % (per round: ${perRound.join(', ')} %)`,
);
if (values.out) await writeFile(values.out, `${JSON.stringify(report, null, 2)}\n`);
