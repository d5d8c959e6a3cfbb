import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { sha256Digest } from './digest';

export const DEFAULT_BUSYBOX = '/bin/busybox';

/** The one input every image is built from; its digest keys the shared cache. */
export interface Busybox {
  path: string;
  bytes: Buffer;
  digest: string;
  /** Applet names from `busybox --list`, sorted; each becomes /bin/<name> -> busybox. */
  applets: string[];
  /** OCI architecture of the binary (from its ELF header), which is the image's platform. */
  architecture: string;
}

export async function loadBusybox(path = DEFAULT_BUSYBOX): Promise<Busybox> {
  const bytes = await readFile(path);
  const architecture = elfArchitecture(bytes, path);
  const { stdout } = await promisify(execFile)(path, ['--list']);
  const applets = stdout
    .split('\n')
    .filter((name) => name !== '' && name !== 'busybox' && !name.includes('/'))
    .sort();
  if (!applets.includes('sh')) throw new Error(`${path}: no sh applet; not a usable busybox`);
  return { path, bytes, digest: sha256Digest(bytes), applets, architecture };
}

/** ELF e_machine values of the architectures Go (and so OCI) names. */
const ELF_MACHINE_TO_OCI: Record<number, string> = {
  0x03: '386',
  0x28: 'arm',
  0x3e: 'amd64',
  0xb7: 'arm64',
  0x16: 's390x',
  0xf3: 'riscv64',
};

function elfArchitecture(bytes: Buffer, path: string): string {
  if (bytes.length < 20 || bytes.toString('latin1', 0, 4) !== '\x7fELF') {
    throw new Error(`${path}: not an ELF binary`);
  }
  const littleEndian = bytes[5] === 1;
  const machine = littleEndian ? bytes.readUInt16LE(18) : bytes.readUInt16BE(18);
  const architecture = ELF_MACHINE_TO_OCI[machine];
  if (!architecture) throw new Error(`${path}: unknown ELF machine 0x${machine.toString(16)}`);
  return architecture;
}
