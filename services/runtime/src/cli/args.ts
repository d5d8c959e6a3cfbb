// runc's command line grammar (urfave/cli): global flags, a command, its flags, positionals.
// Flags take "--name value", "--name=value" or Go's single-dash "-name value"; booleans take
// no value; repeatable flags collect into arrays.
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
}

export type FlagTable = Record<string, FlagSpec>;
export type Flags = Record<string, string | boolean | string[] | undefined>;

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface Parsed {
  flags: Flags;
  positionals: string[];
  /** The first positional stops flag parsing (as urfave/cli does); the rest is untouched. */
  rest: string[];
}

function lookup(table: FlagTable, token: string): [string, FlagSpec] | undefined {
  const name = token.replace(/^--?/, '');
  const entry = Object.entries(table).find(([long, spec]) => long === name || spec.short === name);
  return entry;
}

/** Parses flags until the first positional (or "--"); stopAtPositional=false keeps going. */
export function parseFlags(argv: string[], table: FlagTable, stopAtPositional = true): Parsed {
  const flags: Flags = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') return { flags, positionals, rest: argv.slice(i + 1) };
    if (!arg.startsWith('-') || arg === '-') {
      if (stopAtPositional) return { flags, positionals: [arg], rest: argv.slice(i + 1) };
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const token = eq > 0 ? arg.slice(0, eq) : arg;
    const found = lookup(table, token);
    if (!found) throw new UsageError(`flag provided but not defined: ${token}`);
    const [name, spec] = found;
    let value: string | boolean;
    if (spec.type === 'boolean') value = eq > 0 ? arg.slice(eq + 1) !== 'false' : true;
    else if (eq > 0) value = arg.slice(eq + 1);
    else {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`flag needs an argument: ${token}`);
      value = next;
    }
    if (spec.multiple)
      flags[name] = [...((flags[name] as string[] | undefined) ?? []), String(value)];
    else flags[name] = value;
  }
  return { flags, positionals, rest: [] };
}

export const str = (f: Flags, name: string): string | undefined =>
  typeof f[name] === 'string' ? (f[name] as string) : undefined;
export const bool = (f: Flags, name: string): boolean => f[name] === true;
export const list = (f: Flags, name: string): string[] => (f[name] as string[] | undefined) ?? [];
