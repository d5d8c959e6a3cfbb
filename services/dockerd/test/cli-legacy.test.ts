// Debian's docker CLI 20.10 (API 1.41) on berth-dockerd, for the issue #7 commands no other
// suite runs through it: one daemon, one row per command in the order a user would type them,
// each asserting what the command printed and what it changed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTestImages } from '@berth/test-images';
import { startUpstreamRegistry, type RunningRegistry } from '@berth/test-peers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerCli, type CliResult } from './helpers/docker-cli';
import { dockerOnPty } from './helpers/pty';
import { startTestDaemon, type TestDaemon } from './helpers/test-daemon';

const OLD_CLI = '/usr/bin/docker';
const SMALL = 'berth.test/small';
const ID = /^[0-9a-f]{64}\n$/;
const LOOP = 'trap "exit 0" TERM; echo ready; while true; do sleep 0.2; done';

interface Row {
  args: string[];
  /** stdout, exactly or by pattern (with `tty`, everything the terminal showed) */
  out: string | RegExp;
  code?: number;
  input?: string;
  /** run on a pseudo-terminal, for -it */
  tty?: boolean;
  /** what the command changed, checked after it */
  then?: () => Promise<void> | void;
}

describe('the docker 20.10 CLI on berth-dockerd', { tags: ['kernel'] }, () => {
  let t: TestDaemon;
  let registry: RunningRegistry;
  let archive: string;
  let old: ReturnType<typeof dockerCli>;

  beforeAll(async () => {
    [t, registry, archive] = await Promise.all([
      startTestDaemon('legacy'),
      startUpstreamRegistry(),
      ensureTestImages(['small']).then((images) => images.small!.dockerArchive),
    ]);
    old = dockerCli(t.host, OLD_CLI);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await registry?.stop();
  }, 60_000);

  const inspect = async (format: string, name: string) =>
    (await t.cli.ok(['inspect', '--format', format, name])).trim();
  const cgroupFile = async (controller: string, name: string, file: string) => {
    const id = await inspect('{{.Id}}', name);
    return readFileSync(
      join('/sys/fs/cgroup', controller, t.config.cgroupParent, id, file),
      'utf8',
    ).trim();
  };

  const rows: Row[] = [
    {
      args: ['version', '--format', '{{.Client.APIVersion}} {{.Server.APIVersion}} {{.Server.Os}}'],
      out: /^1\.41 1\.\d+ linux\n$/,
    },
    { args: ['load', '-i', '$ARCHIVE'], out: `Loaded image: ${SMALL}:latest\n` },
    {
      args: ['info', '--format', '{{.Images}} {{.Containers}} {{.Driver}}'],
      out: '1 0 overlayfs\n',
    },
    {
      args: ['tag', SMALL, 'legacy:v1'],
      out: '',
      then: async () =>
        expect(await inspect('{{join .RepoTags " "}}', SMALL)).toBe(`${SMALL}:latest legacy:v1`),
    },
    {
      args: [
        ...['run', '-d', '--name', 'l1', '--network', 'none', '-e', 'A=b', '-w', '/tmp'],
        ...['-u', 'nobody', '-m', '64m', '--cpus', '0.5', '--pids-limit', '50', '--read-only'],
        ...['--cap-drop', 'ALL', '-v', 'lvol:/data', 'legacy:v1', 'sh', '-c', LOOP],
      ],
      out: ID,
      then: async () => {
        expect(await cgroupFile('memory', 'l1', 'memory.limit_in_bytes')).toBe(String(64 << 20));
        expect(await cgroupFile('cpu', 'l1', 'cpu.cfs_quota_us')).toBe('50000');
        expect(await cgroupFile('pids', 'l1', 'pids.max')).toBe('50');
      },
    },
    {
      args: [
        ...['inspect', '--format'],
        '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}} {{.HostConfig.ReadonlyRootfs}} {{.HostConfig.CapDrop}} {{(index .Mounts 0).Name}}',
        'l1',
      ],
      out: '67108864 500000000 50 true [ALL] lvol\n',
    },
    {
      args: [
        ...['exec', 'l1', 'sh', '-c'],
        'echo $A; pwd; id -u; grep CapEff /proc/self/status; touch /f 2>&1; ls -d /data',
      ],
      out: 'b\n/tmp\n65534\nCapEff:\t0000000000000000\ntouch: /f: Read-only file system\n/data\n',
    },
    { args: ['exec', '-i', 'l1', 'cat'], input: 'piped\n', out: 'piped\n' },
    {
      args: ['exec', '-it', 'l1', 'sh', '-c', 'tty; exit 3'],
      tty: true,
      out: /\/dev\/pts\/\d+/,
      code: 3,
    },
    {
      args: ['ps', '--format', '{{.Names}} {{.Image}} {{.Status}}'],
      out: /^l1 legacy:v1 Up .*\n$/,
    },
    { args: ['logs', 'l1'], out: 'ready\n' },
    { args: ['top', 'l1'], out: /\n\S+ +\d+ .*sh -c trap/ },
    {
      args: ['pause', 'l1'],
      out: 'l1\n',
      then: async () => expect(await inspect('{{.State.Status}}', 'l1')).toBe('paused'),
    },
    {
      args: ['unpause', 'l1'],
      out: 'l1\n',
      then: async () => expect(await inspect('{{.State.Status}}', 'l1')).toBe('running'),
    },
    {
      args: ['rename', 'l1', 'l1b'],
      out: '',
      then: async () => expect(await inspect('{{.Name}}', 'l1b')).toBe('/l1b'),
    },
    {
      args: ['stop', '-t', '5', 'l1b'],
      out: 'l1b\n',
      then: async () =>
        expect(await inspect('{{.State.Status}} {{.State.ExitCode}}', 'l1b')).toBe('exited 0'),
    },
    { args: ['start', 'l1b'], out: 'l1b\n' },
    {
      args: ['restart', '-t', '1', 'l1b'],
      out: 'l1b\n',
      then: async () =>
        expect(await inspect('{{.State.Running}} {{.RestartCount}}', 'l1b')).toBe('true 0'),
    },
    {
      args: ['kill', 'l1b'],
      out: 'l1b\n',
      then: async () => expect(await inspect('{{.State.ExitCode}}', 'l1b')).toBe('137'),
    },
    { args: ['start', 'l1b'], out: 'l1b\n' },
    {
      args: ['rm', '-f', 'l1b'],
      out: 'l1b\n',
      then: async () => expect((await t.cli.docker(['inspect', 'l1b'])).code).toBe(1),
    },
    {
      args: [
        'run',
        '-d',
        '--name',
        'l2',
        '--network',
        'none',
        SMALL,
        'sh',
        '-c',
        'echo early; sleep 1; echo late; exit 3',
      ],
      out: ID,
    },
    // follows the log across the sleep, to the container's exit
    { args: ['logs', '-f', 'l2'], out: 'early\nlate\n' },
    { args: ['wait', 'l2'], out: '3\n' },
    { args: ['create', '--name', 'l3', SMALL, 'true'], out: ID },
    {
      args: ['ps', '-a', '--format', '{{.Names}} {{.Status}}'],
      out: /^l3 Created\nl2 Exited \(3\) .*\n$/,
    },
    {
      args: ['rm', 'l2'],
      out: 'l2\n',
      then: async () => expect(await t.cli.ok(['ps', '-aq'])).toMatch(/^[0-9a-f]{12}\n$/),
    },
    {
      args: ['container', 'prune', '-f'],
      out: /^Deleted Containers:\n[0-9a-f]{64}\n\nTotal reclaimed space: /,
      then: async () => expect(await t.cli.ok(['ps', '-aq'])).toBe(''),
    },
    {
      args: ['run', '--rm', '-it', '--network', 'none', SMALL, 'sh', '-c', 'tty; exit 6'],
      tty: true,
      out: /\/dev\/pts\/\d+/,
      code: 6,
    },
    { args: ['volume', 'create', '--label', 'era=old', 'lv2'], out: 'lv2\n' },
    {
      args: ['volume', 'inspect', '--format', '{{.Driver}} {{.Name}} {{.Labels}}', 'lvol', 'lv2'],
      out: 'local lvol map[]\nlocal lv2 map[era:old]\n',
    },
    {
      args: ['volume', 'rm', 'lvol', 'lv2'],
      out: 'lvol\nlv2\n',
      then: async () => expect(await t.cli.ok(['volume', 'ls', '-q'])).toBe(''),
    },
    { args: ['tag', SMALL, '$PUSHED'], out: '' },
    {
      args: ['push', '$PUSHED'],
      out: /: Pushed\nv1: digest: sha256:[0-9a-f]{64} size: \d+\n$/,
      then: async () => {
        const res = await fetch(`http://${registry.host}/v2/legacy/small/tags/list`);
        expect(await res.json()).toEqual({ name: 'legacy/small', tags: ['v1'] });
      },
    },
    { args: ['rmi', 'legacy:v1', '$PUSHED'], out: 'Untagged: legacy:v1\nUntagged: $PUSHED\n' },
    {
      args: ['image', 'prune', '-a', '-f'],
      out: new RegExp(
        `^Deleted Images:\nuntagged: ${SMALL}:latest\ndeleted: sha256:[0-9a-f]{64}\n`,
      ),
      then: async () => expect(await t.cli.ok(['images', '-q'])).toBe(''),
    },
  ];

  // The rows are written before beforeAll knows the archive's path and the registry's port.
  const substitute = (text: string) =>
    text.replaceAll('$ARCHIVE', archive).replaceAll('$PUSHED', `${registry.host}/legacy/small:v1`);

  for (const [index, row] of rows.entries()) {
    it(`${index + 1}: docker ${row.args.join(' ')}`.slice(0, 90), async () => {
      const args = row.args.map(substitute);
      const res = row.tty ? await onPty(args) : await old.docker(args, row.input);
      expect(res, res.stderr).toMatchObject({ code: row.code ?? 0 });
      if (typeof row.out === 'string') expect(res.stdout).toBe(substitute(row.out));
      else expect(res.stdout).toMatch(row.out);
      await row.then?.();
    });
  }

  async function onPty(args: string[]): Promise<CliResult> {
    const session = dockerOnPty(t.host, args, OLD_CLI);
    try {
      const code = await session.exited;
      return { code, stdout: session.output(), stderr: '' };
    } finally {
      session.kill();
    }
  }
});
