// Serializes a LaunchPlan into the record stream native/plan.c reads:
// [u32 LE payload length][u8 tag][payload]; text payloads are NUL-terminated fields.
import type { LaunchPlan } from './types';

type Field = string | number | bigint;

function record(tag: string, payload: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32LE(payload.length, 0);
  head.write(tag, 4, 'latin1');
  return Buffer.concat([head, payload]);
}

function fields(tag: string, ...values: Field[]): Buffer {
  return record(tag, Buffer.from(values.map((v) => `${v}\0`).join(''), 'utf8'));
}

const hex = (v: bigint) => `0x${v.toString(16)}`;

export function encodePlan(plan: LaunchPlan): Buffer {
  const out: Buffer[] = [fields('m', plan.mode, plan.foreground ? 1 : 0)];
  const add = (tag: string, ...values: Field[]) => out.push(fields(tag, ...values));
  for (const f of plan.cgroupJoin ?? []) add('P', f);
  add('C', plan.cloneFlags);
  for (const j of plan.join) add('N', j.flag, j.path);
  if (plan.timeOffsets) add('T', plan.timeOffsets);
  if (plan.uidMap) add('U', plan.uidMap);
  if (plan.gidMap) add('G', plan.gidMap);
  const r = plan.rootfs;
  if (r) add('R', r.path, r.readonly ? 1 : 0, r.noPivot ? 1 : 0, r.propagation);
  if (plan.chroot) add('X', plan.chroot);
  for (const m of plan.mounts)
    add('M', m.source, m.destination, m.type, m.flags, m.propagation, m.data);
  for (const d of plan.devices) add('D', d.path, d.type, d.major, d.minor, d.mode, d.uid, d.gid);
  for (const s of plan.symlinks) add('L', s.target, s.path);
  for (const p of plan.maskedPaths) add('K', p);
  for (const p of plan.readonlyPaths) add('O', p);
  if (plan.hostname !== undefined) add('H', plan.hostname);
  if (plan.domainname !== undefined) add('h', plan.domainname);
  for (const [k, v] of plan.sysctls) add('S', k, v);
  for (const l of plan.rlimits) add('r', l.resource, l.soft, l.hard);
  const c = plan.capabilities;
  if (c)
    add(
      'c',
      hex(c.bounding),
      hex(c.effective),
      hex(c.inheritable),
      hex(c.permitted),
      hex(c.ambient),
    );
  const u = plan.user;
  add('u', u.uid, u.gid, u.umask ?? 0o22);
  for (const g of u.additionalGids) add('a', g);
  if (plan.noNewPrivileges) add('n');
  if (plan.oomScoreAdj !== undefined) add('o', plan.oomScoreAdj);
  if (plan.seccomp) {
    out.push(record('B', plan.seccomp.bpf));
    add('b', plan.seccomp.flags);
  }
  for (const a of plan.args) add('A', a);
  for (const e of plan.env) add('E', e);
  add('W', plan.cwd);
  if (plan.execFifo) add('F', plan.execFifo.path, plan.execFifo.uid);
  if (plan.pidFile) add('I', plan.pidFile);
  if (plan.consoleSocket) add('Y', plan.consoleSocket);
  if (plan.consoleSize) add('w', plan.consoleSize.height, plan.consoleSize.width);
  for (const h of plan.hooks)
    add('k', h.phase, h.timeout, h.path, h.args.length, ...h.args, ...h.env);
  if (plan.hookState) add('s', ...plan.hookState);
  if (plan.runtimeHooks) add('z');
  out.push(record('Q', Buffer.alloc(0)));
  return Buffer.concat(out);
}
