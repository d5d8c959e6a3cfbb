// The berth stack against Docker (issue #7): `docker run --rm --network none IMG true` with the
// same docker CLI, interleaved, after two warm-up runs each; prints medians and berth/docker.
//   berth:  berth-dockerd, berth-containerd, containerd-shim-berth-v1 with its in-process
//           runtime (the bundles and native parts, as installed; tracing on, the default);
//   Docker: Debian's dockerd, containerd 1.6, containerd-shim-runc-v2, runc.
//
//   node tools/bench/dockerd.mjs [runs=15]
//
// Needs root, Debian's docker.io/containerd/runc, and the test image cache.
import { execFileSync } from 'node:child_process';
import { buildStack, startBerthStack } from '../berth/test/helpers/berth-stack.mjs';
import { Daemons, smallImageArchive, median, timeRun } from './lib/daemons.mjs';

const runs = Number(process.argv[2] ?? 15);
const daemons = new Daemons();
const NONE = ['--network', 'none'];
let berth;

try {
  const archive = smallImageArchive();
  buildStack();
  berth = await startBerthStack();
  const dockerHost = await daemons.startDocker([
    '--bridge=none',
    '--iptables=false',
    '--ip6tables=false',
  ]);
  const hosts = { berth: berth.host, docker: dockerHost };
  for (const host of Object.values(hosts)) {
    execFileSync('docker', ['-H', host, 'load', '-q', '-i', archive], { stdio: 'ignore' });
    timeRun(host, NONE);
    timeRun(host, NONE);
  }
  const times = { berth: [], docker: [] };
  for (let i = 0; i < runs; i++) {
    for (const name of i % 2 ? ['docker', 'berth'] : ['berth', 'docker'])
      times[name].push(timeRun(hosts[name], NONE));
  }
  const [b, d] = [median(times.berth), median(times.docker)];
  console.log(`docker run --rm --network none IMG true, median of ${runs}:`);
  console.log(`  berth (dockerd, containerd, shim + runtime): ${b.toFixed(1)} ms`);
  console.log(`  Docker (Debian dockerd, containerd 1.6, runc): ${d.toFixed(1)} ms`);
  console.log(`  ratio berth/docker: ${(b / d).toFixed(3)}`);
} finally {
  await berth?.stop();
  await daemons.stop();
}
