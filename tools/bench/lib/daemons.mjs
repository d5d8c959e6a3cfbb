// Shared by the dockerd benches: berth-dockerd and Debian's dockerd, each on its own upstream
// containerd 1.6 in private directories under one temp dir, started and stopped by pid, and
// timing of `docker run` through the same docker CLI.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { smallImageArchive, median, writeContainerdConfig } from './common.mjs';

const root = resolve(import.meta.dirname, '../../..');
export const IMAGE = 'berth.test/small:latest';

const ownCgroup =
  readFileSync('/proc/self/cgroup', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[1] === 'memory')
    ?.split(':')[2] ?? '/';

export { smallImageArchive, median };

/** Milliseconds of one `docker run --rm <args> IMAGE true`. */
export function timeRun(host, args = []) {
  const t0 = process.hrtime.bigint();
  const res = spawnSync('docker', ['-H', host, 'run', '--rm', ...args, IMAGE, 'true']);
  if (res.status !== 0) throw new Error(`docker -H ${host} run ${args} failed: ${res.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** One bench's daemons; stop() ends them by pid and removes everything under its dir. */
export class Daemons {
  dir = mkdtempSync(join(tmpdir(), 'berth-bench-dockerd-'));
  started = [];
  cgroups = [];
  cleanups = [];

  cgroupParent(name) {
    const path = join(ownCgroup, `berth-bench-${process.pid}-${name}`);
    this.cgroups.push(path);
    return path;
  }

  start(name, command, args) {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let output = '';
    child.stderr.on('data', (c) => (output += c));
    this.started.push({ name, child, log: () => output });
    return child;
  }

  async waitForSocket(path, name) {
    for (let i = 0; i < 400; i++) {
      if (path.endsWith('containerd.sock') && existsSync(path)) return;
      const version = spawnSync('docker', ['-H', `unix://${path}`, 'version'], { stdio: 'ignore' });
      if (version.status === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(
      `${name} did not come up:\n${this.started.find((s) => s.name === name)?.log()}`,
    );
  }

  async startContainerd(name) {
    const base = join(this.dir, name);
    mkdirSync(base, { recursive: true });
    const { address, config } = writeContainerdConfig(base);
    this.start(`${name}-containerd`, 'containerd', ['--config', config]);
    await this.waitForSocket(address, `${name}-containerd`);
    return address;
  }

  /** berth-dockerd from source (tsx) on its own containerd; returns its -H address. */
  async startBerth(extraArgs = []) {
    const containerd = await this.startContainerd('berth');
    const socket = join(this.dir, 'berth.sock');
    this.start('berth-dockerd', process.execPath, [
      '--import',
      'tsx',
      join(root, 'services/dockerd/src/bin/berth-dockerd.ts'),
      ...['-H', `unix://${socket}`, '--containerd', containerd],
      ...['--data-root', join(this.dir, 'berth-data'), '--exec-root', join(this.dir, 'berth-exec')],
      ...['--cgroup-parent', this.cgroupParent('berth'), ...extraArgs],
    ]);
    await this.waitForSocket(socket, 'berth-dockerd');
    return `unix://${socket}`;
  }

  /** Debian's dockerd on its own containerd, private roots and pidfile; returns its -H. */
  async startDocker(extraArgs = []) {
    const containerd = await this.startContainerd('docker');
    const socket = join(this.dir, 'docker.sock');
    this.start('dockerd', 'dockerd', [
      ...['-H', `unix://${socket}`, '--containerd', containerd],
      ...[
        '--data-root',
        join(this.dir, 'docker-data'),
        '--exec-root',
        join(this.dir, 'docker-exec'),
      ],
      ...[
        '--pidfile',
        join(this.dir, 'docker.pid'),
        '--cgroup-parent',
        this.cgroupParent('docker'),
      ],
      ...extraArgs,
    ]);
    this.cleanups.push(() => {
      for (const sub of ['docker-exec', 'docker-data'])
        spawnSync('umount', ['-R', join(this.dir, sub)], { stdio: 'ignore' });
    });
    await this.waitForSocket(socket, 'dockerd');
    return `unix://${socket}`;
  }

  /** Runs after the daemons are gone (e.g. deleting a bridge a daemon created). */
  onStop(fn) {
    this.cleanups.push(fn);
  }

  async stop() {
    for (const { child } of this.started.reverse()) {
      if (child.exitCode !== null) continue;
      child.kill('SIGTERM');
      await new Promise((r) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => r(clearTimeout(timer)));
      });
    }
    for (const cleanup of this.cleanups) cleanup();
    for (const cgroup of this.cgroups) {
      for (const hierarchy of readdirSync('/sys/fs/cgroup')) {
        try {
          rmdirSync(join('/sys/fs/cgroup', hierarchy, cgroup));
        } catch {
          // no directory for this parent in that hierarchy
        }
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
