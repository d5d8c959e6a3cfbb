// The parts of the machine that install and uninstall change, behind one interface: files
// (optionally below a root directory, for tests and staging), systemctl and groups.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface InstallHost {
  /** Where the absolute path `p` of the target system lives on this filesystem. */
  path(p: string): string;
  systemctl(args: string[]): Promise<void>;
  groupExists(name: string): Promise<boolean>;
  addSystemGroup(name: string): Promise<void>;
  removeGroup(name: string): Promise<void>;
  /** Why this host cannot take units (systemd not running), if it cannot. */
  unusableReason(): string | undefined;
}

async function command(file: string, args: string[]): Promise<void> {
  try {
    await run(file, args);
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new Error(`${file} ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`);
  }
}

/** The running system, as root. */
export const systemHost: InstallHost = {
  path: (p) => p,
  systemctl: (args) => command('systemctl', args),
  async groupExists(name) {
    try {
      await run('getent', ['group', name]);
      return true;
    } catch {
      return false;
    }
  },
  addSystemGroup: (name) => command('groupadd', ['--system', name]),
  removeGroup: (name) => command('groupdel', [name]),
  // sd_booted(3): systemd creates this directory when it is PID 1.
  unusableReason: () =>
    existsSync('/run/systemd/system')
      ? undefined
      : 'systemd is not running on this machine (no /run/systemd/system); use `berth up`',
};
