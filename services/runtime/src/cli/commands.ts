// runc's commands over @berth/oci's Runtime. Each returns the process exit code.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Runtime } from '@berth/oci';
import { defaultSpec, SPEC_VERSION, CAPABILITIES, type OciState } from '@berth/oci';
import { bool, parseFlags, str, UsageError, type FlagTable, type Flags } from './args';
import { runcStats } from './events-stats';
import { execProcess } from './exec-process';
import { parseSignal } from './signals';
import { UPDATE_FLAGS, updateResources } from './update';

export interface Context {
  runtime: Runtime;
  out: (text: string) => void;
  /** Wraps a command about one container (create, start, run, exec, kill, delete) in a span. */
  traced<T>(operation: string, id: string, fn: () => Promise<T>): Promise<T>;
}

interface Command {
  flags: FlagTable;
  /** exec stops parsing flags at the container id; what follows is the command. */
  stopAtId?: boolean;
  run(ctx: Context, flags: Flags, args: string[]): Promise<number>;
}

const CREATE_FLAGS: FlagTable = {
  bundle: { type: 'string', short: 'b' },
  'console-socket': { type: 'string' },
  'pid-file': { type: 'string' },
  'no-pivot': { type: 'boolean' },
  'no-new-keyring': { type: 'boolean' },
  'preserve-fds': { type: 'string' },
};

function needId(args: string[]): string {
  const id = args[0];
  if (!id) throw new UsageError('requires exactly 1 argument(s): container id');
  return id;
}

function createOptions(flags: Flags) {
  return {
    bundle: str(flags, 'bundle') ?? process.cwd(),
    pidFile: str(flags, 'pid-file'),
    consoleSocket: str(flags, 'console-socket'),
  };
}

function table(states: OciState[]): string {
  const rows = [['ID', 'PID', 'STATUS', 'BUNDLE', 'CREATED', 'OWNER']];
  for (const s of states)
    rows.push([s.id, String(s.pid), s.status, s.bundle, s.created, s.owner || 'root']);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)) + 3);
  return (
    rows
      .map((r) =>
        r
          .map((c, i) => c.padEnd(widths[i]!))
          .join('')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/** What `features` reports (runtime-spec features.md). */
function features(): object {
  return {
    ociVersionMin: '1.0.0',
    ociVersionMax: SPEC_VERSION,
    hooks: [
      'prestart',
      'createRuntime',
      'createContainer',
      'startContainer',
      'poststart',
      'poststop',
    ],
    mountOptions: [
      'bind',
      'rbind',
      'ro',
      'rw',
      'nosuid',
      'nodev',
      'noexec',
      'private',
      'rprivate',
      'shared',
      'rshared',
      'slave',
      'rslave',
      'unbindable',
      'runbindable',
    ],
    linux: {
      namespaces: ['cgroup', 'ipc', 'mount', 'network', 'pid', 'time', 'user', 'uts'],
      capabilities: [...CAPABILITIES],
      cgroup: { v1: true, v2: true, systemd: false, systemdUser: false },
      seccomp: {
        enabled: true,
        actions: [
          'SCMP_ACT_ALLOW',
          'SCMP_ACT_ERRNO',
          'SCMP_ACT_KILL',
          'SCMP_ACT_KILL_PROCESS',
          'SCMP_ACT_KILL_THREAD',
          'SCMP_ACT_LOG',
          'SCMP_ACT_TRACE',
          'SCMP_ACT_TRAP',
        ],
        operators: [
          'SCMP_CMP_EQ',
          'SCMP_CMP_GE',
          'SCMP_CMP_GT',
          'SCMP_CMP_LE',
          'SCMP_CMP_LT',
          'SCMP_CMP_MASKED_EQ',
          'SCMP_CMP_NE',
        ],
        supportedFlags: [
          'SECCOMP_FILTER_FLAG_TSYNC',
          'SECCOMP_FILTER_FLAG_LOG',
          'SECCOMP_FILTER_FLAG_SPEC_ALLOW',
        ],
      },
      apparmor: { enabled: false },
      selinux: { enabled: false },
    },
  };
}

export const COMMANDS: Record<string, Command> = {
  spec: {
    flags: { bundle: { type: 'string', short: 'b' }, rootless: { type: 'boolean' } },
    async run(_ctx, flags) {
      if (bool(flags, 'rootless')) throw new UsageError('spec --rootless is not supported');
      const file = join(str(flags, 'bundle') ?? '.', 'config.json');
      if (existsSync(file)) throw new UsageError('File config.json exists. Remove it first.');
      await writeFile(file, JSON.stringify(defaultSpec(), null, '\t'));
      return 0;
    },
  },
  create: {
    flags: CREATE_FLAGS,
    async run(ctx, flags, args) {
      const id = needId(args);
      await ctx.traced('create', id, () => ctx.runtime.create(id, createOptions(flags)));
      return 0;
    },
  },
  start: {
    flags: {},
    async run(ctx, _flags, args) {
      const id = needId(args);
      await ctx.traced('start', id, () => ctx.runtime.start(id));
      return 0;
    },
  },
  run: {
    flags: { ...CREATE_FLAGS, detach: { type: 'boolean', short: 'd' }, keep: { type: 'boolean' } },
    async run(ctx, flags, args) {
      const id = needId(args);
      if (bool(flags, 'detach')) {
        await ctx.traced('create', id, () => ctx.runtime.create(id, createOptions(flags)));
        await ctx.runtime.start(id);
        return 0;
      }
      const launched = await ctx.traced('run', id, () => ctx.runtime.run(id, createOptions(flags)));
      return launched.exited;
    },
  },
  state: {
    flags: {},
    async run(ctx, _flags, args) {
      ctx.out(`${JSON.stringify(await ctx.runtime.state(needId(args)), null, '  ')}\n`);
      return 0;
    },
  },
  list: {
    flags: { format: { type: 'string', short: 'f' }, quiet: { type: 'boolean', short: 'q' } },
    async run(ctx, flags) {
      const states = await ctx.runtime.list();
      if (bool(flags, 'quiet')) ctx.out(states.map((s) => `${s.id}\n`).join(''));
      else if (str(flags, 'format') === 'json') ctx.out(`${JSON.stringify(states)}\n`);
      else ctx.out(table(states));
      return 0;
    },
  },
  kill: {
    flags: { all: { type: 'boolean', short: 'a' } },
    async run(ctx, flags, args) {
      const id = needId(args);
      const signal = parseSignal(args[1] ?? 'SIGTERM');
      await ctx.traced('kill', id, () => ctx.runtime.kill(id, signal, bool(flags, 'all')));
      return 0;
    },
  },
  delete: {
    flags: { force: { type: 'boolean', short: 'f' } },
    async run(ctx, flags, args) {
      const id = needId(args);
      await ctx.traced('delete', id, () => ctx.runtime.delete(id, bool(flags, 'force')));
      return 0;
    },
  },
  exec: {
    stopAtId: true,
    flags: {
      detach: { type: 'boolean', short: 'd' },
      tty: { type: 'boolean', short: 't' },
      process: { type: 'string', short: 'p' },
      'console-socket': { type: 'string' },
      'pid-file': { type: 'string' },
      env: { type: 'string', short: 'e', multiple: true },
      cwd: { type: 'string' },
      user: { type: 'string', short: 'u' },
      'additional-gids': { type: 'string', short: 'g', multiple: true },
      cap: { type: 'string', short: 'c', multiple: true },
      'no-new-privs': { type: 'boolean' },
      'process-label': { type: 'string' },
      apparmor: { type: 'string' },
      'preserve-fds': { type: 'string' },
    },
    async run(ctx, flags, args) {
      const id = needId(args);
      const spec = (await ctx.runtime.store.load(id)).spec;
      const proc = await execProcess(spec, flags, args.slice(1));
      const detach = bool(flags, 'detach');
      const launched = await ctx.traced('exec', id, () =>
        ctx.runtime.exec(id, proc, {
          detach,
          consoleSocket: str(flags, 'console-socket'),
          pidFile: str(flags, 'pid-file'),
        }),
      );
      return detach ? 0 : launched.exited;
    },
  },
  ps: {
    stopAtId: true,
    flags: { format: { type: 'string', short: 'f' } },
    async run(ctx, flags, args) {
      const pids = await ctx.runtime.ps(needId(args));
      if (str(flags, 'format') === 'json') {
        ctx.out(`${JSON.stringify(pids)}\n`);
        return 0;
      }
      // As runc: ps(1) output (extra args are ps options), limited to the container's pids.
      const psArgs = args.length > 1 ? args.slice(1) : ['-ef'];
      const { execFileSync } = await import('node:child_process');
      const lines = execFileSync('ps', psArgs, { encoding: 'utf8' }).split('\n');
      const pidCol = (lines[0] ?? '').trim().split(/\s+/).indexOf('PID');
      const mine = lines
        .slice(1)
        .filter((l) => pids.includes(Number(l.trim().split(/\s+/)[pidCol])));
      ctx.out(`${[lines[0], ...mine].join('\n')}\n`);
      return 0;
    },
  },
  pause: {
    flags: {},
    async run(ctx, _f, args) {
      await ctx.runtime.pause(needId(args));
      return 0;
    },
  },
  resume: {
    flags: {},
    async run(ctx, _f, args) {
      await ctx.runtime.resume(needId(args));
      return 0;
    },
  },
  update: {
    flags: UPDATE_FLAGS,
    async run(ctx, flags, args) {
      await ctx.runtime.update(needId(args), await updateResources(flags));
      return 0;
    },
  },
  events: {
    flags: { stats: { type: 'boolean' }, interval: { type: 'string' } },
    async run(ctx, flags, args) {
      const id = needId(args);
      const once = async () => {
        const data = runcStats(await ctx.runtime.stats(id));
        ctx.out(`${JSON.stringify({ type: 'stats', id, data })}\n`);
      };
      if (bool(flags, 'stats')) {
        await once();
        return 0;
      }
      const ms = Number((str(flags, 'interval') ?? '5s').replace(/s$/, '')) * 1000;
      for (;;) {
        if ((await ctx.runtime.state(id)).status === 'stopped') return 0;
        await once();
        await new Promise((r) => setTimeout(r, ms));
      }
    },
  },
  features: {
    flags: {},
    async run(ctx) {
      ctx.out(`${JSON.stringify(features(), null, '    ')}\n`);
      return 0;
    },
  },
};

export const GLOBAL_FLAGS: FlagTable = {
  root: { type: 'string' },
  log: { type: 'string' },
  'log-format': { type: 'string' },
  debug: { type: 'boolean' },
  'systemd-cgroup': { type: 'boolean' },
  criu: { type: 'string' },
  rootless: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
};

export function parseCommand(argv: string[]): {
  global: Flags;
  name: string;
  command: Command;
  flags: Flags;
  args: string[];
} {
  const g = parseFlags(argv, GLOBAL_FLAGS, true);
  const name = g.positionals[0];
  if (!name) throw new UsageError('no command given; see runc(8)');
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`No help topic for '${name}'`);
  const c = parseFlags(g.rest, command.flags, command.stopAtId === true);
  return { global: g.flags, name, command, flags: c.flags, args: [...c.positionals, ...c.rest] };
}
