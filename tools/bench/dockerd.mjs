// berth-dockerd against Debian's dockerd (docker.io 20.10), each on its own upstream
// containerd 1.6 with the runc shim:   node tools/bench/dockerd.mjs [runs=15]
// Measures `docker run --rm --network none IMG true` with the same docker CLI, the two
// daemons interleaved, after two warm-up runs each; prints medians and berth/docker.
// Needs root, Debian's dockerd/containerd/runc, and the test image cache.
import { execFileSync } from 'node:child_process';
import { Daemons, findTestImage, IMAGE, median, timeRun } from './lib/daemons.mjs';

const runs = Number(process.argv[2] ?? 15);
const daemons = new Daemons();
const NONE = ['--network', 'none'];

try {
  const archive = findTestImage();
  const berthHost = await daemons.startBerth();
  const dockerHost = await daemons.startDocker([
    '--bridge=none',
    '--iptables=false',
    '--ip6tables=false',
  ]);
  for (const host of [berthHost, dockerHost]) {
    execFileSync('docker', ['-H', host, 'load', '-q', '-i', archive], { stdio: 'ignore' });
    timeRun(host, NONE);
    timeRun(host, NONE);
  }
  const times = { berth: [], docker: [] };
  for (let i = 0; i < runs; i++) {
    times.berth.push(timeRun(berthHost, NONE));
    times.docker.push(timeRun(dockerHost, NONE));
  }
  const berth = median(times.berth);
  const docker = median(times.docker);
  console.log(`docker run --rm --network none ${IMAGE} true, median of ${runs}:`);
  console.log(`  berth-dockerd + containerd 1.6: ${berth.toFixed(1)} ms`);
  console.log(`  Debian dockerd + containerd 1.6: ${docker.toFixed(1)} ms`);
  console.log(`  ratio berth/docker: ${(berth / docker).toFixed(3)}`);
} finally {
  await daemons.stop();
}
