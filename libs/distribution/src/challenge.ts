// WWW-Authenticate challenges (RFC 7235) as registries send them:
//   Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a:pull"
//   Basic realm="Registry Realm"

export interface Challenge {
  /** Lower-cased auth scheme: "basic", "bearer". */
  scheme: string;
  params: Record<string, string>;
}

const SCHEME = /\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)/y;
const PARAM = /\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?/y;

/** Every challenge in the given header values, in order. */
export function parseChallenges(headers: string | string[] | undefined): Challenge[] {
  const values = headers === undefined ? [] : Array.isArray(headers) ? headers : [headers];
  const challenges: Challenge[] = [];
  for (const value of values) {
    let pos = 0;
    while (pos < value.length) {
      SCHEME.lastIndex = pos;
      const scheme = SCHEME.exec(value);
      if (!scheme) break;
      pos = SCHEME.lastIndex;
      const params: Record<string, string> = {};
      for (;;) {
        PARAM.lastIndex = pos;
        const param = PARAM.exec(value);
        if (!param) break;
        params[param[1]!.toLowerCase()] = param[2]?.replace(/\\(.)/g, '$1') ?? param[3] ?? '';
        pos = PARAM.lastIndex;
      }
      challenges.push({ scheme: scheme[1]!.toLowerCase(), params });
      pos = skipSeparators(value, pos);
    }
  }
  return challenges;
}

function skipSeparators(value: string, pos: number): number {
  while (pos < value.length && /[\s,]/.test(value[pos]!)) pos++;
  return pos;
}
