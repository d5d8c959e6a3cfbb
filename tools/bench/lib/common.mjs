// Small pieces every bench shares: the median of samples, the small test image, and the config
// of an upstream containerd 1.6 in private directories (CRI off: benches use neither CNI nor a
// pause image).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../../..');

/** The upper median of the samples. */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The small test image's docker-archive, built by @berth/test-images when its cache lacks it
 * (through tsx: the lib is TypeScript, the benches plain Node).
 */
export function smallImageArchive() {
  const script =
    "import('@berth/test-images').then(async (m) => console.log((await m.ensureTestImages(['small'])).small.dockerArchive))";
  return execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: REPO })
    .toString()
    .trim();
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
