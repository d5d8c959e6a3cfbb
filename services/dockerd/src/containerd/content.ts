// Blobs in containerd's content store: streamed in with Content.Write (digest computed on
// the way, verified by containerd at commit) and read back with Content.Read.
import { createHash, randomUUID } from 'node:crypto';
import type { ContainerdConnection } from './connection';
import { GrpcCode, grpcCode } from './connection';

export interface Blob {
  digest: string;
  size: number;
}

const CHUNK = 1 << 20;

/** Groups small stream chunks into ~1 MiB writes: one gRPC round trip per write. */
async function* rechunk(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    pending.push(chunk);
    size += chunk.length;
    if (size >= CHUNK) {
      yield Buffer.concat(pending);
      pending = [];
      size = 0;
    }
  }
  if (size > 0) yield Buffer.concat(pending);
}

/**
 * Writes a blob and commits it under its sha256 digest with `labels`. A blob containerd
 * already holds is not rewritten: the call succeeds with the same descriptor.
 */
export async function writeBlob(
  connection: ContainerdConnection,
  chunks: AsyncIterable<Buffer>,
  options: { lease: string; labels?: Record<string, string> },
): Promise<Blob> {
  const stream = connection.duplex('content', 'Write', { lease: options.lease });
  const responses: ((err: Error | null) => void)[] = [];
  let failure: Error | null = null;
  stream.on('data', () => responses.shift()?.(null));
  stream.on('error', (err: Error) => {
    failure = err;
    for (const settle of responses.splice(0)) settle(err);
  });
  const send = (message: object) =>
    new Promise<void>((resolve, reject) => {
      if (failure) return reject(failure);
      responses.push((err) => (err ? reject(err) : resolve()));
      stream.write(message);
    });

  const ref = `berth-dockerd-${randomUUID()}`;
  const hash = createHash('sha256');
  let offset = 0;
  try {
    for await (const data of rechunk(chunks)) {
      hash.update(data);
      await send({ action: 'WRITE', ref, offset, data });
      offset += data.length;
    }
    const digest = `sha256:${hash.digest('hex')}`;
    try {
      await send({
        action: 'COMMIT',
        ref,
        offset,
        total: offset,
        expected: digest,
        labels: options.labels ?? {},
      });
    } catch (err) {
      if (grpcCode(err) !== GrpcCode.ALREADY_EXISTS) throw err;
    }
    return { digest, size: offset };
  } catch (err) {
    stream.cancel();
    await connection.call('content', 'Abort', { ref }).catch(() => undefined);
    throw err;
  } finally {
    stream.end();
  }
}

export async function* bufferChunks(data: Buffer): AsyncGenerator<Buffer> {
  yield data;
}

export async function readBlob(connection: ContainerdConnection, digest: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const res of connection.serverStream<{ data: Buffer }>('content', 'Read', {
    digest,
    offset: '0',
    size: '0',
  })) {
    parts.push(res.data);
  }
  return Buffer.concat(parts);
}

export async function readJsonBlob<T>(
  connection: ContainerdConnection,
  digest: string,
): Promise<T> {
  return JSON.parse((await readBlob(connection, digest)).toString('utf8')) as T;
}

/** Sets (or with an empty value, keeps) labels of an existing blob. */
export async function labelBlob(
  connection: ContainerdConnection,
  digest: string,
  labels: Record<string, string>,
): Promise<void> {
  await connection.call('content', 'Update', {
    info: { digest, labels },
    update_mask: { paths: Object.keys(labels).map((key) => `labels.${key}`) },
  });
}

/** Whether containerd's content store holds the blob. */
export async function hasBlob(connection: ContainerdConnection, digest: string): Promise<boolean> {
  try {
    await connection.call('content', 'Info', { digest });
    return true;
  } catch (err) {
    if (grpcCode(err) === GrpcCode.NOT_FOUND) return false;
    throw err;
  }
}
