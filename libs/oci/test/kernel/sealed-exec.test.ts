// CVE-2019-5736: the launcher runs from a sealed anonymous copy, so a container process
// that opens /proc/<launcher>/exe can never reach (or overwrite) the binary on the host.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readlinkSync, statSync, writeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sealedLauncher } from '../../src/launch/sealed';
import { nativeBinary } from '../../src/native/locate';

describe('launcher binary', { tags: ['kernel'] }, () => {
  it('re-executes itself from a sealed memfd before reading the plan', async () => {
    const child = spawn(nativeBinary('berth-launch'), [], {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    });
    try {
      let exe = '';
      for (let i = 0; i < 200 && !exe.startsWith('/memfd:'); i++) {
        await new Promise((r) => setTimeout(r, 5));
        exe = readlinkSync(`/proc/${child.pid}/exe`);
      }
      expect(exe).toBe('/memfd:berth-launch (deleted)');
      // Sealed: even root cannot open it for writing.
      expect(() => openSync(`/proc/${child.pid}/exe`, 'r+')).toThrow(/EPERM|ETXTBSY|EACCES/);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it("runs from the caller's sealed copy as is, making none of its own", async () => {
    const sealed = await sealedLauncher();
    expect(sealed).toMatch(new RegExp(`^/proc/${process.pid}/fd/\\d+$`));
    expect(readlinkSync(sealed)).toBe('/memfd:berth-launch (deleted)');
    const writable = openSync(sealed, 'r+');
    expect(() => writeSync(writable, 'x')).toThrow(/EPERM/); // sealed against writes
    closeSync(writable);
    const child = spawn(sealed, [], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
    try {
      // It waits for its plan on fd 3, still the very same memfd (no copy: same inode).
      await new Promise((r) => setTimeout(r, 100));
      const inode = (path: string) => statSync(path).ino;
      expect(inode(`/proc/${child.pid}/exe`)).toBe(inode(sealed));
    } finally {
      child.kill('SIGKILL');
    }
  });
});
