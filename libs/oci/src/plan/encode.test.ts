import { describe, expect, it } from 'vitest';
import { defaultSpec } from '../spec/defaults';
import { buildInitPlan } from './build';
import { encodePlan } from './encode';

/** Reads the records back as native/plan.c does. */
function decode(buf: Buffer): { tag: string; fields: string[]; raw: Buffer }[] {
  const out = [];
  for (let off = 0; off < buf.length;) {
    const len = buf.readUInt32LE(off);
    const tag = String.fromCharCode(buf[off + 4]!);
    const raw = buf.subarray(off + 5, off + 5 + len);
    out.push({ tag, raw, fields: raw.length ? raw.toString().replace(/\0$/, '').split('\0') : [] });
    off += 5 + len;
  }
  return out;
}

describe('encodePlan', () => {
  it('writes length-prefixed records ending with Q, fields NUL-terminated', async () => {
    const spec = defaultSpec();
    spec.process!.args = ['echo', 'a b', ''];
    const plan = await buildInitPlan(spec, {
      bundle: '/b',
      host: { cgroups: { unified: true, v1: [] }, hasKcore: true },
      seccompCacheDir: '/x',
    });
    plan.seccomp = { bpf: Buffer.from([6, 0, 0, 0, 0, 0, 0xff, 0x7f]), flags: 2 };
    const recs = decode(encodePlan(plan));
    expect(recs[0]).toMatchObject({ tag: 'm', fields: ['init', '0'] });
    expect(recs.at(-1)!.tag).toBe('Q');
    expect(recs.filter((r) => r.tag === 'A').map((r) => r.fields[0])).toEqual(['echo', 'a b', '']);
    expect(recs.find((r) => r.tag === 'c')!.fields).toEqual([
      '0x20000420',
      '0x20000420',
      '0x0',
      '0x20000420',
      '0x20000420',
    ]);
    expect(recs.find((r) => r.tag === 'B')!.raw).toEqual(plan.seccomp.bpf);
    expect(recs.find((r) => r.tag === 'M' && r.fields[1] === '/sys/fs/cgroup')!.fields[2]).toBe(
      'cgroup2',
    );
    expect(recs.find((r) => r.tag === 'L' && r.fields[1] === '/dev/core')).toBeDefined();
    expect(recs.find((r) => r.tag === 'n')!.fields).toEqual([]);
  });
});
