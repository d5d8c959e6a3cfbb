import { readFile, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  buildImages,
  IMAGE_FILES,
  withAbsolutePaths,
  type BuildOptions,
  type TestImage,
  type TestImages,
} from './build';
import { loadBusybox } from './busybox';
import { digestHex } from './digest';
import { DEFAULT_IMAGE_NAMES, imageSpec, type TestImageName } from './images/catalog';
import { GENERATOR_VERSION } from './reproducible';

export const DEFAULT_CACHE_DIR = '/var/lib/berth-test-images';

export interface EnsureOptions extends BuildOptions {
  /** Default: $BERTH_TEST_IMAGES, else /var/lib/berth-test-images. */
  cacheDir?: string;
}

/**
 * Returns the named images from the shared cache, building the missing ones first. The cache
 * is keyed by everything the bytes depend on (busybox, generator version, zlib), and each
 * image directory appears by one rename once complete, so concurrent callers (parallel test
 * workers) never see a partial image: a loser of the rename race drops its copy.
 */
export async function ensureTestImages(
  names: readonly string[] = DEFAULT_IMAGE_NAMES,
  options: EnsureOptions = {},
): Promise<TestImages> {
  names.forEach(imageSpec);
  const busybox = await loadBusybox(options.busybox);
  const cacheRoot = options.cacheDir ?? process.env.BERTH_TEST_IMAGES ?? DEFAULT_CACHE_DIR;
  const key = `${digestHex(busybox.digest).slice(0, 16)}-v${GENERATOR_VERSION}-zlib${process.versions.zlib}`;
  const dir = join(cacheRoot, key);

  const images: TestImages = {};
  const missing: string[] = [];
  for (const name of names) {
    const image = await readRecord(join(dir, name));
    if (image) images[image.name] = image;
    else missing.push(name);
  }
  if (missing.length === 0) return images;

  await mkdir(dir, { recursive: true });
  const staging = await mkdtemp(join(dir, '.build-'));
  try {
    await buildImages(staging, missing, busybox);
    for (const name of missing) {
      await publish(join(staging, name), join(dir, name));
      images[name as TestImageName] = (await readRecord(join(dir, name)))!;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return images;
}

async function publish(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    // Another caller published the same image first; its copy is byte-identical.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
  }
}

async function readRecord(imageDir: string): Promise<TestImage | undefined> {
  try {
    const record = JSON.parse(
      await readFile(join(imageDir, IMAGE_FILES.record), 'utf8'),
    ) as TestImage;
    return withAbsolutePaths(record, imageDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
