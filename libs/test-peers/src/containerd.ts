// Debian's containerd (1.6) as a test peer, in private directories under a temp dir.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPeer, waitForUnixSocket, type PeerProcess } from './process';

export interface UpstreamContainerd {
  /** The gRPC socket path. */
  address: string;
  root: string;
  state: string;
  process: PeerProcess;
  stop(): Promise<void>;
}

export async function startUpstreamContainerd(dir: string): Promise<UpstreamContainerd> {
  const root = join(dir, 'root');
  const state = join(dir, 'state');
  const address = join(dir, 'containerd.sock');
  mkdirSync(root, { recursive: true });
  mkdirSync(state, { recursive: true });
  const config = join(dir, 'config.toml');
  // CRI is off: it would want CNI config and a pause image, neither of which tests use.
  writeFileSync(
    config,
    [
      'version = 2',
      `root = ${JSON.stringify(root)}`,
      `state = ${JSON.stringify(state)}`,
      'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
      '[grpc]',
      `  address = ${JSON.stringify(address)}`,
      '[ttrpc]',
      `  address = ${JSON.stringify(`${address}.ttrpc`)}`,
      '[debug]',
      '  level = "warn"',
      '',
    ].join('\n'),
  );
  const process = startPeer('containerd', ['--config', config]);
  try {
    await waitForUnixSocket(address, process);
  } catch (err) {
    await process.stop();
    throw err;
  }
  return { address, root, state, process, stop: () => process.stop() };
}
