// berth's runtime against runc, crun and berth-runc behind the same shim, phase by phase, with
// `berth trace compare` on one private berth stack (tools/berth/test/helpers/berth-stack.mjs):
//   node tools/bench/trace-compare.mjs [--runs 10] [--out tools/bench/results/trace-compare]
// writes <out>.md (the commands, then compare's tables) and <out>.json (compare --json).
// All run under containerd-shim-berth-v1, `docker run --rm --network none IMG true`: berth's
// runtime in the shim's process (`io.containerd.berth.v1`, the default), and the binaries
// behind the same shim (dockerd --add-runtime NAME=io.containerd.berth.v1:BINARY).
// crun refuses a hybrid cgroup host ("cgroups in hybrid mode not supported"), so when
// /sys/fs/cgroup/unified is mounted the script re-runs itself in a private mount namespace
// without it (as tools/bench/runtime.mjs does for crun): every runtime then sees the same
// cgroup v1 hierarchies. Needs root, runc, crun and the test image cache.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { smallImageArchive } from './lib/common.mjs';
import {
  buildStack,
  REPO,
  startBerthStack,
  timeDockerRun,
} from '../berth/test/helpers/berth-stack.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    out: { type: 'string', default: join(REPO, 'tools/bench/results/trace-compare') },
    inner: { type: 'boolean', default: false },
  },
});
const IMAGE = 'berth.test/small:latest';
const SIDES = {
  berth: 'io.containerd.berth.v1',
  runc: 'shim-runc',
  crun: 'shim-crun',
  'berth-runc': 'shim-berth-runc',
};
const hybrid = readFileSync('/proc/self/mountinfo', 'utf8').includes(' /sys/fs/cgroup/unified ');

if (hybrid && !values.inner) {
  const self = [process.execPath, import.meta.filename, '--inner', '--runs', values.runs];
  const script = `umount /sys/fs/cgroup/unified && exec "$@" --out "$OUT"`;
  const res = spawnSync(
    'unshare',
    ['-m', '--propagation', 'private', 'sh', '-c', script, 'sh', ...self],
    { stdio: 'inherit', env: { ...process.env, OUT: values.out } },
  );
  process.exit(res.status ?? 1);
}

buildStack();
const archive = smallImageArchive();
const stack = await startBerthStack({
  dockerdArgs: [
    ...['--add-runtime', 'shim-runc=io.containerd.berth.v1:runc'],
    ...['--add-runtime', 'shim-crun=io.containerd.berth.v1:crun'],
    ...['--add-runtime', 'shim-berth-runc=io.containerd.berth.v1:berth-runc'],
  ],
});
try {
  execFileSync('docker', ['-H', stack.host, 'load', '-q', '-i', archive], { stdio: 'ignore' });
  const args = (runtime) => ['--network', 'none', '--runtime', runtime];
  for (const runtime of Object.values(SIDES))
    for (let i = 0; i < 2; i++) timeDockerRun(stack.host, IMAGE, args(runtime));

  const berth = [process.execPath, '--import', 'tsx', join(REPO, 'tools/berth/src/bin/berth.ts')];
  const run = (runtime) =>
    `docker -H ${stack.host} run --rm ${args(runtime).join(' ')} ${IMAGE} true`;
  // The stack's temp dir differs on every run: the report calls it $STACK.
  const report = (t) => t.replaceAll(stack.dir, '$STACK');
  const sections = [];
  const loadBefore = loadavg()[0];
  const json = {};
  for (const other of ['runc', 'crun', 'berth-runc']) {
    const compare = [
      ...['trace', 'compare', '--dir', stack.traceDir, '-n', values.runs],
      ...['--a', run(SIDES.berth), '--b', run(SIDES[other])],
    ];
    const text = execFileSync(berth[0], [...berth.slice(1), ...compare], { cwd: REPO }).toString();
    const data = execFileSync(berth[0], [...berth.slice(1), ...compare, '--json'], { cwd: REPO });
    json[`berth vs ${other}`] = JSON.parse(report(data.toString()));
    sections.push(
      `## A = berth (in the shim), B = ${other}\n\n` +
        report(`\`berth ${compare.map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(' ')}\`\n\n`) +
        report(`\`\`\`\n${text.trimEnd()}\n\`\`\`\n`),
    );
  }
  const header = [
    "# berth's runtime vs runc, crun and berth-runc behind containerd-shim-berth-v1",
    '',
    `Produced by \`node tools/bench/trace-compare.mjs --runs ${values.runs}\` on ${new Date().toISOString()}`,
    values.inner
      ? '(hybrid cgroup host: run in a private mount namespace without /sys/fs/cgroup/unified, so that crun works; every runtime sees the cgroup v1 hierarchies).'
      : '(cgroup layout as found).',
    'One private berth stack (berth-dockerd, berth-containerd, containerd-shim-berth-v1). A is',
    "`io.containerd.berth.v1` itself: berth's runtime inside the shim's process. The others are",
    'binaries behind the same shim: `--add-runtime shim-runc=io.containerd.berth.v1:runc`,',
    '`shim-crun=io.containerd.berth.v1:crun` and `shim-berth-runc=io.containerd.berth.v1:berth-runc`.',
    'Each compare interleaves A and B runs; a phase is the median total time in spans of that',
    'name per run. runc and crun record no spans of their own: their time shows in `shim.*`',
    'and `containerd.*`; berth (in the shim) and berth-runc add `runtime.*` and the launcher phases.',
    `Load average (1 min) at the start and the end: ${loadBefore.toFixed(1)}, ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs.`,
    '',
  ];
  writeFileSync(`${values.out}.md`, `${[...header, ...sections].join('\n')}`);
  writeFileSync(`${values.out}.json`, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`wrote ${values.out}.md and ${values.out}.json`);
} finally {
  await stack.stop();
}
