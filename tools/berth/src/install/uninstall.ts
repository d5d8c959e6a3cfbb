// `berth uninstall`: stops and disables the units, removes every file the install manifest
// lists (unless an operator changed it since), the group berth created, and the manifest.
// Data under /var/lib/berth stays, as `apt remove` keeps it.
import { readFileSync, rmSync } from 'node:fs';
import { removeEmptyDirs } from './files';
import type { InstallHost } from './host';
import { isUnchanged, readManifest } from './install';
import { MANIFEST_PATH } from './manifest';

type Log = (line: string) => void;

/** Runs systemctl, turning a failure into a warning: uninstall removes what it can. */
async function tolerant(host: InstallHost, args: string[], log: Log): Promise<void> {
  try {
    await host.systemctl(args);
  } catch (err) {
    log(`warning: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export async function uninstall(host: InstallHost, log: Log): Promise<boolean> {
  const manifest = readManifest(host);
  if (!manifest) {
    log(`berth is not installed (no ${MANIFEST_PATH})`);
    return false;
  }
  const units = manifest.units;
  // Units with KillMode=process leave shims and containers behind when stopped; uninstall
  // ends them too, or they would keep running from binaries that are about to disappear.
  const leaveProcesses = manifest.entries.filter(
    (e) =>
      e.kind === 'file' &&
      units.some((u) => e.path.endsWith(`/${u}`)) &&
      /^KillMode=process$/m.test(safeRead(host.path(e.path))),
  );
  await tolerant(host, ['stop', ...units], log);
  for (const entry of leaveProcesses) {
    const unit = entry.path.slice(entry.path.lastIndexOf('/') + 1);
    await tolerant(host, ['kill', '--kill-whom=all', '--signal=SIGKILL', unit], log);
  }
  await tolerant(host, ['disable', ...units], log);

  for (const entry of manifest.entries) {
    if (isUnchanged(host, entry)) {
      rmSync(host.path(entry.path), { force: true });
      log(`removed ${entry.path}`);
    } else {
      log(`kept ${entry.path}: changed since berth installed it`);
    }
  }
  await tolerant(host, ['daemon-reload'], log);
  await tolerant(host, ['reset-failed', ...units], log);
  if (manifest.createdGroup) {
    try {
      await host.removeGroup(manifest.createdGroup);
      log(`removed group ${manifest.createdGroup}`);
    } catch (err) {
      log(`warning: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  rmSync(host.path(MANIFEST_PATH), { force: true });
  removeEmptyDirs(manifest.createdDirs.map((d) => host.path(d)));
  return true;
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
