// Networking cost of `docker run --rm IMG true`: the default bridge against --network none,
// on berth-dockerd and on Debian's dockerd (docker.io 20.10), each on its own upstream
// containerd 1.6:   node tools/bench/dockerd-network.mjs [runs=15]
// Both daemons get a bridge of their own (berth: bb<pid> 198.19.254.0/24; Docker: docker0 with
// --bip 198.19.255.1/24, --iptables=false so it leaves the host's firewall policy alone; its
// per-container work without published ports is the same veth, address and netns).
// Runs are interleaved after two warm-ups per case; prints medians and ratios.
// Needs root, Debian's dockerd/containerd/runc, the CNI plugins, and the test image cache.
import { execFileSync, spawnSync } from 'node:child_process';
import { Daemons, smallImageArchive, IMAGE, median, timeRun } from './lib/daemons.mjs';

const runs = Number(process.argv[2] ?? 15);
const daemons = new Daemons();
const berthBridge = `bb${process.pid}`.slice(0, 15);
const linkExists = (name) =>
  spawnSync('ip', ['link', 'show', name], { stdio: 'ignore' }).status === 0;
const deleteLink = (name) => spawnSync('ip', ['link', 'delete', name], { stdio: 'ignore' });

const cases = [
  { daemon: 'berth', mode: 'bridge' },
  { daemon: 'berth', mode: 'none' },
  { daemon: 'docker', mode: 'bridge' },
  { daemon: 'docker', mode: 'none' },
];

try {
  const archive = smallImageArchive();
  if (linkExists('docker0')) throw new Error('docker0 exists: a Docker engine runs here already');
  daemons.onStop(() => {
    deleteLink(berthBridge);
    deleteLink('docker0');
  });
  const hosts = {
    berth: await daemons.startBerth(['--bridge', berthBridge, '--bip', '198.19.254.1/24']),
    docker: await daemons.startDocker([
      '--bip',
      '198.19.255.1/24',
      '--iptables=false',
      '--ip6tables=false',
    ]),
  };
  for (const host of Object.values(hosts))
    execFileSync('docker', ['-H', host, 'load', '-q', '-i', archive], { stdio: 'ignore' });
  const args = (c) => ['--network', c.mode];
  for (const c of cases) {
    timeRun(hosts[c.daemon], args(c));
    timeRun(hosts[c.daemon], args(c));
    c.times = [];
  }
  for (let i = 0; i < runs; i++)
    for (const c of cases) c.times.push(timeRun(hosts[c.daemon], args(c)));
  const ms = {};
  for (const c of cases) ms[`${c.daemon}/${c.mode}`] = median(c.times);
  const row = (cells) => cells.map((c, i) => String(c).padStart(i ? 14 : 16)).join('');
  console.log(`docker run --rm --network <mode> ${IMAGE} true, median ms of ${runs}:`);
  console.log(row(['', 'bridge', 'none', 'bridge/none']));
  for (const d of ['berth', 'docker']) {
    const [b, n] = [ms[`${d}/bridge`], ms[`${d}/none`]];
    console.log(
      row([
        d === 'berth' ? 'berth-dockerd' : 'Debian dockerd',
        b.toFixed(1),
        n.toFixed(1),
        (b / n).toFixed(3),
      ]),
    );
  }
  console.log(
    row([
      'berth/docker',
      (ms['berth/bridge'] / ms['docker/bridge']).toFixed(3),
      (ms['berth/none'] / ms['docker/none']).toFixed(3),
      '',
    ]),
  );
} finally {
  await daemons.stop();
}
