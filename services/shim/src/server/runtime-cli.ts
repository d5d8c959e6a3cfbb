// An OCI runtime binary (runc, crun, berth-runc) through the runc command line, as upstream's
// go-runc does: global --root/--log flags, JSON logs whose last error explains a failure.
// The processes it creates are parented by a monitor that runs the create/exec command.
import { readFile } from 'node:fs/promises';
import { context, propagation } from '@opentelemetry/api';
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

  create(id: string, bundle: string, monitor: MonitorRequest): Promise<MonitoredProcess> {
    const { pidFile, consoleSocket } = monitor;
    const console = consoleSocket ? ['--console-socket', consoleSocket] : [];
    return this.underMonitor(monitor, [
      ...['create', '--bundle', bundle, '--pid-file', pidFile, ...console, id],
    ]);
  }

  exec(id: string, processFile: string, monitor: MonitorRequest): Promise<MonitoredProcess> {
    const { pidFile, consoleSocket } = monitor;
    const console = consoleSocket ? ['--console-socket', consoleSocket] : [];
    return this.underMonitor(monitor, [
      ...['exec', '--process', processFile, '--detach', '--pid-file', pidFile, ...console, id],
    ]);
  }

  async start(id: string) {
    await this.run(['start', id]);
  }

  async kill(id: string, signal: number, all: boolean) {
    await this.run(['kill', ...(all ? ['--all'] : []), id, String(signal)]);
  }

  async delete(id: string, force: boolean) {
    await this.run(['delete', ...(force ? ['--force'] : []), id]);
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
    await this.run(['update', '--resources', '-', id], resources);
  }

  /** From `events --stats`, runc's stats document for the container's cgroup. */
  async metricsV1(id: string): Promise<object> {
    const event = JSON.parse(await this.run(['events', '--stats', id])) as { data?: RuntimeStats };
    return metricsFromStats(event.data ?? {});
  }

  /** Runs `create` or `exec --detach` under a new monitor, which adopts what it leaves. */
  private async underMonitor(monitor: MonitorRequest, args: string[]): Promise<MonitoredProcess> {
    try {
      return await spawnMonitor({
        ...monitor,
        command: [...this.global(), ...args],
        env: this.env(),
      });
    } catch (err) {
      if (!(err instanceof RuntimeCommandError)) throw err;
      throw runtimeError((await this.lastError()) ?? err.message);
    }
  }

  /** The runtime's environment: the caller's trace context travels as TRACEPARENT. */
  private env(): NodeJS.ProcessEnv {
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
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
