// Our generated clients, loaded from the JSON bundle, against a real upstream containerd
// started for this test in a temporary root: unary calls, client and server streams,
// int64 and Timestamp fields, status errors, and events whose Any payloads we decode with
// unpackAny (which proves the event type URLs, e.g. containerd.events.NamespaceCreate).
import * as grpc from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGrpcPackage, unpackAny } from '../src/index';
import type { containerd, ProtoGrpcType } from '../src/index';

const CONTAINERD = '/usr/bin/containerd';
const NAMESPACE = 'berth-proto-test';
const canRun = existsSync(CONTAINERD) && process.getuid?.() === 0;

/** Every call carries the namespace in metadata, as containerd's own client does. */
const withNamespace: grpc.Interceptor = (options, next) =>
  new grpc.InterceptingCall(next(options), {
    start(metadata, listener, start) {
      metadata.set('containerd-namespace', NAMESPACE);
      start(metadata, listener);
    },
  });

/** Writes a config confined to dir and starts containerd on it. */
async function spawnContainerd(dir: string, socket: string): Promise<ChildProcess> {
  const config = join(dir, 'config.toml');
  // Plugins that probe host filesystems or devices, write outside dir (opt: /opt/containerd)
  // or export traces stay off.
  await writeFile(
    config,
    [
      'version = 2',
      `root = "${join(dir, 'root')}"`,
      `state = "${join(dir, 'state')}"`,
      'disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs",',
      '  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.aufs",',
      '  "io.containerd.snapshotter.v1.devmapper", "io.containerd.internal.v1.tracing",',
      '  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.opt"]',
      '[grpc]',
      `  address = "${socket}"`,
      '[ttrpc]',
      `  address = "${socket}.ttrpc"`,
      '',
    ].join('\n'),
  );
  return spawn(CONTAINERD, ['--config', config], { stdio: 'ignore' });
}

async function waitForSocket(socket: string, daemon: ChildProcess): Promise<void> {
  for (let waited = 0; !existsSync(socket); waited += 50) {
    if (waited > 10_000 || daemon.exitCode !== null) throw new Error('containerd did not start');
    await sleep(50);
  }
}

describe.skipIf(!canRun)(
  'generated clients against upstream containerd',
  { tags: ['kernel'] },
  () => {
    let dir: string;
    let daemon: ChildProcess | undefined;
    let address: string;
    let pkg: ProtoGrpcType;
    const clients: grpc.Client[] = [];

    function client<T extends grpc.Client>(
      Service: new (
        address: string,
        credentials: grpc.ChannelCredentials,
        options: grpc.ClientOptions,
      ) => T,
    ): T {
      const created = new Service(address, grpc.credentials.createInsecure(), {
        interceptors: [withNamespace],
      });
      clients.push(created);
      return created;
    }

    beforeAll(async () => {
      pkg = await loadGrpcPackage();
      dir = await mkdtemp(join(tmpdir(), 'berth-proto-containerd-'));
      const socket = join(dir, 'containerd.sock');
      address = `unix://${socket}`;
      daemon = await spawnContainerd(dir, socket);
      await waitForSocket(socket, daemon);
    });

    afterAll(async () => {
      for (const created of clients) created.close();
      if (daemon?.pid !== undefined && daemon.exitCode === null) {
        const exited = new Promise((resolve) => daemon?.once('exit', resolve));
        process.kill(daemon.pid, 'SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    });

    it('Version and Introspection.Plugins', async () => {
      const version = client(pkg.containerd.services.version.v1.Version);
      const reply = await promisify(version.Version.bind(version))({});
      expect(reply?.version).toMatch(/^1\.\d+\.\d+/);
      const introspection = client(pkg.containerd.services.introspection.v1.Introspection);
      const plugins = await promisify(introspection.Plugins.bind(introspection))({
        filters: ['type==io.containerd.snapshotter.v1'],
      });
      const overlay = plugins?.plugins.find((plugin) => plugin.id === 'overlayfs');
      expect(overlay?.platforms[0]).toMatchObject({ os: 'linux' });
    });

    it('Namespaces round-trips labels, reports AlreadyExists, and publishes a NamespaceCreate event', async () => {
      const namespaces = client(pkg.containerd.services.namespaces.v1.Namespaces);
      const events = client(pkg.containerd.services.events.v1.Events);
      const subscription = events.Subscribe({ filters: ['topic=="/namespaces/create"'] });
      const firstEvent = new Promise<containerd.services.events.v1.Envelope__Output>(
        (resolve, reject) => {
          subscription.once('data', resolve);
          subscription.once('error', reject);
        },
      );
      const create = promisify(namespaces.Create.bind(namespaces));
      // The subscription registers asynchronously: create namespaces until one is reported.
      const created: string[] = [];
      let envelope: containerd.services.events.v1.Envelope__Output | undefined;
      for (let attempt = 0; !envelope && attempt < 50; attempt++) {
        const name = `${NAMESPACE}-${attempt}`;
        await create({ namespace: { name, labels: { 'berth.dev/test': 'proto' } } });
        created.push(name);
        envelope = await Promise.race([firstEvent, sleep(100).then(() => undefined)]);
      }
      subscription.cancel();
      expect(envelope?.topic).toBe('/namespaces/create');
      expect(envelope?.event?.type_url).toBe('containerd.events.NamespaceCreate');
      const { value: event } = unpackAny(
        envelope?.event ?? { type_url: '', value: Buffer.alloc(0) },
      );
      expect(created).toContain(event['name']);
      expect(event['labels']).toEqual({ 'berth.dev/test': 'proto' });

      const get = promisify(namespaces.Get.bind(namespaces));
      await expect(get({ name: created[0] })).resolves.toEqual({
        namespace: { name: created[0], labels: { 'berth.dev/test': 'proto' } },
      });
      await expect(create({ namespace: { name: created[0] } })).rejects.toMatchObject({
        code: grpc.status.ALREADY_EXISTS,
      });
    });

    it('Content: Write (client+server stream), Info (int64, Timestamp), Read, Delete', async () => {
      const content = client(pkg.containerd.services.content.v1.Content);
      const blob = Buffer.from('berth wire-compatibility blob\n'.repeat(1000));
      const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
      const write = content.Write();
      const committed = new Promise<containerd.services.content.v1.WriteContentResponse__Output>(
        (resolve, reject) => {
          write.once('data', resolve);
          write.once('error', reject);
        },
      );
      write.write({
        action: 'COMMIT',
        ref: 'berth-proto-blob',
        total: String(blob.length),
        expected: digest,
        data: blob,
        labels: { 'containerd.io/gc.root': 'berth' },
      });
      const response = await committed;
      write.end();
      expect(response).toMatchObject({ action: 'COMMIT', digest, offset: String(blob.length) });

      const info = await promisify(content.Info.bind(content))({ digest });
      expect(info?.info).toMatchObject({
        digest,
        size: String(blob.length),
        labels: { 'containerd.io/gc.root': 'berth' },
      });
      expect(Number(info?.info?.created_at?.seconds)).toBeGreaterThan(1_600_000_000);

      const chunks: Buffer[] = [];
      for await (const chunk of content.Read({
        digest,
      }) as AsyncIterable<containerd.services.content.v1.ReadContentResponse__Output>) {
        chunks.push(chunk.data);
      }
      expect(Buffer.concat(chunks)).toEqual(blob);

      await promisify(content.Delete.bind(content))({ digest });
      await expect(promisify(content.Info.bind(content))({ digest })).rejects.toMatchObject({
        code: grpc.status.NOT_FOUND,
      });
    });

    it('Leases, Images (Descriptor target) and Snapshots (Mount list, server stream)', async () => {
      const leases = client(pkg.containerd.services.leases.v1.Leases);
      const lease = await promisify(leases.Create.bind(leases))({
        id: 'berth-lease',
        labels: { a: 'b' },
      });
      expect(lease?.lease).toMatchObject({ id: 'berth-lease', labels: { a: 'b' } });

      const images = client(pkg.containerd.services.images.v1.Images);
      const target = {
        media_type: 'application/vnd.oci.image.manifest.v1+json',
        digest: `sha256:${'ab'.repeat(32)}`,
        size: '1234',
        annotations: { 'org.opencontainers.image.ref.name': 'latest' },
      };
      await promisify(images.Create.bind(images))({
        image: { name: 'docker.io/library/berth:latest', target },
      });
      const image = await promisify(images.Get.bind(images))({
        name: 'docker.io/library/berth:latest',
      });
      expect(image?.image?.target).toEqual(target);

      const snapshots = client(pkg.containerd.services.snapshots.v1.Snapshots);
      // Under the lease: an unreferenced snapshot is fair game for containerd's garbage
      // collector, which the content deletion above may have just scheduled.
      const underLease = new grpc.Metadata();
      underLease.set('containerd-lease', 'berth-lease');
      const prepared = await new Promise<
        containerd.services.snapshots.v1.PrepareSnapshotResponse__Output | undefined
      >((resolve, reject) =>
        snapshots.Prepare({ snapshotter: 'native', key: 'berth-active' }, underLease, (err, res) =>
          err ? reject(err) : resolve(res),
        ),
      );
      expect(prepared?.mounts[0]).toMatchObject({
        type: 'bind',
        options: expect.arrayContaining(['rbind']),
      });
      const listed: string[] = [];
      for await (const page of snapshots.List({
        snapshotter: 'native',
      }) as AsyncIterable<containerd.services.snapshots.v1.ListSnapshotsResponse__Output>) {
        listed.push(...page.info.map((info) => `${info.name}:${info.kind}`));
      }
      expect(listed).toEqual(['berth-active:ACTIVE']);
    });
  },
);
