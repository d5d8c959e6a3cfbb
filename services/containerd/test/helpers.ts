import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { startServer, type RunningServer } from '../src/server';

const run = promisify(execFile);

export async function tempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `berth-containerd-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** berth-containerd in this process, rooted in `dir`. */
export async function startDaemon(dir: string): Promise<RunningServer & { address: string }> {
  const address = join(dir, 'state', 'containerd.sock');
  const config = {
    root: join(dir, 'root'),
    state: join(dir, 'state'),
    address,
    logLevel: 'silent',
  };
  const running = await startServer(config, pino({ level: 'silent' }));
  return { ...running, address };
}

/** Runs upstream ctr against `address`; rejects with its stderr on failure. */
export async function ctr(address: string, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('ctr', ['--address', address, ...args], {
      maxBuffer: 64 << 20,
      timeout: 120_000,
      killSignal: 'SIGKILL',
    });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`ctr ${args.join(' ')}: ${e.stderr || e.message}`);
  }
}

async function waitForHttp(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: registry exited ${child.exitCode}`);
    const up = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      () => true,
      () => false,
    );
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url}: registry did not start`);
}

/** Debian's docker-registry (distribution 2.8) on a loopback port, storage under `dir`. */
export async function startDockerRegistry(
  dir: string,
): Promise<{ host: string; stop(): Promise<void> }> {
  const port = await freePort();
  await mkdir(dir, { recursive: true });
  const config = join(dir, 'registry.yml');
  await writeFile(
    config,
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const child = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  const host = `127.0.0.1:${port}`;
  await waitForHttp(`http://${host}/v2/`, child);
  return {
    host,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Pushes an OCI layout's tag to a registry with skopeo. */
export async function pushImage(ociLayout: string, tag: string, dest: string): Promise<void> {
  await run('skopeo', [
    'copy',
    '--quiet',
    '--dest-tls-verify=false',
    `oci:${ociLayout}:${tag}`,
    `docker://${dest}`,
  ]);
}

/** Debian's upstream containerd with a private root, state and socket under `dir`. */
export async function startUpstreamContainerd(
  dir: string,
): Promise<{ address: string; stop(): Promise<void> }> {
  await mkdir(dir, { recursive: true });
  const address = join(dir, 'containerd.sock');
  const config = join(dir, 'config.toml');
  await writeFile(
    config,
    [
      'version = 2',
      `root = "${join(dir, 'root')}"`,
      `state = "${join(dir, 'state')}"`,
      'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
      '[grpc]',
      `  address = "${address}"`,
      '[ttrpc]',
      `  address = "${address}.ttrpc"`,
      '',
    ].join('\n'),
  );
  const child = spawn('containerd', ['--config', config], { stdio: 'ignore' });
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`upstream containerd exited ${child.exitCode}`);
    if (
      await ctr(address, 'version').then(
        () => true,
        () => false,
      )
    )
      break;
    if (i > 100) throw new Error('upstream containerd did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    address,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const BERTH_REGISTRY_BIN = join(import.meta.dirname, '../../registry/src/bin/berth-registry.ts');

/** berth-registry as its own process (reached only over HTTP), storage under `dir`. */
export async function startBerthRegistry(
  dir: string,
): Promise<{ host: string; stop(): Promise<void> }> {
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', BERTH_REGISTRY_BIN, '--root', dir, '--addr', host, '--log-level', 'error'],
    { stdio: 'ignore', cwd: import.meta.dirname },
  );
  await waitForHttp(`http://${host}/v2/`, child);
  return {
    host,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
