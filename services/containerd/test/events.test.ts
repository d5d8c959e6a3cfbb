import { loadGrpcPackage, protoRoot } from '@berth/proto';
import { credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, tempDir } from './helpers';

// Events and error codes over the real gRPC wire, with the generated client stubs.
describe('events and status codes over gRPC', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let daemon: Awaited<ReturnType<typeof startDaemon>>;
  let pkg: Awaited<ReturnType<typeof loadGrpcPackage>>;
  const md = (ns: string) => {
    const m = new Metadata();
    m.set('containerd-namespace', ns);
    return m;
  };

  beforeAll(async () => {
    dir = await tempDir('events');
    daemon = await startDaemon(join(dir.path, 'd'));
    pkg = await loadGrpcPackage();
  });
  afterAll(async () => {
    await daemon?.close();
    await dir?.remove();
  });

  it('delivers only envelopes that match the subscription filters', async () => {
    const target = `unix://${daemon.address}`;
    const events = new pkg.containerd.services.events.v1.Events(
      target,
      credentials.createInsecure(),
    );
    const images = new pkg.containerd.services.images.v1.Images(
      target,
      credentials.createInsecure(),
    );
    const stream = events.Subscribe({ filters: ['topic=="/images/create",namespace==evns'] });
    const received = new Promise<{
      topic: string;
      namespace: string;
      name: unknown;
      typeUrl: string;
    }>((resolve) =>
      stream.on(
        'data',
        (e: { topic: string; namespace: string; event: { type_url: string; value: Buffer } }) => {
          const type = protoRoot().lookupType(e.event.type_url);
          const decoded = type.toObject(type.decode(e.event.value)) as { name: unknown };
          resolve({
            topic: e.topic,
            namespace: e.namespace,
            name: decoded.name,
            typeUrl: e.event.type_url,
          });
        },
      ),
    );
    await new Promise((r) => setTimeout(r, 100));
    const image = (name: string) => ({
      image: {
        name,
        target: {
          media_type: 'application/vnd.oci.image.manifest.v1+json',
          digest: `sha256:${'a'.repeat(64)}`,
          size: 1,
        },
      },
    });
    const create = (ns: string, name: string) =>
      new Promise((resolve, reject) =>
        images.Create(image(name), md(ns), (err, res) => (err ? reject(err) : resolve(res))),
      );
    await create('otherns', 'ignored');
    await create('evns', 'wanted');
    expect(await received).toEqual({
      topic: '/images/create',
      namespace: 'evns',
      name: 'wanted',
      typeUrl: 'containerd.services.images.v1.ImageCreate',
    });
    const dup = await create('evns', 'wanted').catch((e: ServiceError) => e);
    expect(dup).toMatchObject({
      code: status.ALREADY_EXISTS,
      details: 'image "wanted": already exists',
    });
    const noNs = await new Promise<ServiceError>((resolve) =>
      images.Get({ name: 'x' }, new Metadata(), (err) => resolve(err as ServiceError)),
    );
    expect(noNs).toMatchObject({
      code: status.FAILED_PRECONDITION,
      details: 'namespace is required: failed precondition',
    });
    stream.on('error', () => undefined); // the CANCELLED status our own cancel produces
    stream.cancel();
    events.close();
    images.close();
  });
});
