// `containerd-shim-berth-v1 start`: find or start the group's server and print its address.
// This runs once per container on containerd's critical path, so it loads nothing heavy:
// no protobuf, no ttrpc, no telemetry. The server is this same file's `serve` action.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import type { ShimFlags } from './flags';
import { groupOf } from './group';
import { groupAddress, groupStateDir, type GroupKey } from './paths';

export async function start(flags: ShimFlags): Promise<void> {
  const bundle = flags.bundle || process.cwd();
  const key: GroupKey = {
    address: flags.address,
    namespace: flags.namespace,
    group: await groupOf(bundle, flags.namespace),
  };
  const address = groupAddress(key);
  if (!(await accepts(address))) await spawnServer(flags, key, address);
  // containerd reconnects through this file after it restarts (upstream's WriteAddress).
  await writeFile(join(bundle, 'address.tmp'), address);
  await rename(join(bundle, 'address.tmp'), join(bundle, 'address'));
  process.stdout.write(address);
}

export function accepts(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.createConnection(address.replace(/^unix:\/\//, ''));
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts the group's server detached (own session, stdio to its log) and resolves once it
 * says it listens: either its own socket or, if it lost a race, a sibling's.
 */
export function spawnServer(flags: ShimFlags, key: GroupKey, address: string): Promise<void> {
  const stateDir = groupStateDir(key);
  mkdirSync(stateDir, { recursive: true });
  const log = openSync(join(stateDir, 'shim.log'), 'a');
  const args = [
    ...process.execArgv,
    process.argv[1]!,
    '-namespace',
    key.namespace,
    '-address',
    key.address,
    '-publish-binary',
    flags.publishBinary,
    '-id',
    key.group,
    '-socket',
    address,
    ...(flags.debug ? ['-debug'] : []),
    'serve',
  ];
  const child = spawn(process.execPath, args, {
    detached: true,
    cwd: '/',
    stdio: ['ignore', log, log, 'pipe'],
  });
  closeSync(log);
  return new Promise((resolve, reject) => {
    const ready = child.stdio[3] as net.Socket;
    let said = '';
    ready.on('data', (chunk: Buffer) => (said += chunk.toString()));
    ready.once('close', () => {
      child.unref();
      if (said.startsWith('ready')) resolve();
      else reject(new Error(`shim server did not start; see ${join(stateDir, 'shim.log')}`));
    });
  });
}
