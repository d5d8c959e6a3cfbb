// One berth-dockerd per test file, as the CLI suites need it: its own containerd (berth's, or
// Debian's with BERTH_TEST_CONTAINERD=upstream), state and exec dirs in a temp dir, its own
// bridge and subnet, a cgroup parent below ours, and the test images loaded. close() removes
// every container and everything else it made.
import { mkdtempSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTestImages, type TestImageName, type TestImages } from '@berth/test-images';
import { startContainerdPeer, type UpstreamContainerd } from '@berth/test-peers';
import { pino } from 'pino';
import type { DockerdConfig } from '../../src/config';
import { startDaemon, type Daemon } from '../../src/daemon';
import { dockerCli, ownCgroup } from './docker-cli';
import { isolatedNetwork } from './test-network';

export interface TestDaemon {
  dir: string;
  /** The API address, unix://<dir>/docker.sock. */
  host: string;
  config: DockerdConfig;
  containerd: UpstreamContainerd;
  daemon: Daemon;
  cli: ReturnType<typeof dockerCli>;
  images: TestImages;
  /** Closes the daemon as a crash would leave things, and starts a new one on the same state. */
  restart(): Promise<Daemon>;
  close(): Promise<void>;
}

export interface TestDaemonOptions {
  /** Test images to load into the daemon (docker load), e.g. ['small']. */
  images?: TestImageName[];
  /** Settings over the test defaults. */
  config?: Partial<DockerdConfig>;
}

export async function startTestDaemon(
  name: string,
  options: TestDaemonOptions = {},
): Promise<TestDaemon> {
  const dir = mkdtempSync(join(tmpdir(), `berth-dockerd-${name}-`));
  const cgroupParent = join(ownCgroup(), `berth-dockerd-${name}-${process.pid}`);
  const network = isolatedNetwork();
  const [images, containerd] = await Promise.all([
    ensureTestImages(options.images ?? []),
    startContainerdPeer(join(dir, 'containerd')),
  ]);
  const host = `unix://${join(dir, 'docker.sock')}`;
  const config: DockerdConfig = {
    host,
    containerdAddress: containerd.address,
    dataRoot: join(dir, 'data'),
    execRoot: join(dir, 'exec'),
    group: 'root',
    cgroupParent,
    ...network.config,
    ...options.config,
  };
  const start = () => startDaemon(config, '0.0.0-test', pino({ level: 'silent' }));
  const cli = dockerCli(host);
  const t: TestDaemon = {
    dir,
    host,
    config,
    containerd,
    daemon: await start(),
    cli,
    images,
    async restart() {
      await t.daemon.close();
      t.daemon = await start();
      return t.daemon;
    },
    close,
  };
  for (const image of options.images ?? [])
    await cli.ok(['load', '-i', images[image]!.dockerArchive]);
  return t;

  async function close() {
    for (const c of t.daemon.containers.list())
      await t.daemon.containers.remove(c.id, { force: true }).catch(() => undefined);
    await t.daemon.close();
    await containerd.stop();
    await network.cleanup();
    // The runtime removes each container's cgroup; the parent we named is ours to remove.
    for (const hierarchy of readdirSync('/sys/fs/cgroup')) {
      try {
        rmdirSync(join('/sys/fs/cgroup', hierarchy, cgroupParent));
      } catch {
        // that hierarchy had no directory for us
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
