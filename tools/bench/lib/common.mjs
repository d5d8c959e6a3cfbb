// Small pieces every bench shares: the median of samples, the small test image, and the config
// of an upstream containerd 1.6 in private directories (CRI off: benches use neither CNI nor a
// pause image).
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The upper median of the samples. */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The small test image's docker-archive, from berth-test-images' cache. */
export function findTestImage() {
  const cache = process.env.BERTH_TEST_IMAGES ?? '/var/lib/berth-test-images';
  for (const key of existsSync(cache) ? readdirSync(cache) : []) {
    const archive = join(cache, key, 'small', 'docker-archive.tar');
    if (existsSync(archive)) return archive;
  }
  throw new Error(`no small test image under ${cache}: run berth-test-images once`);
}

/** Writes `<dir>/config.toml` for containerd with root, state and sockets under `dir`. */
export function writeContainerdConfig(dir) {
  const address = join(dir, 'containerd.sock');
  const config = join(dir, 'config.toml');
  writeFileSync(
    config,
    [
      'version = 2',
      `root = ${JSON.stringify(join(dir, 'root'))}`,
      `state = ${JSON.stringify(join(dir, 'state'))}`,
      'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
      '[grpc]',
      `  address = ${JSON.stringify(address)}`,
      '[ttrpc]',
      `  address = ${JSON.stringify(`${address}.ttrpc`)}`,
      '',
    ].join('\n'),
  );
  return { address, config };
}
