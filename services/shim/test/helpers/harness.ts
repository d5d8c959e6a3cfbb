// Upstream containerd (Debian 1.6) with containerd-shim-berth-v1 on its PATH, in private
// directories, plus `ctr` against it. Everything started here is stopped by pid.
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startUpstreamContainerd, type UpstreamContainerd } from '@berth/test-peers';
import { socketPath, type TtrpcClient } from '@berth/ttrpc';
import { ensureTestImages } from '@berth/test-images';
import { Runtime } from '@berth/oci';
import { groupAddress, runtimeRoot, type GroupKey } from '../../src/paths';
import { decode, encode } from '../../src/proto';
import { unmountAll } from '@berth/oci/mount';

export const SHIM_PACKAGE = resolve(import.meta.dirname, '..', '..');
const REPO = resolve(SHIM_PACKAGE, '..', '..');
export const RUNTIME = 'io.containerd.berth.v1';
const BUILD_LOCK = join(tmpdir(), 'berth-shim-build.lock');

export interface CtrResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Builds the monitor, the shim's native front and (if stale) the shim bundle, as CI's
 * `nx build` would; returns the native front, the executable containerd runs.
 */
export function buildShim(): string {
  execFileSync('make', ['-s', '-C', join(REPO, 'libs', 'monitor', 'native')]);
  const build = join(import.meta.dirname, 'build-if-stale.mjs');
  execFileSync('flock', [
    BUILD_LOCK,
    'sh',
    '-c',
    'make -s -C "$0" && "$1" "$2"',
    join(SHIM_PACKAGE, 'native'),
    process.execPath,
    build,
  ]);
  return join(SHIM_PACKAGE, 'native', 'build', 'containerd-shim-berth-v1');
}

export class Harness {
  readonly namespace = `berth-shim-${process.pid}`;
  containerd!: UpstreamContainerd;
  image!: string;

  private constructor(readonly dir: string) {}

  static async start(): Promise<Harness> {
    const shim = buildShim();
    const harness = new Harness(mkdtempSync(join(tmpdir(), 'berth-shim-')));
    const bin = join(harness.dir, 'bin');
    mkdirSync(bin);
    symlinkSync(shim, join(bin, 'containerd-shim-berth-v1'));
    // containerd finds runtime v2 shims on its PATH, as it finds containerd-shim-runc-v2; the
    // shim inherits the private state directory through containerd's environment.
    process.env.PATH = `${bin}:${process.env.PATH}`;
    process.env.BERTH_SHIM_STATE = join(harness.dir, 'shim-state');
    await harness.startContainerd();
    const { small } = await ensureTestImages(['small']);
    const imported = await harness.ctr(['images', 'import', small!.dockerArchive]);
    if (imported.code !== 0) throw new Error(`ctr images import: ${imported.stderr}`);
    harness.image = small!.ref;
    return harness;
  }

  async startContainerd(): Promise<void> {
    this.containerd = await startUpstreamContainerd(this.dir);
  }

  ctr(args: string[], timeoutMs = 30_000): Promise<CtrResult> {
    const argv = ['-a', this.containerd.address, '-n', this.namespace, ...args];
    return new Promise((resolve) => {
      execFile('ctr', argv, { timeout: timeoutMs }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  /** `ctr` under a pseudo-terminal of 33 rows and 111 columns, for `run -t` / `exec -t`. */
  ctrWithTty(args: string[], timeoutMs = 30_000): Promise<CtrResult> {
    const argv = ['ctr', '-a', this.containerd.address, '-n', this.namespace, ...args];
    const script = [
      'import fcntl, os, pty, struct, sys, termios',
      'pid, fd = pty.fork()',
      'if pid == 0:',
      "    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 33, 111, 0, 0))",
      '    os.execvp(sys.argv[1], sys.argv[1:])',
      'while True:',
      '    try:',
      '        data = os.read(fd, 4096)',
      '    except OSError:',
      '        break',
      '    if not data:',
      '        break',
      '    sys.stdout.buffer.write(data)',
      'sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))',
    ].join('\n');
    return new Promise((resolve) => {
      const child = spawn('python3', ['-c', script, ...argv], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, stdout, stderr });
      });
    });
  }

  /** `ctr events` in the background: what containerd relays from the shim. */
  watchEvents(): { lines(): string[]; topics(): string[]; stop(): void } {
    const child = spawn('ctr', ['-a', this.containerd.address, 'events'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const lines = () => out.split('\n').filter((line) => line.includes(this.namespace));
    return {
      lines,
      topics: () =>
        lines().map((line) => line.split(' ').find((word) => word.startsWith('/tasks/')) ?? ''),
      stop: () => child.kill(),
    };
  }

  /** The shim group of this harness's containers: the namespace. */
  group(): GroupKey {
    return { address: this.containerd.address, namespace: this.namespace, group: this.namespace };
  }

  groupAddress(): string {
    return groupAddress(this.group());
  }

  /** The pids of this harness's shim servers (`serve` processes for its containerd). */
  shimServers(): number[] {
    return processesWhere(
      (cmdline) => cmdline.includes(this.containerd.address) && cmdline.endsWith('\0serve\0'),
    );
  }

  async stop(): Promise<void> {
    const tasks = await this.ctr(['task', 'ls', '-q']);
    for (const id of tasks.stdout.split('\n').filter(Boolean)) {
      await this.ctr(['task', 'kill', '-s', 'SIGKILL', id]);
      await this.ctr(['task', 'rm', '-f', id]);
    }
    const containers = await this.ctr(['containers', 'ls', '-q']);
    for (const id of containers.stdout.split('\n').filter(Boolean)) {
      await this.ctr(['containers', 'rm', id]);
    }
    const servers = this.shimServers();
    await this.containerd.stop();
    for (const pid of servers) killQuietly(pid);
    rmSync(socketPath(this.groupAddress()), { force: true }); // a killed server leaves it
    for (const pid of processesWhere((cmdline) => cmdline.includes(this.dir))) killQuietly(pid);
    // A failed test may leave containers that containerd no longer lists, and their mounts.
    const runcRoot = runtimeRoot(this.namespace, 'runc');
    const leftovers = spawnSync('runc', ['--root', runcRoot, 'list', '-q'], { encoding: 'utf8' });
    for (const id of leftovers.stdout?.split('\n').filter(Boolean) ?? []) {
      spawnSync('runc', ['--root', runcRoot, 'delete', '--force', id]);
    }
    const bundles = join(this.containerd.state, 'io.containerd.runtime.v2.task', this.namespace);
    for (const id of existsSync(bundles) ? readdirSync(bundles) : [])
      unmountAll(join(bundles, id, 'rootfs'));
    // The same for berth's in-process runtime (the shim's default).
    const berth = new Runtime({ root: runtimeRoot(this.namespace) });
    for (const { id } of await berth.list()) await berth.delete(id, true).catch(() => {});
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(runcRoot, { recursive: true, force: true });
    rmSync(runtimeRoot(this.namespace), { recursive: true, force: true });
    removeCgroupParent(this.namespace);
  }
}

/** runc creates /<namespace>/<id> cgroups (containerd's default cgroupsPath) and removes only the leaf. */
export function removeCgroupParent(namespace: string): void {
  for (const hierarchy of readdirSync('/sys/fs/cgroup')) {
    const dir = join('/sys/fs/cgroup', hierarchy, namespace);
    if (existsSync(dir)) rmdirQuietly(dir);
  }
}

export function rmdirQuietly(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty or already gone: not ours to force
  }
}

/**
 * Typed containerd.task.v2.Task calls over the ttrpc client `client()` returns (set up in a
 * beforeAll), in `namespace`, as containerd makes them.
 */
export function taskCaller(client: () => TtrpcClient, namespace: string, timeoutMs: number) {
  return async <T>(method: string, request: string, body: object, response?: string) => {
    const bytes = await client().call(
      'containerd.task.v2.Task',
      method,
      encode(`containerd.task.v2.${request}`, body),
      { metadata: { 'containerd-namespace-ttrpc': [namespace] }, timeoutMs },
    );
    return (response ? decode(`containerd.task.v2.${response}`, bytes) : {}) as T;
  };
}

export function processesWhere(match: (cmdline: string) => boolean): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (match(readFileSync(`/proc/${entry}/cmdline`, 'utf8'))) pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Running (a zombie waiting for its reaper counts as gone). */
export function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
