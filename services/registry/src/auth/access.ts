// Access requests ("scopes" in the Docker token protocol) and the policy that grants them.

export interface Access {
  type: string;
  name: string;
  actions: string[];
}

/** Parses `repository:<name>:pull,push` (several may be space separated). */
export function parseScopes(text: string): Access[] {
  return text
    .split(' ')
    .filter(Boolean)
    .flatMap((scope) => {
      const first = scope.indexOf(':');
      const last = scope.lastIndexOf(':');
      if (first <= 0 || last <= first) return [];
      return [
        {
          type: scope.slice(0, first),
          name: scope.slice(first + 1, last),
          actions: scope
            .slice(last + 1)
            .split(',')
            .filter(Boolean),
        },
      ];
    });
}

export function formatScope(a: Access): string {
  return `${a.type}:${a.name}:${a.actions.join(',')}`;
}

export interface AccessRule {
  /** A user name, `*` for any authenticated user, or `anonymous`. */
  account: string;
  /** A repository name; `*` matches any run of characters, including `/`. */
  repository: string;
  actions: string[];
}

export const ANONYMOUS = 'anonymous';

/** By default any authenticated user may do everything, and anonymous callers nothing. */
export const DEFAULT_RULES: AccessRule[] = [
  { account: '*', repository: '*', actions: ['pull', 'push', 'delete'] },
];

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

export class AccessPolicy {
  private readonly rules: (AccessRule & { re: RegExp })[];

  constructor(rules: AccessRule[] = DEFAULT_RULES) {
    this.rules = rules.map((r) => ({ ...r, re: globToRegExp(r.repository) }));
  }

  /** The subset of `wanted.actions` that `account` (null when anonymous) holds. */
  grant(account: string | null, wanted: Access): string[] {
    if (wanted.type === 'registry') {
      // The catalog lists every repository: it is for authenticated users only.
      return account !== null && wanted.name === 'catalog' ? wanted.actions : [];
    }
    if (wanted.type !== 'repository') return [];
    const held = new Set<string>();
    for (const rule of this.rules) {
      const applies =
        account === null
          ? rule.account === ANONYMOUS
          : rule.account === '*' || rule.account === account;
      if (applies && rule.re.test(wanted.name)) for (const a of rule.actions) held.add(a);
    }
    return wanted.actions.filter((a) => held.has(a) || held.has('*'));
  }

  allows(account: string | null, wanted: Access): boolean {
    return this.grant(account, wanted).length === wanted.actions.length;
  }
}
