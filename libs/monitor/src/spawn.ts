import { monitorBinary } from './binary';
import { runCaptured } from './posix-spawn';

export interface MonitorPaths {
  /** The monitor's control socket (keep it short: unix socket paths end at 107 bytes). */
  control: string;
  /** Where the monitor writes the exit record. */
  exitFile: string;
  /** The pid file the runtime command writes (its --pid-file). */
  pidFile: string;
  /** With a terminal: the --console-socket the runtime sends the pty master to. */
  consoleSocket?: string;
}

/** How a monitor brings its shim server back after the server died. */
export interface ServerRespawn {
  /** The server's socket: if it accepts, the server is already back. */
  socket: string;
  /** A shell script that starts the server. */
  script: string;
}

export interface MonitorStdio {
  stdin?: string;
  stdout?: string;
  stderr?: string;
}

export interface SpawnMonitorOptions extends MonitorPaths, MonitorStdio {
  /** The runtime command that creates the process, e.g. [runc, create, ...] or [runc, exec, --detach, ...]. */
  command: string[];
  env?: NodeJS.ProcessEnv;
  respawn?: ServerRespawn;
  /** The process's cgroup v1 memory directory, to be told of OOM kills in it. */
  memoryCgroup?: string;
  /** A descriptor the runtime command gets as fd 3 (berth's launcher channel); handed over:
   * closed here once the monitor has it. */
  channel?: number;
}

export interface MonitoredProcess {
  /** The container process the runtime started. */
  pid: number;
  /** The detached monitor that parents it. */
  monitorPid: number;
}

/** The runtime command failed; its own diagnostics are wherever it logs (runc: --log). */
export class RuntimeCommandError extends Error {
  constructor(
    readonly exitCode: number,
    readonly stderr: string,
  ) {
    super(`runtime exited with status ${exitCode}${stderr ? `: ${stderr.trim()}` : ''}`);
  }
}

/**
 * Starts a monitor that runs `command` and stays behind as the parent of the process it
 * creates. Resolves once the runtime command has succeeded and the process pid is known.
 */
export async function spawnMonitor(options: SpawnMonitorOptions): Promise<MonitoredProcess> {
  const flags: [string, string | undefined][] = [
    ['-s', options.control],
    ['-e', options.exitFile],
    ['-p', options.pidFile],
    ['-i', options.stdin],
    ['-o', options.stdout],
    ['-r', options.stderr],
    ['-c', options.consoleSocket],
    ['-g', options.respawn?.socket],
    ['-R', options.respawn?.script],
    ['-m', options.memoryCgroup],
  ];
  const args = flags.flatMap(([flag, value]) => (value ? [flag, value] : []));
  const channel = options.channel === undefined ? [] : ['-3'];
  const { status, stdout, stderr } = await runCaptured(
    monitorBinary(),
    [...args, ...channel, '--', ...options.command],
    {
      env: options.env ?? process.env,
      ...(options.channel === undefined ? {} : { fds: [options.channel] }),
    },
  );
  if (status !== 0) throw new RuntimeCommandError(status, stderr.toString());
  const [pid, monitorPid] = stdout.toString().trim().split(' ').map(Number);
  if (!pid || !monitorPid) throw new Error(`berth-monitor said ${JSON.stringify(String(stdout))}`);
  return { pid, monitorPid };
}
