// Bridge devices. The bridge plugin creates a network's bridge on first use but never
// deletes it; removing a network does. Off the container hot path, so ip(8) is used.
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export async function linkExists(name: string): Promise<boolean> {
  return access(`/sys/class/net/${name}`).then(
    () => true,
    () => false,
  );
}

export async function deleteLink(name: string): Promise<void> {
  if (!(await linkExists(name))) return;
  await execFileP('ip', ['link', 'delete', 'dev', name]);
}
