// The OCI runtime (runc, crun, berth-runc) through the runc command line, as upstream's
// go-runc does: global --root/--log flags, JSON logs whose last error explains a failure.
import { readFile } from 'node:fs/promises';
import { context, propagation } from '@opentelemetry/api';
import { runCaptured } from '@berth/monitor';
import { Code, TtrpcError } from '@berth/ttrpc';

export interface RuntimeConfig {
  /** containerd.runc.v1.Options.binary_name, else "runc". */
  binary: string;
  /** The runtime's --root, per namespace (upstream: /run/containerd/runc/<ns>). */
  root: string;
  systemdCgroup: boolean;
  /** The runtime's --log file (JSON lines); in the bundle. */
  logFile: string;
}

export class RuntimeCli {
  constructor(private readonly config: RuntimeConfig) {}

  /** The runtime's name for traces: its binary's file name (`runc`, `crun`, `berth-runc`). */
  get name(): string {
    return this.config.binary.slice(this.config.binary.lastIndexOf('/') + 1);
  }

  /** The full argv of `create`, run by the init process's monitor. */
  createCommand(id: string, bundle: string, pidFile: string, consoleSocket?: string): string[] {
    const console = consoleSocket ? ['--console-socket', consoleSocket] : [];
    return [...this.global(), 'create', '--bundle', bundle, '--pid-file', pidFile, ...console, id];
  }

  /** The full argv of a detached `exec`, run by the exec process's monitor. */
  execCommand(id: string, processFile: string, pidFile: string, consoleSocket?: string): string[] {
    const console = consoleSocket ? ['--console-socket', consoleSocket] : [];
    const args = ['exec', '--process', processFile, '--detach', '--pid-file', pidFile];
    return [...this.global(), ...args, ...console, id];
  }

  start(id: string) {
    return this.run(['start', id]);
  }

  kill(id: string, signal: number, all: boolean) {
    return this.run(['kill', ...(all ? ['--all'] : []), id, String(signal)]);
  }

  delete(id: string, force: boolean) {
    return this.run(['delete', ...(force ? ['--force'] : []), id]);
  }

  pause(id: string) {
    return this.run(['pause', id]);
  }

  resume(id: string) {
    return this.run(['resume', id]);
  }

  async ps(id: string): Promise<number[]> {
    return JSON.parse((await this.run(['ps', '--format', 'json', id])) || '[]') as number[];
  }

  /** Applies an OCI LinuxResources document (JSON) to the running container. */
  update(id: string, resources: string) {
    return this.run(['update', '--resources', '-', id], resources);
  }

  /** `events --stats`: the runtime's stats document for the container's cgroup. */
  async stats(id: string): Promise<RuntimeStats> {
    const event = JSON.parse(await this.run(['events', '--stats', id])) as { data?: RuntimeStats };
    return event.data ?? {};
  }

  /** The runtime's environment: the caller's trace context travels as TRACEPARENT. */
  env(): NodeJS.ProcessEnv {
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    return carrier.traceparent ? { ...process.env, TRACEPARENT: carrier.traceparent } : process.env;
  }

  /** Why the last command failed, from the runtime's JSON log. */
  async lastError(): Promise<string | undefined> {
    let text: string;
    try {
      text = await readFile(this.config.logFile, 'utf8');
    } catch {
      return undefined;
    }
    for (const line of text.trim().split('\n').reverse()) {
      try {
        const entry = JSON.parse(line) as { level?: string; msg?: string };
        if (entry.level === 'error' && entry.msg) return entry.msg;
      } catch {
        // a torn or non-JSON line: keep looking
      }
    }
    return undefined;
  }

  private global(): string[] {
    const { binary, root, logFile, systemdCgroup } = this.config;
    const systemd = systemdCgroup ? ['--systemd-cgroup'] : [];
    return [binary, '--root', root, '--log', logFile, '--log-format', 'json', ...systemd];
  }

  private async run(args: string[], input?: string): Promise<string> {
    const [binary, ...global] = this.global();
    const { status, stdout, stderr } = await runCaptured(binary!, [...global, ...args], {
      env: this.env(),
      stdin: input,
    }).catch((err: Error) => {
      throw runtimeError(`${args[0]}: ${err.message}`); // e.g. the binary is missing
    });
    if (status === 0) return stdout.toString();
    const logged = await this.lastError();
    throw runtimeError(
      `${args[0]}: ${logged ?? (stderr.toString().trim() || `exit status ${status}`)}`,
    );
  }
}

/** Runtime failures in containerd's error shape (errdefs derive codes from the message). */
export function runtimeError(message: string): TtrpcError {
  if (/does not exist|not found/i.test(message)) return new TtrpcError(Code.NotFound, message);
  if (/not running|not paused|already paused|cannot (start|delete)/i.test(message)) {
    return new TtrpcError(Code.FailedPrecondition, message);
  }
  return new TtrpcError(Code.Unknown, message);
}

/** The part of runc's `events --stats` document that containerd's v1 Metrics carry. */
export interface RuntimeStats {
  cpu?: {
    usage?: { total?: number; percpu?: number[]; kernel?: number; user?: number };
    throttling?: { periods?: number; throttledPeriods?: number; throttledTime?: number };
  };
  memory?: {
    cache?: number;
    usage?: MemoryEntry;
    swap?: MemoryEntry;
    kernel?: MemoryEntry;
    kernelTCP?: MemoryEntry;
    raw?: Record<string, number>;
  };
  pids?: { current?: number; limit?: number };
}

export interface MemoryEntry {
  limit?: number;
  usage?: number;
  max?: number;
  failcnt?: number;
}
