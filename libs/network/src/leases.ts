// host-local's lease files: <dataDir>/<network>/<ip>, holding "<containerId>\r\n<ifname>".
import { readdir, readFile } from 'node:fs/promises';
import { isIPv4 } from 'node:net';
import { join } from 'node:path';

export interface Lease {
  network: string;
  ip: string;
  containerId: string;
  ifName: string;
}

export async function readLeases(dataDir: string): Promise<Lease[]> {
  const out: Lease[] = [];
  for (const network of await listDir(dataDir)) {
    for (const ip of await listDir(join(dataDir, network))) {
      if (!isIPv4(ip)) continue; // lock, last_reserved_ip.0
      const text = await readFile(join(dataDir, network, ip), 'utf8').catch(() => '');
      const [containerId = '', ifName = 'eth0'] = text.split(/\r?\n/).map((s) => s.trim());
      if (containerId) out.push({ network, ip, containerId, ifName: ifName || 'eth0' });
    }
  }
  return out;
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
