// The unmodified docker CLI (28.2, and 20.10 where cheap) against berth-dockerd on upstream
// containerd 1.6 with runc: events, stats, update, and Docker's security defaults.
import { execFile, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDaemon, type TestDaemon } from './helpers/test-daemon';

const execFileAsync = promisify(execFile);
const CLI = '/usr/local/bin/docker';
const OLD_CLI = '/usr/bin/docker';

// Reports the errno of clone3, mount and unshare(CLONE_NEWUSER), 0 when they succeed.
const PROBE_SOURCE = `
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
static int err(long rc) { return rc < 0 ? errno : 0; }
int main(void) {
  printf("clone3=%d ", err(syscall(SYS_clone3, NULL, 0)));
  printf("mount=%d ", err(mount("none", "/tmp", "tmpfs", 0, NULL)));
  printf("unshare=%d\\n", err(unshare(CLONE_NEWUSER)));
  return 0;
}
`;

describe('docker events, stats, update and security options', { tags: ['kernel'] }, () => {
  let dir: string;
  let host: string;
  let probe: string;
  let t: TestDaemon;

  const docker = async (args: string[], cli = CLI) => {
    const child = spawn(cli, ['-H', host, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
    return { code, stdout, stderr };
  };
  const ok = async (args: string[], cli = CLI) => {
    const res = await docker(args, cli);
    if (res.code !== 0)
      throw new Error(`docker ${args.join(' ')} exited ${res.code}: ${res.stderr}`);
    return res.stdout;
  };
  const run = (...args: string[]) => ok(['run', '--rm', '--network', 'none', ...args]);
  const cgroupFile = (controller: string, id: string, file: string) =>
    readFileSync(
      join('/sys/fs/cgroup', controller, t.config.cgroupParent, id, file),
      'utf8',
    ).trim();
  /** GET on the API socket, returning the body once the server ends it. */
  const get = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ socketPath: host.slice('unix://'.length), path }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });

  beforeAll(async () => {
    t = await startTestDaemon('stats', { images: ['small'] });
    ({ dir, host } = t);
    probe = join(dir, 'probe');
    writeFileSync(`${probe}.c`, PROBE_SOURCE);
    await execFileAsync('gcc', ['-static', '-O1', '-o', probe, `${probe}.c`]);
  }, 60_000);
  afterAll(() => t?.close(), 60_000);

  it('replays and filters events with --since/--until, and streams new ones', async () => {
    const since = Math.floor(Date.now() / 1000) - 1;
    // --since replays what happened before the CLI subscribed; the rest arrives live.
    const live = spawn(CLI, [
      '-H',
      host,
      'events',
      '--since',
      String(since),
      '--filter',
      'type=container',
      '--filter',
      'label=team=blue',
      '--format',
      '{{json .}}',
    ]);
    let streamed = '';
    live.stdout.on('data', (c: Buffer) => (streamed += c.toString()));
    const res = await docker([
      'run',
      '--name',
      'ev',
      '--network',
      'none',
      '--label',
      'team=blue',
      'berth.test/small',
      'sh',
      '-c',
      'exit 3',
    ]);
    expect(res.code).toBe(3);
    await ok(['rm', 'ev']);
    const until = Math.ceil(Date.now() / 1000) + 1;
    const window = ['--since', String(since), '--until', String(until)];
    const format = [
      '--format',
      '{{.Type}} {{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.exitCode}}',
    ];
    const all = await ok(['events', ...window, '--filter', 'container=ev', ...format]);
    expect(all.trim().split('\n')).toEqual([
      'container create ev <no value>',
      'container attach ev <no value>',
      'container start ev <no value>',
      'container die ev 3',
      'container destroy ev <no value>',
    ]);
    expect(await ok(['events', ...window, '--filter', 'event=die', ...format])).toBe(
      'container die ev 3\n',
    );
    expect(
      await ok([
        'events',
        ...window,
        '--filter',
        'label=team=blue',
        '--filter',
        'event=destroy',
        ...format,
      ]),
    ).toBe('container destroy ev <no value>\n');
    expect(await ok(['events', ...window, '--filter', 'label=team=red', ...format])).toBe('');
    // The 20.10 CLI reads the legacy status/id/from fields.
    expect(
      await ok(
        ['events', ...window, '--filter', 'event=start', '--format', '{{.Status}} {{.From}}'],
        OLD_CLI,
      ),
    ).toBe('start berth.test/small\n');
    // lifecycle and exec events of a detached container, and image events
    const id = (
      await ok([
        'run',
        '-d',
        '--name',
        'evx',
        '--network',
        'none',
        'berth.test/small',
        'sleep',
        '30',
      ])
    ).trim();
    expect((await docker(['exec', 'evx', 'sh', '-c', 'exit 4'])).code).toBe(4);
    for (const step of [
      ['top', 'evx'],
      ['pause', 'evx'],
      ['unpause', 'evx'],
      ['rename', 'evx', 'evy'],
      ['stop', '-t', '0', 'evy'],
      ['rm', 'evy'],
    ])
      await ok(step);
    await ok(['tag', 'berth.test/small', 'mine:1']);
    await ok(['rmi', 'mine:1']);
    const later = ['--since', String(since), '--until', String(Math.ceil(Date.now() / 1000) + 1)];
    const actions = ['--format', '{{.Action}} {{.Actor.Attributes.name}}'];
    expect(
      (await ok(['events', ...later, '--filter', `container=${id.slice(0, 12)}`, ...actions]))
        .trim()
        .split('\n'),
    ).toEqual([
      'create evx',
      'start evx',
      'exec_create: sh -c exit 4 evx',
      'exec_start: sh -c exit 4 evx',
      'exec_die evx',
      'top evx',
      'pause evx',
      'unpause evx',
      'rename evy',
      'kill evy',
      'kill evy',
      'die evy',
      'stop evy',
      'destroy evy',
    ]);
    expect(
      await ok([
        'events',
        ...later,
        '--filter',
        'event=kill',
        '--format',
        '{{.Actor.Attributes.signal}}',
      ]),
    ).toBe('15\n9\n');
    expect(
      await ok([
        'events',
        ...later,
        '--filter',
        'event=exec_die',
        '--format',
        '{{.Actor.Attributes.execID}} {{.Actor.Attributes.exitCode}}',
      ]),
    ).toMatch(/^[0-9a-f]{64} 4\n$/);
    expect(await ok(['events', ...later, '--filter', 'event=exec_start', ...actions])).toBe(
      'exec_start: sh -c exit 4 evx\n',
    );
    expect(
      await ok([
        'events',
        ...later,
        '--filter',
        'container=evy',
        '--filter',
        'event=rename',
        '--format',
        '{{.Actor.Attributes.oldName}}',
      ]),
    ).toBe('/evx\n');
    expect(
      await ok([
        'events',
        ...later,
        '--filter',
        'type=image',
        '--filter',
        'event=tag',
        '--filter',
        'event=untag',
        ...actions,
      ]),
    ).toMatch(/^tag mine:1\nuntag sha256:[0-9a-f]{64}\n$/);
    expect(
      await ok(['events', '--since', '5m', '--until', '0s', '--filter', 'event=load', ...actions]),
    ).toMatch(/^load sha256:[0-9a-f]{64}\n$/);
    // Relative times are Docker's Go durations, read by the daemon as well as the CLI.
    const raw = await get(
      `/v1.50/events?since=1m&until=0s&filters=${encodeURIComponent('{"event":["destroy"],"label":["team=blue"]}')}`,
    );
    expect(raw.status).toBe(200);
    const destroyed = raw.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(destroyed, raw.body).toHaveLength(1);
    expect(destroyed[0]).toMatchObject({
      status: 'destroy',
      from: 'berth.test/small',
      Type: 'container',
      Action: 'destroy',
      scope: 'local',
      Actor: { Attributes: { name: 'ev', image: 'berth.test/small', team: 'blue' } },
    });
    expect((await get('/events?since=tomorrow')).body).toMatch(
      /failed to parse value as time or duration/,
    );
    await expect.poll(() => streamed.split('\n').length, { timeout: 5000 }).toBeGreaterThan(5);
    live.kill();
    expect(
      streamed
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { Action: string }).Action),
    ).toEqual(['create', 'attach', 'start', 'die', 'destroy']);
  });

  it('reports stats, and applies docker update to the cgroup, inspect and stats', async () => {
    const id = (
      await ok([
        'run',
        '-d',
        '--name',
        'busy',
        '--network',
        'none',
        'berth.test/small',
        'sh',
        '-c',
        'while :; do :; done',
      ])
    ).trim();
    const format = ['--format', '{{.CPUPerc}}|{{.MemUsage}}|{{.PIDs}}'];
    const [cpu = '', mem = '', pids] = (await ok(['stats', '--no-stream', ...format, 'busy']))
      .trim()
      .split('|');
    // a busy loop: well above idle even on a loaded machine, at most one of the CPUs
    expect(Number.parseFloat(cpu)).toBeGreaterThan(5);
    expect(Number.parseFloat(cpu)).toBeLessThan(110);
    const hostGiB = (totalmem() / 2 ** 30).toFixed(2);
    expect(mem).toMatch(new RegExp(`^[\\d.]+[KM]iB / ${hostGiB}GiB$`));
    expect(pids).toBe('1');

    expect((await docker(['update', '-m', '4m', 'busy'])).stderr).toMatch(
      /Minimum memory limit allowed is 6MB/,
    );
    expect((await docker(['update', '-m', '64m', 'busy'])).stderr).toMatch(
      /Cannot update container [0-9a-f]{64}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time/,
    );
    await ok([
      'update',
      '-m',
      '64m',
      '--memory-swap',
      '128m',
      '--cpus',
      '0.5',
      '--pids-limit',
      '50',
      'busy',
    ]);
    expect(cgroupFile('memory', id, 'memory.limit_in_bytes')).toBe(String(64 * 2 ** 20));
    expect(cgroupFile('memory', id, 'memory.memsw.limit_in_bytes')).toBe(String(128 * 2 ** 20));
    expect(cgroupFile('cpu', id, 'cpu.cfs_quota_us')).toBe('50000');
    expect(cgroupFile('pids', id, 'pids.max')).toBe('50');
    expect(
      await ok([
        'inspect',
        '--format',
        '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}',
        'busy',
      ]),
    ).toBe(`${64 * 2 ** 20} ${128 * 2 ** 20} 500000000 50\n`);
    expect((await docker(['update', '--cpu-quota', '20000', 'busy'])).stderr).toMatch(
      /Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set/,
    );
    const limited = (await ok(['stats', '--no-stream', ...format, 'busy'])).trim().split('|');
    expect(limited[1]).toMatch(/ \/ 64MiB$/);
    expect(
      await ok(['stats', '--no-stream', '--format', '{{.MemUsage}}', 'busy'], OLD_CLI),
    ).toMatch(/^[\d.]+[KM]iB \/ 64MiB\n$/);
    expect(Number.parseFloat(limited[0] ?? '')).toBeLessThan(70);

    // The new limits outlive a restart: they are in the spec containerd keeps.
    await ok(['update', '--restart', 'on-failure:2', 'busy']);
    await ok(['restart', '-t', '0', 'busy']);
    expect(cgroupFile('memory', id, 'memory.limit_in_bytes')).toBe(String(64 * 2 ** 20));
    expect(
      await ok([
        'inspect',
        '--format',
        '{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}',
        'busy',
      ]),
    ).toBe('on-failure 2\n');

    const oneShot = JSON.parse((await get(`/containers/${id}/stats?stream=0&one-shot=1`)).body);
    expect(oneShot).toMatchObject({ id, name: '/busy', preread: '0001-01-01T00:00:00Z' });
    expect(oneShot.cpu_stats.online_cpus).toBeGreaterThan(0);
    expect(oneShot.cpu_stats.system_cpu_usage).toBeGreaterThan(0);
    expect(oneShot.memory_stats.stats.total_inactive_file).toBeTypeOf('number');
    expect(oneShot.pids_stats).toEqual({ current: 1, limit: 50 });
    expect((await get(`/containers/${id}/stats?stream=1&one-shot=1`)).status).toBe(400);
    // streaming: one sample a second, each carrying the previous one's CPU figures
    const [first, second] = await new Promise<Record<string, unknown>[]>((resolve, reject) => {
      const req = request(
        { socketPath: host.slice('unix://'.length), path: `/containers/${id}/stats` },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => {
            body += c.toString();
            const lines = body.split('\n').filter(Boolean);
            if (lines.length < 2) return;
            req.destroy();
            resolve(lines.map((l) => JSON.parse(l) as Record<string, unknown>));
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(second!.preread).toBe(first!.read);
    expect(second!.precpu_stats).toEqual(first!.cpu_stats);
    const gapMs = Date.parse(second!.read as string) - Date.parse(first!.read as string);
    expect(gapMs).toBeGreaterThanOrEqual(900);
    expect(gapMs).toBeLessThan(3000);
    await ok(['rm', '-f', 'busy']);

    // create: Docker's checks and its default swap (twice the memory), which update respects
    expect((await docker(['create', '-m', '4m', 'berth.test/small'])).stderr).toMatch(
      /Minimum memory limit allowed is 6MB/,
    );
    await ok(['create', '--name', 'capped', '-m', '32m', 'berth.test/small', 'true']);
    await ok(['update', '-m', '48m', 'capped']);
    expect(
      await ok([
        'inspect',
        '--format',
        '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}',
        'capped',
      ]),
    ).toBe(`${48 * 2 ** 20} ${64 * 2 ** 20}\n`);
    await ok(['rm', 'capped']);
  }, 30_000);

  it("confines containers with Docker's default seccomp profile and capabilities", async () => {
    const probeMount = ['-v', `${probe}:/probe:ro`];
    const status = 'grep -E "^(Seccomp|CapEff|NoNewPrivs):" /proc/self/status | tr "\\n\\t" "  "';
    // default: clone3 answers ENOSYS (38), mount and user namespaces EPERM (1)
    expect(await run(...probeMount, 'berth.test/small', 'sh', '-c', `/probe; ${status}`)).toMatch(
      /^clone3=38 mount=1 unshare=1\nCapEff: 00000000a80425fb NoNewPrivs: 0 Seccomp: 2 $/,
    );
    expect(
      (
        await docker([
          'run',
          '--rm',
          '--network',
          'none',
          'berth.test/small',
          'unshare',
          '-U',
          'true',
        ])
      ).stderr,
    ).toMatch(/Operation not permitted/);
    // CAP_SYS_ADMIN lifts the namespace rules, as in Docker's profile
    expect(await run(...probeMount, '--cap-add', 'SYS_ADMIN', 'berth.test/small', '/probe')).toBe(
      'clone3=22 mount=0 unshare=0\n',
    );
    expect(
      await run(
        ...probeMount,
        '--security-opt',
        'seccomp=unconfined',
        'berth.test/small',
        'sh',
        '-c',
        `/probe; ${status}`,
      ),
    ).toMatch(/^clone3=22 mount=1 unshare=0\n.*Seccomp: 0 $/);
    // --privileged: every capability dockerd holds, no seccomp, the host's devices
    const ownBoundingSet = /^CapBnd:\s*(\w+)$/m.exec(
      readFileSync('/proc/self/status', 'utf8'),
    )?.[1];
    const privileged = await run(
      ...probeMount,
      '--privileged',
      'berth.test/small',
      'sh',
      '-c',
      `/probe; ${status}; ls /dev | wc -l`,
    );
    expect(privileged).toMatch(
      new RegExp(
        `^clone3=22 mount=0 unshare=0\nCapEff: ${ownBoundingSet} NoNewPrivs: 0 Seccomp: 0 `,
      ),
    );
    expect(Number(privileged.trim().split(' ').pop())).toBeGreaterThan(20);
    expect(
      await run(
        '--cap-drop',
        'ALL',
        '--security-opt',
        'no-new-privileges',
        'berth.test/small',
        'sh',
        '-c',
        status,
      ),
    ).toMatch(/CapEff: 0000000000000000 NoNewPrivs: 1 Seccomp: 2 $/);
    // a profile file: the CLI sends its content
    const profile = join(dir, 'no-mkdir.json');
    writeFileSync(
      profile,
      JSON.stringify({
        defaultAction: 'SCMP_ACT_ALLOW',
        syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 }],
      }),
    );
    expect(
      (
        await docker([
          'run',
          '--rm',
          '--network',
          'none',
          '--security-opt',
          `seccomp=${profile}`,
          'berth.test/small',
          'mkdir',
          '/x',
        ])
      ).stderr,
    ).toMatch(/Permission denied/);
    expect(
      await run(
        '--security-opt',
        'apparmor=unconfined',
        '--security-opt',
        'label=disable',
        '--device',
        '/dev/null:/dev/mynull',
        'berth.test/small',
        'sh',
        '-c',
        'echo x > /dev/mynull && echo written',
      ),
    ).toBe('written\n');
    expect(
      (await docker(['run', '--rm', '--security-opt', 'bogus=1', 'berth.test/small', 'true']))
        .stderr,
    ).toMatch(/invalid --security-opt 2: "bogus=1"/);
  }, 30_000);
});
