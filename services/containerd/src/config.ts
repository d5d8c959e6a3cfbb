import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

export interface Config {
  root: string;
  state: string;
  address: string;
  logLevel: string;
}

const DEFAULT_ROOT = '/var/lib/berth/containerd';
const DEFAULT_STATE = '/run/berth/containerd';

/** The JSON config file's shape: upstream's TOML keys that this daemon honours. */
interface ConfigFile {
  root?: string;
  state?: string;
  grpc?: { address?: string };
  debug?: { level?: string };
}

/** Embedded defaults, then the config file, then flags. */
export function loadConfig(argv: string[]): Config {
  const { values } = parseArgs({
    args: argv,
    options: {
      address: { type: 'string', short: 'a' },
      root: { type: 'string' },
      state: { type: 'string' },
      config: { type: 'string', short: 'c' },
      'log-level': { type: 'string', short: 'l' },
    },
    strict: true,
  });
  const file: ConfigFile = values.config
    ? (JSON.parse(readFileSync(values.config, 'utf8')) as ConfigFile)
    : {};
  const state = values.state ?? file.state ?? DEFAULT_STATE;
  return {
    root: values.root ?? file.root ?? DEFAULT_ROOT,
    state,
    address: values.address ?? file.grpc?.address ?? join(state, 'containerd.sock'),
    logLevel: values['log-level'] ?? file.debug?.level ?? 'info',
  };
}
