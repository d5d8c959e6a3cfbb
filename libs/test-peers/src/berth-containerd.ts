// berth's own containerd as a test peer: the bundled service (built under a lock when stale; a
// lib may not import a service, so it is spawned), in private directories under a temp dir.
// Each peer runs a private copy of the bundle: a rebuild (its sources change while others
// work in the checkout) rewrites dist/ and would pull chunks from under a starting daemon.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startUpstreamContainerd, type UpstreamContainerd } from './containerd';
import { startPeer, waitForUnixSocket } from './process';

const containerdPkg = resolve(import.meta.dirname, '../../../services/containerd');
const BIN = join(containerdPkg, 'dist/berth-containerd.mjs');
/** Where the bundle's external packages (native addons) resolve from. */
const NODE_MODULES = resolve(import.meta.dirname, '../../../node_modules');

/** Rebuilds dist/ if any source is newer; with `copyTo`, copies it there under the same lock. */
export function buildBerthContainerd(copyTo?: string): void {
  const stale = `[ ! -e ${BIN} ] || [ -n "$(find src ../../libs/*/src -newer ${BIN} | head -1)" ]`;
  const copy = copyTo ? ` && cp -r dist ${JSON.stringify(copyTo)}` : '';
  execFileSync(
    'flock',
    [
      join(tmpdir(), 'berth-containerd-build.lock'),
      'sh',
      '-c',
      `if ${stale}; then node ../../scripts/bundle.mjs .; fi${copy}`,
    ],
    { cwd: containerdPkg },
  );
}

export async function startBerthContainerd(dir: string): Promise<UpstreamContainerd> {
  mkdirSync(dir, { recursive: true });
  buildBerthContainerd(join(dir, 'dist'));
  symlinkSync(NODE_MODULES, join(dir, 'node_modules'));
  const root = join(dir, 'root');
  const state = join(dir, 'state');
  const traces = join(dir, 'traces');
  const address = join(dir, 'containerd.sock');
  for (const d of [root, state, traces]) mkdirSync(d, { recursive: true });
  const peer = startPeer(
    process.execPath,
    [
      join(dir, 'dist/berth-containerd.mjs'),
      '--root',
      root,
      '--state',
      state,
      '--address',
      address,
      '--log-level',
      'warn',
    ],
    { ...process.env, BERTH_TRACE_DIR: traces },
  );
  try {
    await waitForUnixSocket(address, peer);
  } catch (err) {
    await peer.stop();
    throw err;
  }
  return { address, root, state, process: peer, stop: () => peer.stop() };
}

/**
 * The containerd a dockerd suite runs on: berth's own by default, Debian's upstream one with
 * BERTH_TEST_CONTAINERD=upstream (the same suite then checks dockerd against the reference).
 */
export function startContainerdPeer(dir: string): Promise<UpstreamContainerd> {
  const choice = process.env.BERTH_TEST_CONTAINERD ?? 'berth';
  if (choice === 'upstream') return startUpstreamContainerd(dir);
  if (choice === 'berth') return startBerthContainerd(dir);
  throw new Error(`BERTH_TEST_CONTAINERD must be "berth" or "upstream", not "${choice}"`);
}
