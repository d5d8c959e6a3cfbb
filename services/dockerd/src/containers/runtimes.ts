// The OCI runtimes a container can run with (`docker run --runtime NAME`), as dockerd
// configures them: each name maps to a containerd runtime (the shim, `io.containerd.<x>.<vN>`)
// and, for a runtime given by its binary, the runc shim options naming that binary
// (containerd.runc.v1.Options.binary_name), which Docker sends with the container and the task.
import { packAny, type PackedAny } from '@berth/proto';
import { invalidParameter } from '../api/errors';

const RUNC_SHIM = 'io.containerd.runc.v2';
const BERTH_SHIM = 'io.containerd.berth.v1';
const OPTIONS_TYPE = 'containerd.runc.v1.Options';
const RUNTIME_TYPE = /^io\.containerd\.[^.\s:]+\.v\d+$/;

export interface RuntimeSpec {
  /** The containerd runtime (shim) type. */
  runtimeType: string;
  /** The runtime binary the shim runs; the shim's own default when absent. */
  binaryName?: string;
}

/** What a container is created with: containerd's `runtime` field and the task options. */
export interface ResolvedRuntime {
  name: string;
  runtimeType: string;
  options: PackedAny | undefined;
}

/**
 * Built in, like Docker's `runc` and `io.containerd.runc.v2`, plus berth's shim: by its type
 * it runs berth's own runtime inside the shim, so `--runtime io.containerd.berth.v1` is berth
 * from the shim down. Binary names run behind the runc shim, as Docker runs its configured
 * runtimes.
 */
const BUILT_IN: Readonly<Record<string, RuntimeSpec>> = {
  runc: { runtimeType: RUNC_SHIM, binaryName: 'runc' },
  [RUNC_SHIM]: { runtimeType: RUNC_SHIM },
  [BERTH_SHIM]: { runtimeType: BERTH_SHIM },
  crun: { runtimeType: RUNC_SHIM, binaryName: 'crun' },
  'berth-runc': { runtimeType: RUNC_SHIM, binaryName: 'berth-runc' },
};

/**
 * Parses one `--add-runtime NAME=VALUE`. VALUE is a binary path, run behind the runc shim as
 * dockerd does; berth also accepts a shim type (`io.containerd.berth.v1`) and a shim type
 * with a binary (`io.containerd.berth.v1:/usr/bin/crun`), so that runtimes can be compared
 * behind the same shim.
 */
export function parseAddRuntime(flag: string): [string, RuntimeSpec] {
  const eq = flag.indexOf('=');
  const name = flag.slice(0, eq);
  const value = flag.slice(eq + 1);
  if (eq <= 0 || value === '' || /\s/.test(name)) {
    throw new Error(`invalid --add-runtime "${flag}": expected NAME=PATH`);
  }
  const colon = value.indexOf(':');
  const type = colon < 0 ? value : value.slice(0, colon);
  if (RUNTIME_TYPE.test(type)) {
    const binary = colon < 0 ? '' : value.slice(colon + 1);
    return [name, binary ? { runtimeType: type, binaryName: binary } : { runtimeType: type }];
  }
  return [name, { runtimeType: RUNC_SHIM, binaryName: value }];
}

export class RuntimeTable {
  private readonly specs: Map<string, RuntimeSpec>;

  constructor(
    readonly defaultRuntime: string,
    added: readonly string[] = [],
  ) {
    this.specs = new Map(Object.entries(BUILT_IN));
    for (const flag of added) {
      const [name, spec] = parseAddRuntime(flag);
      if (name in BUILT_IN) throw new Error(`runtime name '${name}' is reserved`);
      if (this.specs.has(name)) throw new Error(`runtime '${name}' is added twice`);
      this.specs.set(name, spec);
    }
    if (!this.specs.has(defaultRuntime)) {
      throw new Error(`default runtime '${defaultRuntime}' is not configured`);
    }
  }

  /** The runtime a create asks for (HostConfig.Runtime), the default when empty. */
  resolve(name: string | undefined): ResolvedRuntime {
    const chosen = name || this.defaultRuntime;
    const spec = this.specs.get(chosen);
    if (!spec) throw invalidParameter(`Unknown runtime specified ${chosen}`);
    return {
      name: chosen,
      runtimeType: spec.runtimeType,
      options: spec.binaryName
        ? packAny(OPTIONS_TYPE, { binary_name: spec.binaryName })
        : undefined,
    };
  }

  /** GET /info Runtimes: `path` for a binary, `runtimeType` for a shim, as Docker shows them. */
  info(): Record<string, { path?: string; runtimeType?: string }> {
    return Object.fromEntries(
      [...this.specs].map(([name, spec]) => [
        name,
        spec.binaryName && spec.runtimeType === RUNC_SHIM
          ? { path: spec.binaryName }
          : {
              runtimeType: spec.runtimeType,
              ...(spec.binaryName ? { path: spec.binaryName } : {}),
            },
      ]),
    );
  }
}
