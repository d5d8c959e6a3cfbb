// linux.seccomp to a BPF program: the profile becomes berth-seccomp's line format, which
// libseccomp compiles; programs are cached on disk by the digest of those lines.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nativeBinary } from '../native/locate';
import type { Seccomp } from '../spec/types';
import { SpecError } from '../spec/validate';

const EPERM = 1;

const FILTER_FLAGS: Record<string, number> = {
  SECCOMP_FILTER_FLAG_TSYNC: 1,
  SECCOMP_FILTER_FLAG_LOG: 2,
  SECCOMP_FILTER_FLAG_SPEC_ALLOW: 4,
};

function action(name: string, errnoRet: number | undefined): string {
  const short = name.replace(/^SCMP_ACT_/, '').toLowerCase();
  if (short === 'notify') throw new SpecError('seccomp SCMP_ACT_NOTIFY is not supported');
  return `${short} ${errnoRet ?? EPERM}`;
}

/** The profile in berth-seccomp's input format (see native/seccomp.c). */
export function seccompSource(profile: Seccomp): string {
  const defaultAction = action(profile.defaultAction, profile.defaultErrnoRet);
  const lines = [`default ${defaultAction}`];
  for (const arch of profile.architectures ?? [])
    lines.push(`arch ${arch.replace(/^SCMP_ARCH_/, '').toLowerCase()}`);
  for (const rule of profile.syscalls ?? []) {
    const act = action(rule.action, rule.errnoRet);
    // libseccomp refuses a rule that repeats the default action; it would be a no-op anyway.
    if (act === defaultAction) continue;
    const args = (rule.args ?? [])
      .map(
        (a) =>
          ` ${a.index} ${a.op.replace(/^SCMP_CMP_/, '').toLowerCase()} ${a.value} ${a.valueTwo ?? 0}`,
      )
      .join('');
    for (const name of rule.names) lines.push(`rule ${act} ${name}${args}`);
  }
  return `${lines.join('\n')}\n`;
}

export function seccompFlags(profile: Seccomp): number {
  let flags = 0;
  for (const f of profile.flags ?? []) {
    const bit = FILTER_FLAGS[f];
    if (bit === undefined) throw new SpecError(`seccomp flag ${f} is not supported`);
    flags |= bit;
  }
  return flags;
}

// child_process and crypto load lazily: only a spec with a seccomp profile needs them.
async function compile(source: string): Promise<Buffer> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = execFile(
      nativeBinary('berth-seccomp'),
      { encoding: 'buffer', maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        if (err) reject(new SpecError(`seccomp: ${stderr.toString().trim() || err.message}`));
        else resolve(stdout);
      },
    );
    child.stdin?.end(source);
  });
}

/** BPF for the profile, from `cacheDir` when compiled before. */
export async function compileSeccomp(profile: Seccomp, cacheDir: string): Promise<Buffer> {
  const source = seccompSource(profile);
  const { createHash } = await import('node:crypto');
  const file = join(cacheDir, `${createHash('sha256').update(source).digest('hex')}.bpf`);
  try {
    return await readFile(file);
  } catch {
    const bpf = await compile(source);
    await mkdir(cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, bpf);
    await rename(tmp, file);
    return bpf;
  }
}
