import { dir, file, hardlink, opaque, symlink, whiteout, type LayerEntry } from './layer/entries';
import { packEntries } from './layer/tar-writer';

/**
 * What a vulnerable unpacker would do to `victim`, a path on the host outside the root:
 * - created:  victim appears (make sure it is absent before unpacking);
 * - modified: victim's content changes (create it with known content before unpacking);
 * - removed:  victim disappears (create it before unpacking);
 * - linked:   a file inside the root becomes a hardlink to victim (compare inode numbers).
 */
export type EscapeViolation = 'created' | 'modified' | 'removed' | 'linked';

export interface EscapingLayer {
  name: string;
  /** The attack in one sentence. */
  description: string;
  /** Uncompressed layer tar. */
  tar: Buffer;
  /** Absolute: a host path. Relative: resolved against the unpack root ("../x" is beside it). */
  victim: string;
  violation: EscapeViolation;
}

/** Every attack aims here (or at a path below it), never at anything that matters. */
export const ESCAPE_VICTIM = '/tmp/berth-escape';
const OPAQUE_VICTIM_DIR = `${ESCAPE_VICTIM}.d`;
/** Enough parent references to reach the host root from any realistic unpack depth. */
const UP = '../'.repeat(32);
const HOST_PASSWD = '/etc/passwd';
const PAYLOAD = 'written by an escaping layer\n';

interface Attack extends Omit<EscapingLayer, 'tar'> {
  entries: LayerEntry[];
}

const ATTACKS: Attack[] = [
  {
    name: 'dotdot-path',
    description: 'a member named ../../…/tmp/berth-escape climbs out of the root',
    victim: ESCAPE_VICTIM,
    violation: 'created',
    entries: [file(`${UP}${ESCAPE_VICTIM.slice(1)}`, PAYLOAD)],
  },
  {
    name: 'dotdot-inside-path',
    description: 'the parent references start after a real directory: a/../../…/tmp/berth-escape',
    victim: ESCAPE_VICTIM,
    violation: 'created',
    entries: [dir('a'), file(`a/${UP}${ESCAPE_VICTIM.slice(1)}`, PAYLOAD)],
  },
  {
    name: 'absolute-path',
    description: 'a member named /tmp/berth-escape must land inside the root, not in host /tmp',
    victim: ESCAPE_VICTIM,
    violation: 'created',
    entries: [file(ESCAPE_VICTIM, PAYLOAD)],
  },
  {
    name: 'pax-dotdot-path',
    description: 'the ../ path is only in the PAX path record; the ustar name field looks harmless',
    victim: ESCAPE_VICTIM,
    violation: 'created',
    entries: [
      file(`${UP}${ESCAPE_VICTIM.slice(1)}`, PAYLOAD, 0o644, {
        xattrs: { 'user.berth.pax': Buffer.from('forces a PAX header') },
      }),
    ],
  },
  {
    name: 'relative-symlink-then-write',
    description:
      'symlink escape -> ../../…/tmp, then a file written through it as escape/berth-escape',
    victim: ESCAPE_VICTIM,
    violation: 'created',
    entries: [symlink('escape', `${UP}tmp`), file('escape/berth-escape', PAYLOAD)],
  },
  {
    name: 'absolute-symlink-then-write',
    description:
      'symlink escape -> /tmp must resolve inside the root when escape/berth-escape is written',
    victim: ESCAPE_VICTIM,
    violation: 'created',
    entries: [symlink('escape', '/tmp'), file('escape/berth-escape', PAYLOAD)],
  },
  {
    name: 'symlink-chain',
    description: 'a -> b and b -> ../../…/tmp: the escape only shows after following two links',
    victim: ESCAPE_VICTIM,
    violation: 'created',
    entries: [symlink('a', 'b'), symlink('b', `${UP}tmp`), file('a/berth-escape', PAYLOAD)],
  },
  {
    name: 'directory-replaced-by-symlink',
    description: 'directory d, then symlink d -> /tmp replacing it, then a file d/berth-escape',
    victim: ESCAPE_VICTIM,
    violation: 'created',
    entries: [dir('d'), symlink('d', '/tmp'), file('d/berth-escape', PAYLOAD)],
  },
  {
    name: 'file-over-symlink',
    description:
      'symlink victim -> /tmp/berth-escape, then a regular file victim: opening it without O_NOFOLLOW truncates the host file',
    victim: ESCAPE_VICTIM,
    violation: 'modified',
    entries: [symlink('victim', ESCAPE_VICTIM), file('victim', PAYLOAD)],
  },
  {
    name: 'hardlink-absolute',
    description: 'hardlink passwd -> /etc/passwd must link inside the root, not to the host file',
    victim: HOST_PASSWD,
    violation: 'linked',
    entries: [hardlink('passwd', HOST_PASSWD)],
  },
  {
    name: 'hardlink-dotdot',
    description: 'hardlink passwd -> ../../…/etc/passwd reaches the host file by parent references',
    victim: HOST_PASSWD,
    violation: 'linked',
    entries: [hardlink('passwd', `${UP}${HOST_PASSWD.slice(1)}`)],
  },
  {
    name: 'hardlink-through-symlink',
    description: 'symlink etc-link -> /etc, then hardlink passwd -> etc-link/passwd',
    victim: HOST_PASSWD,
    violation: 'linked',
    entries: [symlink('etc-link', '/etc'), hardlink('passwd', 'etc-link/passwd')],
  },
  {
    name: 'whiteout-dotdot',
    description: 'a whiteout named .wh... asks to delete "..", the directory holding the root',
    victim: '../berth-escape',
    violation: 'removed',
    entries: [whiteout('..')],
  },
  {
    name: 'whiteout-through-symlink',
    description:
      'symlink escape -> /tmp, then whiteout escape/.wh.berth-escape deletes a host file',
    victim: ESCAPE_VICTIM,
    violation: 'removed',
    entries: [symlink('escape', '/tmp'), whiteout('escape/berth-escape')],
  },
  {
    name: 'opaque-through-symlink',
    description:
      'symlink escape -> /tmp/berth-escape.d, then escape/.wh..wh..opq empties a host directory',
    victim: `${OPAQUE_VICTIM_DIR}/sentinel`,
    violation: 'removed',
    entries: [symlink('escape', OPAQUE_VICTIM_DIR), opaque('escape')],
  },
];

/** Layer tars that a safe unpacker must neutralise or refuse; see {@link EscapeViolation}. */
export async function escapingLayers(): Promise<EscapingLayer[]> {
  return Promise.all(
    ATTACKS.map(async ({ entries, ...attack }) => ({ ...attack, tar: await tarBuffer(entries) })),
  );
}

async function tarBuffer(entries: LayerEntry[]): Promise<Buffer> {
  const { tar, written } = packEntries(entries);
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  await written;
  return Buffer.concat(chunks);
}
