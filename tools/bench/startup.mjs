// How fast do berth's short-lived executables start, next to the upstream programs in the
// same role? Each command runs `runs` times (interleaved, so load drifts hit all alike) and
// the median wall time is printed, with berth's ratio to its upstream counterpart.
//   node tools/bench/startup.mjs [runs]      (after scripts/setup.sh or nx run-many -t build)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { median } from './lib/common.mjs';

const root = resolve(import.meta.dirname, '../..');
const runs = Number(process.argv[2] ?? 30);
const dist = (pkg, name) => join(root, pkg, 'dist', `${name}.mjs`);

// [label, berth command, upstream command]: the same job on both sides where one exists.
const pairs = [
  ['node itself (floor)', ['node', '-e', '0'], null],
  ['operator tool: berth help', [dist('tools/berth', 'berth'), 'help'], ['ctr', '--version']],
  [
    'runtime: --version',
    [dist('services/runtime', 'berth-runc'), '--version'],
    ['runc', '--version'],
  ],
  [
    'shim: -v',
    [dist('services/shim', 'containerd-shim-berth-v1'), '-v'],
    ['containerd-shim-runc-v2', '-v'],
  ],
];

function timeOnce(argv) {
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { stdio: 'ignore' });
  if (r.error) throw r.error;
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const available = pairs.filter(([, berth]) => berth[0] === 'node' || existsSync(berth[0]));
const samples = new Map(available.map(([label]) => [label, { berth: [], upstream: [] }]));
for (let i = 0; i < runs; i++) {
  for (const [label, berth, upstream] of available) {
    samples.get(label).berth.push(timeOnce(berth));
    if (upstream) samples.get(label).upstream.push(timeOnce(upstream));
  }
}

console.log(`start-up, median of ${runs} runs (ms)`);
console.log('what'.padEnd(28), 'berth'.padStart(8), 'upstream'.padStart(9), 'ratio'.padStart(7));
for (const [label, , upstream] of available) {
  const s = samples.get(label);
  const b = median(s.berth);
  const u = upstream ? median(s.upstream) : undefined;
  const ratio = u ? (b / u).toFixed(2) + 'x' : '-';
  console.log(
    label.padEnd(28),
    b.toFixed(1).padStart(8),
    (u?.toFixed(1) ?? '-').padStart(9),
    ratio.padStart(7),
  );
}
for (const [label, berth] of pairs.filter((p) => !available.includes(p))) {
  console.log(`${label}: not built (${berth[0]})`);
}
