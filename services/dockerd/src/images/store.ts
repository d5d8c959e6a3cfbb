// Docker's image store kept in containerd: one containerd image record per name (and a
// "moby-dangling@<digest>" record for an image that lost its last name, as Docker does),
// the image ID being the config digest.
import type { Context } from '@opentelemetry/api';
import type { ContainerdConnection } from '../containerd/connection';
import { GrpcCode, grpcCode } from '../containerd/connection';
import { readJsonBlob } from '../containerd/content';
import { conflict, notFound } from '../api/errors';
import { chainIds } from './chain-id';
import {
  isIndex,
  type Descriptor,
  type ImageConfig,
  type Index,
  type Manifest,
} from './media-types';
import { familiarName, normalizedTagged } from './reference';
import { repoDigestOf } from './repo-digests';
import { SNAPSHOTTER } from './unpack';

const DANGLING_PREFIX = 'moby-dangling@';

interface ProtoDescriptor {
  media_type: string;
  digest: string;
  size: string;
}

interface ImageRecord {
  name: string;
  target: ProtoDescriptor;
  labels: Record<string, string>;
  created_at?: { seconds: string; nanos: number } | null;
}

export interface Image {
  /** sha256:<config digest> */
  id: string;
  target: Descriptor;
  manifest: Manifest;
  config: ImageConfig;
  /** Normalised names (docker.io/library/busybox:latest), empty when dangling. */
  names: string[];
  /** Familiar repo@digest names of the manifests it was pulled or pushed as. */
  repoDigests: string[];
  /** Chain ID of the top layer: the snapshot containers are prepared from. */
  chainId: string;
  /** When the newest of its records was created (Docker's LastTagTime). */
  tagged: Date;
}

/** What a container is created from: its image's content and the name it was found by. */
export type ContainerImage = Pick<Image, 'id' | 'config' | 'chainId'> & { name?: string };

const HOST_PLATFORM = { os: 'linux', architecture: 'amd64' };

export class ImageStore {
  /** Manifests and configs are immutable: cached by the digest that names them. */
  private readonly described = new Map<
    string,
    Promise<Omit<Image, 'names' | 'repoDigests' | 'tagged'>>
  >();
  private readonly usage = new Map<string, Promise<number>>();

  constructor(private readonly connection: ContainerdConnection) {}

  /** `trace`, here and in resolve: the trace the lookup belongs to (a container's create). */
  async list(trace?: Context): Promise<Image[]> {
    const connection = trace ? this.connection.tracing(trace) : this.connection;
    const { images } = await connection.call<{ images: ImageRecord[] }>('images', 'List', {});
    const byId = new Map<string, Image>();
    for (const record of images) {
      let described;
      try {
        described = await this.describe(record.target);
      } catch {
        continue; // a record whose content is gone or foreign is not a Docker image
      }
      const tagged = recordTime(record);
      const existing = byId.get(described.id);
      const image = existing ?? { ...described, names: [], repoDigests: [], tagged };
      if (!record.name.startsWith(DANGLING_PREFIX)) {
        image.names.push(record.name);
        const repoDigest = await repoDigestOf(connection, record.name, record.target.digest);
        if (repoDigest && !image.repoDigests.includes(repoDigest))
          image.repoDigests.push(repoDigest);
      }
      if (tagged > image.tagged) image.tagged = tagged;
      byId.set(described.id, image);
    }
    return [...byId.values()];
  }

  /** Finds an image by name, full ID or unique ID prefix, as `docker image inspect` does. */
  async resolve(nameOrId: string, trace?: Context): Promise<Image> {
    const idHex = /^(?:sha256:)?([0-9a-f]{1,64})$/.exec(nameOrId)?.[1];
    const name = nameOf(nameOrId);
    if (!name && !idHex) throw notFound(`No such image: ${nameOrId}`);
    const images = await this.list(trace);
    if (name) {
      const byName = images.find((image) => image.names.includes(name));
      if (byName) return byName;
    }
    if (idHex) {
      const matches = images.filter((image) => image.id.slice('sha256:'.length).startsWith(idHex));
      if (matches.length === 1) return matches[0]!;
    }
    // As Docker: a name is reported with its default tag (`No such image: busybox:latest`).
    throw notFound(`No such image: ${name ? familiarName(name) : nameOrId}`);
  }

  /**
   * The image a container is created from. A name costs one Images.Get, where resolve lists
   * every image and asks for each one's repo digests; an ID (or a name not found) goes through
   * resolve.
   */
  async forContainer(nameOrId: string, trace?: Context): Promise<ContainerImage> {
    const name = nameOf(nameOrId);
    const record = name === undefined ? undefined : await this.record(name, trace);
    const described = record && (await this.describe(record.target).catch(() => undefined));
    if (described) return { ...described, name };
    const image = await this.resolve(nameOrId, trace);
    return { ...image, name: image.names[0] };
  }

  /** Points `name` at the image (moving it from any other image, which may become dangling). */
  async setName(name: string, target: Descriptor): Promise<void> {
    const image = {
      name,
      labels: {},
      target: { media_type: target.mediaType, digest: target.digest, size: String(target.size) },
    };
    const previous = await this.record(name);
    if (previous && previous.target.digest === target.digest) return;
    if (previous) {
      await this.connection.call('images', 'Update', { image, update_mask: { paths: ['target'] } });
      await this.keepIfUnnamed(previous.target);
    } else {
      await this.connection.call('images', 'Create', { image });
    }
    await this.dropDangling(target.digest);
  }

  /** Records an image that has no name, so that it stays listed (by ID) and is not collected. */
  async keepUnnamed(target: Descriptor): Promise<void> {
    await this.keepIfUnnamed({
      media_type: target.mediaType,
      digest: target.digest,
      size: String(target.size),
    });
  }

  /** Removes one name of an image; `sync` waits for containerd's collector to run. */
  async removeName(name: string, sync = false): Promise<void> {
    await this.connection.call('images', 'Delete', { name, sync });
  }

  /**
   * Removes every record of the image; the last removal waits for containerd's collector,
   * so that what only the image referenced (blobs, snapshots) is gone when this returns.
   */
  async removeImage(image: Image): Promise<void> {
    const dangling = DANGLING_PREFIX + image.target.digest;
    const names = [...image.names, ...((await this.record(dangling)) ? [dangling] : [])];
    for (const [i, name] of names.entries()) await this.removeName(name, i === names.length - 1);
  }

  /** Keeps the image under its dangling record, whatever names it still has. */
  async keepDangling(target: Descriptor): Promise<void> {
    await this.createDangling({
      media_type: target.mediaType,
      digest: target.digest,
      size: String(target.size),
    });
  }

  /** Unpacked size of the image (every layer's snapshot), as Docker reports Size. */
  async size(image: Image): Promise<number> {
    const sizes = await Promise.all(
      chainIds(image.config.rootfs?.diff_ids ?? []).map((c) => this.snapshotSize(c)),
    );
    return sizes.reduce((a, b) => a + b, 0);
  }

  async layerSizes(image: Image): Promise<number[]> {
    return Promise.all(
      chainIds(image.config.rootfs?.diff_ids ?? []).map((c) => this.snapshotSize(c)),
    );
  }

  private snapshotSize(key: string): Promise<number> {
    let size = this.usage.get(key);
    if (!size) {
      size = this.connection
        .call<{ size: string }>('snapshots', 'Usage', { snapshotter: SNAPSHOTTER, key })
        .then((u) => Number(u.size))
        .catch(() => 0);
      this.usage.set(key, size);
    }
    return size;
  }

  /** What the record `name` points at (an image's names may point at different manifests). */
  async targetOf(name: string): Promise<Descriptor | undefined> {
    const target = (await this.record(name))?.target;
    return (
      target && { mediaType: target.media_type, digest: target.digest, size: Number(target.size) }
    );
  }

  private async record(name: string, trace?: Context): Promise<ImageRecord | undefined> {
    const connection = trace ? this.connection.tracing(trace) : this.connection;
    try {
      return (await connection.call<{ image: ImageRecord }>('images', 'Get', { name })).image;
    } catch (err) {
      if (grpcCode(err) === GrpcCode.NOT_FOUND) return undefined;
      throw err;
    }
  }

  private async keepIfUnnamed(target: ProtoDescriptor): Promise<void> {
    const { images } = await this.connection.call<{ images: ImageRecord[] }>('images', 'List', {
      filters: [`target.digest==${target.digest}`],
    });
    if (images.length > 0) return;
    await this.createDangling(target);
  }

  private async createDangling(target: ProtoDescriptor): Promise<void> {
    await this.connection
      .call('images', 'Create', {
        image: { name: DANGLING_PREFIX + target.digest, labels: {}, target },
      })
      .catch((err: unknown) => {
        if (grpcCode(err) !== GrpcCode.ALREADY_EXISTS) throw err;
      });
  }

  private async dropDangling(digest: string): Promise<void> {
    await this.connection
      .call('images', 'Delete', { name: DANGLING_PREFIX + digest, sync: false })
      .catch((err: unknown) => {
        if (grpcCode(err) !== GrpcCode.NOT_FOUND) throw err;
      });
  }

  private describe(
    target: ProtoDescriptor,
  ): Promise<Omit<Image, 'names' | 'repoDigests' | 'tagged'>> {
    let described = this.described.get(target.digest);
    if (!described) {
      described = this.readImage(target);
      described.catch(() => this.described.delete(target.digest));
      this.described.set(target.digest, described);
    }
    return described;
  }

  private async readImage(
    target: ProtoDescriptor,
  ): Promise<Omit<Image, 'names' | 'repoDigests' | 'tagged'>> {
    let manifestDesc: Descriptor = {
      mediaType: target.media_type,
      digest: target.digest,
      size: Number(target.size),
    };
    if (isIndex(target.media_type)) {
      const index = await readJsonBlob<Index>(this.connection, target.digest);
      const match = index.manifests.find(
        (m) =>
          !m.platform ||
          (m.platform.os === HOST_PLATFORM.os &&
            m.platform.architecture === HOST_PLATFORM.architecture),
      );
      if (!match) throw conflict(`image ${target.digest} has no manifest for linux/amd64`);
      manifestDesc = match;
    }
    const manifest = await readJsonBlob<Manifest>(this.connection, manifestDesc.digest);
    const config = await readJsonBlob<ImageConfig>(this.connection, manifest.config.digest);
    return {
      id: manifest.config.digest,
      target: { mediaType: target.media_type, digest: target.digest, size: Number(target.size) },
      manifest,
      config,
      chainId: chainIds(config.rootfs?.diff_ids ?? []).at(-1) ?? '',
    };
  }
}

/** The normalised name:tag `ref` stands for; undefined when it is no reference (an ID). */
function nameOf(ref: string): string | undefined {
  try {
    return normalizedTagged(ref);
  } catch {
    return undefined;
  }
}

function recordTime(record: ImageRecord): Date {
  const seconds = Number(record.created_at?.seconds ?? 0);
  return new Date(seconds * 1000 + Math.floor((record.created_at?.nanos ?? 0) / 1e6));
}
