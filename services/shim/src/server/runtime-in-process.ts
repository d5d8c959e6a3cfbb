// berth's OCI runtime (@berth/oci) in the shim's own process: no runtime binary and no Node
// start-up per command. The native launcher still does the work between fork and execve; it
// is started by the monitor that is to parent the container process, with its plan channel
// (fd 3) handed through, so the monitor adopts the process exactly as after `runc create`.
// Each command is a `runtime.<command>` span here, with the launcher's phases as children,
// named as berth-runc names them.
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { trace as otel, type Attributes, type Context, type Span } from '@opentelemetry/api';
import type { LinuxResources } from '@berth/cgroups';
import {
  RuntimeCommandError,
  socketPair,
  spawnMonitor,
  type MonitoredProcess,
} from '@berth/monitor';
import { launchSpans, Runtime, type Launched, type Process, type SpawnLauncher } from '@berth/oci';
import { recordExternalSpans, withSpan, type ExternalSpan } from '@berth/telemetry';
import { runtimeError, type MonitorRequest, type OciRuntime, type RuntimeConfig } from './runtime';
import { protoFields } from './stats';

const tracer = otel.getTracer('berth-shim');

export class InProcessRuntime implements OciRuntime {
  readonly name = 'berth';
  private readonly oci: Runtime;

  /** `warn` gets runc's warnings (ignored capabilities, rootfs set-up skipped). */
  constructor(
    config: RuntimeConfig,
    private readonly warn: (message: string) => void,
  ) {
    if (config.systemdCgroup) {
      throw runtimeError('berth runtime: no systemd cgroup driver; name a runtime binary for it');
    }
    this.oci = new Runtime({ root: config.root, warn, sealedLauncher: true });
  }

  async create(
    id: string,
    bundle: string,
    monitor: MonitorRequest,
    trace: Context,
  ): Promise<MonitoredProcess> {
    const { spawn, monitored } = launcherUnderMonitor(monitor);
    const { pidFile, consoleSocket } = monitor;
    await this.traced(trace, 'create', id, () =>
      this.oci.create(id, { bundle, pidFile, consoleSocket, spawn }),
    );
    return monitored();
  }

  async exec(
    id: string,
    processFile: string,
    monitor: MonitorRequest,
    trace: Context,
  ): Promise<MonitoredProcess> {
    const proc = JSON.parse(await readFile(processFile, 'utf8')) as Process;
    const { spawn, monitored } = launcherUnderMonitor(monitor);
    const { pidFile, consoleSocket } = monitor;
    await this.traced(trace, 'exec', id, () =>
      this.oci.exec(id, proc, { detach: true, pidFile, consoleSocket, spawn }),
    );
    return monitored();
  }

  async start(id: string, trace: Context): Promise<void> {
    await this.traced(trace, 'start', id, () => this.oci.start(id));
  }

  kill(id: string, signal: number, all: boolean, trace: Context): Promise<void> {
    return this.traced(trace, 'kill', id, () => this.oci.kill(id, signal, all));
  }

  delete(id: string, force: boolean, trace: Context): Promise<void> {
    return this.traced(trace, 'delete', id, () => this.oci.delete(id, force));
  }

  pause(id: string): Promise<void> {
    return failures(() => this.oci.pause(id));
  }

  resume(id: string): Promise<void> {
    return failures(() => this.oci.resume(id));
  }

  ps(id: string): Promise<number[]> {
    return failures(() => this.oci.ps(id));
  }

  update(id: string, resources: string): Promise<void> {
    return failures(() => this.oci.update(id, JSON.parse(resources) as LinuxResources));
  }

  async metricsV1(id: string): Promise<object> {
    return protoFields(await failures(() => this.oci.stats(id))) as object;
  }

  /** A command as a span below `parent`; the launcher's phase stamps become its children, and
   * the moment a started process passed its exec fifo an `exec` event. */
  private traced<T>(parent: Context, command: string, id: string, fn: () => Promise<T>) {
    const attributes: Attributes = { 'container.id': id, 'container.runtime.name': this.name };
    const run = async (span: Span, spanContext: Context): Promise<T> => {
      const result = await failures(fn);
      const phases = launchSpans(
        (result as Partial<Launched> | undefined)?.times ?? [],
        attributes,
      );
      // Recorded after this turn of the event loop, not on the command's path: each costs ~20 µs
      // in the shim's unoptimised Node (--no-opt), and the stamps in them are already taken.
      if (phases.length > 0) setImmediate(() => this.recordPhases(spanContext, phases));
      if (typeof result === 'bigint') {
        span.addEvent('exec', [Number(result / 1_000_000_000n), Number(result % 1_000_000_000n)]);
      }
      return result;
    };
    return withSpan(tracer, `runtime.${command}`, attributes, run, parent);
  }

  private recordPhases(parent: Context, phases: ExternalSpan[]): void {
    try {
      recordExternalSpans(parent, phases);
    } catch (err) {
      this.warn(`launcher phase spans dropped: ${(err as Error).message}`);
    }
  }
}

/** The runtime's errors (bad spec, launch failures, unknown container) in containerd's shape. */
async function failures<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw runtimeError(err instanceof Error ? err.message : String(err));
  }
}

/** A SpawnLauncher that starts the launcher under a new monitor, and what the monitor said. */
function launcherUnderMonitor(monitor: MonitorRequest): {
  spawn: SpawnLauncher;
  monitored: () => Promise<MonitoredProcess>;
} {
  let started: Promise<MonitoredProcess> | undefined;
  const spawn: SpawnLauncher = (binary) => {
    const [ours, theirs] = socketPair();
    started = spawnMonitor({ ...monitor, command: [binary], channel: theirs });
    const exited = started.then(
      () => 0,
      (err: Error) => {
        if (err instanceof RuntimeCommandError) return err.exitCode;
        throw err;
      },
    );
    return { channel: new net.Socket({ fd: ours }), exited };
  };
  return {
    spawn,
    monitored: () => started ?? Promise.reject(new Error('the launcher was never started')),
  };
}
