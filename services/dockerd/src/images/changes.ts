// The Dockerfile instructions `docker import --change` and `docker commit --change` accept
// (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR), applied
// to an image's container config as Docker's builder BuildFromConfig does.
import { posix } from 'node:path';
import { invalidParameter } from '../api/errors';
import type { ContainerConfig } from './media-types';

type Handler = (config: ContainerConfig, args: string, state: { cmdSet: boolean }) => void;

const HANDLERS: Record<string, Handler> = {
  cmd(config, args, state) {
    config.Cmd = commandForm(args);
    state.cmdSet = true;
  },
  entrypoint(config, args, state) {
    config.Entrypoint = commandForm(args);
    // a new entrypoint drops the inherited CMD, unless these changes set one
    if (!state.cmdSet) config.Cmd = null;
  },
  env(config, args) {
    const env = [...(config.Env ?? [])];
    for (const [key, value] of keyValues('ENV', args, config.Env)) {
      const at = env.findIndex((e) => e.split('=')[0] === key);
      if (at >= 0) env[at] = `${key}=${value}`;
      else env.push(`${key}=${value}`);
    }
    config.Env = env;
  },
  label(config, args) {
    config.Labels = {
      ...(config.Labels ?? {}),
      ...Object.fromEntries(keyValues('LABEL', args, config.Env)),
    };
  },
  expose(config, args) {
    const ports = { ...(config.ExposedPorts ?? {}) };
    for (const word of words(args, config.Env))
      for (const port of exposedPorts(word)) ports[port] = {};
    config.ExposedPorts = ports;
  },
  volume(config, args) {
    const list = args.trim().startsWith('[') ? jsonArray('VOLUME', args) : words(args, config.Env);
    if (list.length === 0) throw invalidParameter('VOLUME specified can not be an empty string');
    config.Volumes = { ...(config.Volumes ?? {}), ...Object.fromEntries(list.map((v) => [v, {}])) };
  },
  workdir(config, args) {
    const dir = single('WORKDIR', args, config.Env);
    config.WorkingDir = posix.isAbsolute(dir)
      ? posix.normalize(dir)
      : posix.join('/', config.WorkingDir ?? '', dir);
  },
  user(config, args) {
    config.User = single('USER', args, config.Env);
  },
  stopsignal(config, args) {
    config.StopSignal = single('STOPSIGNAL', args, config.Env);
  },
  onbuild(config, args) {
    const trigger = args.trim();
    const instruction = trigger.split(/\s+/)[0]!.toUpperCase();
    if (['ONBUILD', 'FROM', 'MAINTAINER'].includes(instruction))
      throw invalidParameter(`${instruction} isn't allowed as an ONBUILD trigger`);
    config.OnBuild = [...(config.OnBuild ?? []), trigger];
  },
};

/** Applies `changes` (each one or more instruction lines) to a copy of `base`. */
export function applyChanges(base: ContainerConfig, changes: readonly string[]): ContainerConfig {
  const config: ContainerConfig = structuredClone(base);
  const state = { cmdSet: false };
  for (const line of changes.flatMap((change) => change.split('\n'))) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const [, keyword = '', args = ''] = /^(\S+)\s*([\s\S]*)$/.exec(trimmed) ?? [];
    const handler = HANDLERS[keyword.toLowerCase()];
    if (!handler) throw invalidParameter(`${keyword.toLowerCase()} is not a valid change command`);
    handler(config, args, state);
  }
  return config;
}

/** The exec form (a JSON string array) or the shell form, run by /bin/sh -c. */
function commandForm(args: string): string[] {
  const trimmed = args.trim();
  if (trimmed.startsWith('[')) {
    try {
      return jsonArray('', trimmed);
    } catch {
      // not valid JSON: Docker falls back to the shell form
    }
  }
  return ['/bin/sh', '-c', trimmed];
}

function jsonArray(instruction: string, args: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(args.trim());
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === 'string'))
    throw invalidParameter(`${instruction}: expected a JSON array of strings`);
  return parsed as string[];
}

function single(instruction: string, args: string, env: ContainerConfig['Env']): string {
  const [value, ...rest] = words(args, env);
  if (value === undefined || rest.length > 0)
    throw invalidParameter(`${instruction} requires exactly one argument`);
  return value;
}

/** "k=v k2='v 2'" pairs, or the legacy "key value with spaces" form. */
function keyValues(
  instruction: string,
  args: string,
  env: ContainerConfig['Env'],
): [string, string][] {
  const list = words(args, env);
  if (list.length === 0) throw invalidParameter(`${instruction} requires at least one argument`);
  if (!list[0]!.includes('=')) {
    const [key, ...value] = args.trim().split(/\s+/);
    if (value.length === 0) throw invalidParameter(`${instruction} must have two arguments`);
    return [[key!, words(value.join(' '), env).join(' ')]];
  }
  return list.map((word) => {
    const eq = word.indexOf('=');
    if (eq <= 0) throw invalidParameter(`${instruction} names can not be blank`);
    return [word.slice(0, eq), word.slice(eq + 1)];
  });
}

/**
 * Splits on unquoted whitespace, removing quotes and backslash escapes and expanding $VAR
 * and ${VAR} from `env` (not inside single quotes), as the Dockerfile shell lexer does.
 */
export function words(args: string, env: ContainerConfig['Env'] = []): string[] {
  const vars = new Map(
    (env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
  );
  const result: string[] = [];
  let current: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < args.length; i++) {
    const c = args[i]!;
    if (quote === "'" && c !== "'") {
      current = (current ?? '') + c;
    } else if (c === quote) {
      quote = undefined;
    } else if ((c === '"' || c === "'") && !quote) {
      quote = c;
      current ??= '';
    } else if (c === '\\' && i + 1 < args.length) {
      current = (current ?? '') + args[++i];
    } else if (c === '$') {
      const m = /^\$(?:\{(\w+)\}|(\w+))/.exec(args.slice(i));
      if (!m) current = (current ?? '') + c;
      else {
        current = (current ?? '') + (vars.get(m[1] ?? m[2]!) ?? '');
        i += m[0].length - 1;
      }
    } else if (/\s/.test(c) && !quote) {
      if (current !== undefined) result.push(current);
      current = undefined;
    } else {
      current = (current ?? '') + c;
    }
  }
  if (quote)
    throw invalidParameter(`unexpected end of statement while looking for matching ${quote}`);
  if (current !== undefined) result.push(current);
  return result;
}

/** "80" → 80/tcp; "8000-8002/udp" → each port of the range. */
function exposedPorts(spec: string): string[] {
  const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(spec);
  if (!m) throw invalidParameter(`invalid containerPort: ${spec}`);
  const first = Number(m[1]);
  const last = m[2] === undefined ? first : Number(m[2]);
  if (first > 65535 || last > 65535 || last < first)
    throw invalidParameter(`invalid port range: ${spec}`);
  const proto = (m[3] ?? 'tcp').toLowerCase();
  return Array.from({ length: last - first + 1 }, (_, i) => `${first + i}/${proto}`);
}
