// An OCI runtime binary (runc, crun, berth-runc) through the runc command line, as upstream's
// go-runc does: global --root/--log flags, JSON logs whose last error explains a failure.
// The processes it creates are parented by a monitor that runs the create/exec command.
import { readFile } from 'node:fs/promises';
import { propagation, type Context } from '@opentelemetry/api';
import {
  runCaptured,
  RuntimeCommandError,
  spawnMonitor,
  type MonitoredProcess,
} from '@berth/monitor';
import { runtimeError, type MonitorRequest, type OciRuntime, type RuntimeConfig } from './runtime';
import { metricsFromStats, type RuntimeStats } from './stats';

export class RuntimeCli implements OciRuntime {
  constructor(private readonly config: RuntimeConfig & { binary: string }) {}

  /** The runtime's name for traces: its binary's file name (`runc`, `crun`, `berth-runc`). */
  get name(): string {
    return this.config.binary.slice(this.config.binary.lastIndexOf('/') + 1);
  }

  create(
    id: string,
    bundle: string,
    monitor: MonitorRequest,
    trace: Context,
  ): Promise<MonitoredProcess> {
    const args = ['create', '--bundle', bundle, '--pid-file', monitor.pidFile];
    return this.underMonitor(monitor, [...args, ...consoleArgs(monitor), id], trace);
  }

  exec(
    id: string,
    processFile: string,
    monitor: MonitorRequest,
    trace: Context,
  ): Promise<MonitoredProcess> {
    const args = ['exec', '--process', processFile, '--detach', '--pid-file', monitor.pidFile];
    return this.underMonitor(monitor, [...args, ...consoleArgs(monitor), id], trace);
  }

  async start(id: string, trace: Context) {
    await this.run(['start', id], { trace });
  }

  async kill(id: string, signal: number, all: boolean, trace: Context) {
    await this.run(['kill', ...(all ? ['--all'] : []), id, String(signal)], { trace });
  }

  async delete(id: string, force: boolean, trace: Context) {
    await this.run(['delete', ...(force ? ['--force'] : []), id], { trace });
  }

  async pause(id: string) {
    await this.run(['pause', id]);
  }

  async resume(id: string) {
    await this.run(['resume', id]);
  }

  async ps(id: string): Promise<number[]> {
    return JSON.parse((await this.run(['ps', '--format', 'json', id])) || '[]') as number[];
  }

  async update(id: string, resources: string) {
    await this.run(['update', '--resources', '-', id], { input: resources });
  }

  /** From `events --stats`, runc's stats document for the container's cgroup. */
  async metricsV1(id: string): Promise<object> {
    const event = JSON.parse(await this.run(['events', '--stats', id])) as { data?: RuntimeStats };
    return metricsFromStats(event.data ?? {});
  }

  /** Runs `create` or `exec --detach` under a new monitor, which adopts what it leaves. */
  private async underMonitor(
    monitor: MonitorRequest,
    args: string[],
    trace: Context,
  ): Promise<MonitoredProcess> {
    try {
      const command = [...this.global(), ...args];
      return await spawnMonitor({ ...monitor, command, env: this.env(trace) });
    } catch (err) {
      if (!(err instanceof RuntimeCommandError)) throw err;
      throw runtimeError((await this.lastError()) ?? err.message);
    }
  }

  /** The runtime's environment: the caller's trace context travels as TRACEPARENT. */
  private env(trace: Context | undefined): NodeJS.ProcessEnv {
    if (!trace) return process.env;
    const carrier: Record<string, string> = {};
    propagation.inject(trace, carrier);
    return carrier.traceparent ? { ...process.env, TRACEPARENT: carrier.traceparent } : process.env;
  }

  /** Why the last command failed, from the runtime's JSON log. */
  private async lastError(): Promise<string | undefined> {
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

  /** Runs a command; `trace` for the commands that are part of a container's trace. */
  private async run(args: string[], opts: { input?: string; trace?: Context } = {}) {
    const [binary, ...global] = this.global();
    const { status, stdout, stderr } = await runCaptured(binary!, [...global, ...args], {
      env: this.env(opts.trace),
      stdin: opts.input,
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

/** --console-socket for a process with a terminal, as runc takes it. */
const consoleArgs = ({ consoleSocket }: MonitorRequest) =>
  consoleSocket ? ['--console-socket', consoleSocket] : [];
