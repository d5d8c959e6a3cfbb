// Configuration: embedded defaults, overridden by a YAML/JSON file (--config), overridden by flags.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import type { AccessRule } from './auth/access';

export interface TokenConfig {
  /** URL advertised in the Bearer challenge; defaults to /token on the registry itself. */
  realm?: string;
  service: string;
  issuer: string;
  ttlSeconds: number;
  /** File holding the HMAC signing key; a random key per process when absent. */
  secretFile?: string;
}

export interface RegistryConfig {
  root: string;
  addr: string;
  logLevel: string;
  tls?: { cert: string; key: string };
  auth: { htpasswd?: string; token?: TokenConfig; access?: AccessRule[] };
  gc: { intervalSeconds: number; graceSeconds: number };
  limits: { manifestBytes: number };
}

export const DEFAULT_CONFIG: RegistryConfig = {
  root: '/var/lib/berth/registry',
  addr: '127.0.0.1:5000',
  logLevel: 'info',
  auth: {},
  gc: { intervalSeconds: 0, graceSeconds: 3600 },
  limits: { manifestBytes: 4 * 1024 * 1024 },
};

const DEFAULT_TOKEN: TokenConfig = {
  service: 'berth-registry',
  issuer: 'berth-registry',
  ttlSeconds: 300,
};

const FLAGS = {
  config: { type: 'string' },
  root: { type: 'string' },
  addr: { type: 'string' },
  'log-level': { type: 'string' },
  htpasswd: { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'token-auth': { type: 'boolean' },
  'token-realm': { type: 'string' },
  'token-service': { type: 'string' },
  'gc-interval': { type: 'string' },
  'gc-grace': { type: 'string' },
} as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function merge<T>(base: T, over: unknown): T {
  if (!isRecord(base) || !isRecord(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(out[k], v);
  return out as T;
}

function seconds(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${flag}: expected seconds, got ${value}`);
  return n;
}

/** Resolves the configuration of one run from its command-line arguments. */
export async function loadConfig(argv: string[]): Promise<RegistryConfig> {
  const { values } = parseArgs({ args: argv, options: FLAGS, strict: true });
  let config = DEFAULT_CONFIG;
  if (values.config) config = merge(config, parseYaml(await readFile(values.config, 'utf8')));
  const tokenWanted = values['token-auth'] || values['token-realm'] || values['token-service'];
  const flags = {
    root: values.root,
    addr: values.addr,
    logLevel: values['log-level'],
    tls: values['tls-cert'] ? { cert: values['tls-cert'], key: values['tls-key'] } : undefined,
    auth: {
      htpasswd: values.htpasswd,
      token: tokenWanted
        ? { realm: values['token-realm'], service: values['token-service'] }
        : undefined,
    },
    gc: {
      intervalSeconds: seconds('gc-interval', values['gc-interval']),
      graceSeconds: seconds('gc-grace', values['gc-grace']),
    },
  };
  config = merge(config, JSON.parse(JSON.stringify(flags)));
  if (config.auth.token) config.auth.token = merge(DEFAULT_TOKEN, config.auth.token);
  if (config.tls && !config.tls.key) throw new Error('--tls-cert needs --tls-key');
  return config;
}

/** Splits `host:port`, `[v6]:port` or `:port`. */
export function parseAddr(addr: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(addr);
  const port = Number(m?.[3]);
  if (!m || !Number.isInteger(port) || port > 65535) throw new Error(`invalid address: ${addr}`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}
