// The shim's command line, parsed as Go's flag package does for upstream shims:
// `-name value`, `-name=value`, `--name`, booleans without a value, then the action.

export interface ShimFlags {
  namespace: string;
  id: string;
  /** containerd's gRPC address (-address); the group's socket name is derived from it. */
  address: string;
  publishBinary: string;
  bundle: string;
  /** Internal: the socket the group server listens on (`serve`). */
  socket: string;
  debug: boolean;
  version: boolean;
  /** start, delete, or serve (the long-lived server, started by `start`). */
  action: string;
}

const STRING_FLAGS = {
  namespace: 'namespace',
  id: 'id',
  address: 'address',
  'publish-binary': 'publishBinary',
  bundle: 'bundle',
  socket: 'socket',
} as const;
const BOOL_FLAGS = { debug: 'debug', v: 'version' } as const;

export function parseFlags(argv: readonly string[]): ShimFlags {
  const flags: ShimFlags = {
    namespace: '',
    id: '',
    address: '',
    publishBinary: 'containerd',
    bundle: '',
    socket: '',
    debug: false,
    version: false,
    action: '',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-') || arg === '-' || arg === '--') {
      flags.action = arg === '--' ? (argv[i + 1] ?? '') : arg;
      break;
    }
    const [name, inline] = splitFlag(arg.replace(/^--?/, ''));
    if (name in BOOL_FLAGS) {
      flags[BOOL_FLAGS[name as keyof typeof BOOL_FLAGS]] =
        inline === undefined || inline === 'true';
    } else if (name in STRING_FLAGS) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`flag needs an argument: -${name}`);
      flags[STRING_FLAGS[name as keyof typeof STRING_FLAGS]] = value;
    } else {
      throw new Error(`flag provided but not defined: -${name}`);
    }
  }
  return flags;
}

function splitFlag(flag: string): [string, string | undefined] {
  const eq = flag.indexOf('=');
  return eq < 0 ? [flag, undefined] : [flag.slice(0, eq), flag.slice(eq + 1)];
}
