// Serves a few containerd services from the JSON bundle with grpc-js on a unix socket and
// calls them with our own client and with upstream's ctr, the real peer.
import * as grpc from '@grpc/grpc-js';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGrpcPackage } from '../src/index';
import type { containerd, ProtoGrpcType } from '../src/index';

const CTR = '/usr/bin/ctr';
const run = promisify(execFile);

const NAMESPACES: containerd.services.namespaces.v1.Namespace[] = [
  { name: 'default', labels: {} },
  { name: 'berth-smoke', labels: { 'com.example.owner': 'proto-test' } },
];

const SERVER_UUID = '0f8c1b2e-6a7d-4e59-9b3a-2c4d5e6f7a8b';

const PLUGINS: containerd.services.introspection.v1.Plugin[] = [
  {
    type: 'io.containerd.snapshotter.v1',
    id: 'overlayfs',
    platforms: [{ os: 'linux', architecture: 'amd64', variant: '' }],
    exports: { root: '/var/lib/berth/containerd/snapshots' },
  },
  {
    type: 'io.containerd.snapshotter.v1',
    id: 'btrfs',
    init_err: { code: 9, message: 'path must be a btrfs filesystem' },
  },
];

describe('the JSON bundle served with grpc-js', () => {
  let dir: string;
  let address: string;
  let server: grpc.Server;
  let pkg: ProtoGrpcType;

  beforeAll(async () => {
    pkg = await loadGrpcPackage();
    dir = await mkdtemp(join(tmpdir(), 'berth-proto-grpc-'));
    address = join(dir, 'containerd.sock');
    server = new grpc.Server();
    const version: containerd.services.version.v1.VersionHandlers = {
      Version: (_call, reply) => reply(null, { version: 'v1.6.20-berth', revision: 'proto-test' }),
    };
    const introspection: containerd.services.introspection.v1.IntrospectionHandlers = {
      Server: (_call, reply) => reply(null, { uuid: SERVER_UUID }),
      Plugins: (_call, reply) => reply(null, { plugins: PLUGINS }),
    };
    const unimplemented = (_call: unknown, reply: (error: Partial<grpc.StatusObject>) => void) =>
      reply({ code: grpc.status.UNIMPLEMENTED });
    const namespaces: containerd.services.namespaces.v1.NamespacesHandlers = {
      List: (_call, reply) => reply(null, { namespaces: NAMESPACES }),
      Get: (call, reply) => {
        const found = NAMESPACES.find((namespace) => namespace.name === call.request.name);
        if (found) reply(null, { namespace: found });
        else
          reply({
            code: grpc.status.NOT_FOUND,
            details: `namespace ${call.request.name}: not found`,
          });
      },
      Create: unimplemented,
      Update: unimplemented,
      Delete: unimplemented,
    };
    const services = pkg.containerd.services;
    server.addService(services.version.v1.Version.service, version);
    server.addService(services.introspection.v1.Introspection.service, introspection);
    server.addService(services.namespaces.v1.Namespaces.service, namespaces);
    await promisify(server.bindAsync.bind(server))(
      `unix://${address}`,
      grpc.ServerCredentials.createInsecure(),
    );
  });

  afterAll(async () => {
    server?.forceShutdown();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers our own grpc-js client, including a status error', async () => {
    const client = new pkg.containerd.services.namespaces.v1.Namespaces(
      `unix://${address}`,
      grpc.credentials.createInsecure(),
    );
    try {
      const get = promisify(client.Get.bind(client));
      await expect(get({ name: 'berth-smoke' })).resolves.toEqual({ namespace: NAMESPACES[1] });
      await expect(get({ name: 'nope' })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    } finally {
      client.close();
    }
  });

  describe.skipIf(!existsSync(CTR))('with upstream ctr as the client', () => {
    it('ctr version reads containerd.services.version.v1.Version', async () => {
      const { stdout } = await run(CTR, ['--address', address, 'version']);
      expect(stdout).toMatch(/Server:\s+Version:\s+v1\.6\.20-berth\s+Revision:\s+proto-test/);
      expect(stdout).toContain(`UUID: ${SERVER_UUID}`);
    });

    it('ctr plugins ls reads platforms and init_err (google.rpc.Status) from Introspection', async () => {
      const { stdout } = await run(CTR, ['--address', address, 'plugins', 'ls']);
      const rows = stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((row) => row.trim().split(/\s+/));
      expect(rows).toEqual([
        ['io.containerd.snapshotter.v1', 'overlayfs', 'linux/amd64', 'ok'],
        ['io.containerd.snapshotter.v1', 'btrfs', '-', 'error'],
      ]);
    });

    it('ctr namespaces ls reads labels from containerd.services.namespaces.v1.Namespaces', async () => {
      const { stdout } = await run(CTR, ['--address', address, 'namespaces', 'ls']);
      const rows = stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((row) => row.trim().split(/\s+/));
      expect(rows).toEqual([['default'], ['berth-smoke', 'com.example.owner=proto-test']]);
    });
  });
});
