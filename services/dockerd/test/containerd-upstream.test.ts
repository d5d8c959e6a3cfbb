// berth-dockerd on upstream containerd (Debian 1.6): the dockerd → containerd boundary.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startUpstreamContainerd, type UpstreamContainerd } from '@berth/test-peers';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/api/app';
import { listenUnix } from '../src/api/listen';
import { systemRoutes } from '../src/api/routes/system';
import { containerdComponent } from '../src/containerd/components';
import { connectContainerd, type ContainerdConnection } from '../src/containerd/connection';
import { hostFacts } from '../src/system/platform';

const run = promisify(execFile);

describe('berth-dockerd on upstream containerd', { tags: ['kernel'] }, () => {
  let dir: string;
  let containerd: UpstreamContainerd;
  let connection: ContainerdConnection;
  let app: FastifyInstance;
  let socket: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-dockerd-ctrd-'));
    containerd = await startUpstreamContainerd(join(dir, 'containerd'));
    connection = await connectContainerd(containerd.address);
    socket = join(dir, 'docker.sock');
    app = createApp({ engineVersion: '0.0.0-test' });
    systemRoutes(app, {
      engineVersion: '0.0.0-test',
      host: hostFacts(),
      componentVersions: () => containerdComponent(connection),
    });
    await listenUnix(app, socket, 'root');
  });

  afterAll(async () => {
    await app?.close();
    connection?.close();
    await containerd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('docker version reports the containerd it talks to', async () => {
    const { stdout } = await run('docker', [
      '-H',
      `unix://${socket}`,
      'version',
      '--format',
      '{{json .Server.Components}}',
    ]);
    const components = JSON.parse(stdout) as { Name: string; Version: string }[];
    const ctr = components.find((c) => c.Name === 'containerd');
    const { stdout: upstream } = await run('containerd', ['--version']);
    expect(upstream).toContain(ctr?.Version);
  });
});
