// htpasswd files with bcrypt entries (`htpasswd -B`), the format upstream's registry reads.
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';

/** bcrypt is slow by design; a verified credential is remembered for a while. */
const CACHE_MS = 5 * 60_000;

export class Htpasswd {
  private readonly verified = new Map<string, number>();

  constructor(private readonly entries: Map<string, string>) {}

  static parse(text: string): Htpasswd {
    const entries = new Map<string, string>();
    for (const line of text.split('\n')) {
      const trimmed = line.trim();
      const colon = trimmed.indexOf(':');
      if (!trimmed || trimmed.startsWith('#') || colon <= 0) continue;
      const hash = trimmed.slice(colon + 1);
      if (/^\$2[abxy]\$/.test(hash)) entries.set(trimmed.slice(0, colon), hash);
    }
    return new Htpasswd(entries);
  }

  static async load(path: string): Promise<Htpasswd> {
    return Htpasswd.parse(await readFile(path, 'utf8'));
  }

  async verify(user: string, password: string): Promise<boolean> {
    const hash = this.entries.get(user);
    if (hash === undefined) return false;
    const key = createHash('sha256').update(`${user}\0${password}\0${hash}`).digest('hex');
    const until = this.verified.get(key);
    if (until !== undefined && until > Date.now()) return true;
    const ok = await bcrypt.compare(password, hash.replace(/^\$2y\$/, '$2b$'));
    if (ok) this.verified.set(key, Date.now() + CACHE_MS);
    return ok;
  }
}

/** The user and password of an `Authorization: Basic …` header, if it is one. */
export function basicCredentials(
  header: string | undefined,
): { user: string; password: string } | null {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m?.[1]) return null;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}
