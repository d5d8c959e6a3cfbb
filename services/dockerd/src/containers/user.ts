// Resolves Docker's --user ("name", "uid", "name:group", "uid:gid") against the container's
// /etc/passwd and /etc/group, as Docker does before it builds the runtime spec.
import { invalidParameter } from '../api/errors';

export interface ResolvedUser {
  uid: number;
  gid: number;
  additionalGids: number[];
  home: string;
}

type Lookup = (path: string) => string | undefined;

function entries(text: string | undefined): string[][] {
  return (text ?? '')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(':'));
}

const isNumeric = (s: string) => /^\d+$/.test(s);

export function resolveUser(spec: string, read: Lookup): ResolvedUser {
  const [named = '', groupPart] = spec.split(':', 2);
  // No user is root, looked up like any other (for its HOME).
  const userPart = named || '0';
  const passwd = entries(read('/etc/passwd'));
  const groups = entries(read('/etc/group'));
  const entry = passwd.find((p) => p[0] === userPart || (isNumeric(userPart) && p[2] === userPart));
  if (!entry && !isNumeric(userPart)) {
    throw invalidParameter(`unable to find user ${userPart}: no matching entries in passwd file`);
  }
  const uid = entry ? Number(entry[2]) : Number(userPart);
  let gid = entry ? Number(entry[3]) : 0;
  if (groupPart !== undefined && groupPart !== '') {
    const group = groups.find(
      (g) => g[0] === groupPart || (isNumeric(groupPart) && g[2] === groupPart),
    );
    if (!group && !isNumeric(groupPart)) {
      throw invalidParameter(
        `unable to find group ${groupPart}: no matching entries in group file`,
      );
    }
    gid = group ? Number(group[2]) : Number(groupPart);
  }
  const name = entry?.[0];
  const additionalGids =
    groupPart === undefined && name
      ? groups
          .filter((g) => (g[3] ?? '').split(',').includes(name))
          .map((g) => Number(g[2]))
          .filter((g) => g !== gid)
      : [];
  return { uid, gid, additionalGids, home: entry?.[5] || '/' };
}
