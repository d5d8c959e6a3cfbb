// Docker's rules that need no kernel: references, config merge, capabilities, spec defaults,
// --user resolution, json-file lines.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { containerCapabilities } from '../src/containers/capabilities';
import { JsonLogWriter, readLogEntries } from '../src/containers/json-log';
import { mergeImageConfig } from '../src/containers/manager';
import { parseBind } from '../src/containers/mounts';
import { createdState, ZERO_TIME, type ContainerRecord } from '../src/containers/record';
import { buildSpec, containerEnv } from '../src/containers/spec';
import { resolveUser } from '../src/containers/user';
import { chainIds } from '../src/images/chain-id';
import { familiarName, normalizedTagged, parseReference } from '../src/images/reference';

describe('image references', () => {
  it('normalises as Docker does', () => {
    expect(normalizedTagged('busybox')).toBe('docker.io/library/busybox:latest');
    expect(normalizedTagged('user/app:1.0')).toBe('docker.io/user/app:1.0');
    expect(normalizedTagged('localhost:5000/app')).toBe('localhost:5000/app:latest');
    expect(normalizedTagged('berth.test/small')).toBe('berth.test/small:latest');
    expect(parseReference(`a@sha256:${'0'.repeat(64)}`)).toEqual({
      name: 'docker.io/library/a',
      digest: `sha256:${'0'.repeat(64)}`,
    });
    expect(familiarName('docker.io/library/busybox:latest')).toBe('busybox:latest');
    expect(familiarName('docker.io/user/app:1')).toBe('user/app:1');
  });

  it('rejects what Docker rejects, with its wording and status', () => {
    expect(() => parseReference('Upper/case')).not.toThrow(); // "Upper" is a registry host
    expect(() => parseReference('library/Busybox')).toThrow(
      /repository name \(library\/Busybox\) must be lowercase/,
    );
    expect(() => parseReference('a:b:c')).toThrow(/invalid reference format/);
    expect(() => parseReference('')).toThrow(expect.objectContaining({ statusCode: 400 }));
  });
});

describe('chain IDs', () => {
  it('chains diff IDs as the OCI image spec defines', () => {
    const a = `sha256:${'a'.repeat(64)}`;
    const b = `sha256:${'b'.repeat(64)}`;
    const [first, second] = chainIds([a, b]);
    expect(first).toBe(a);
    expect(second).toBe('sha256:' + createHash('sha256').update(`${a} ${b}`).digest('hex'));
  });
});

describe('create config', () => {
  const image = {
    Env: ['PATH=/bin', 'A=1'],
    Cmd: ['sh'],
    Entrypoint: ['/init'],
    WorkingDir: '/srv',
    User: 'nobody',
  };

  it('merges the image config under the request (runconfig merge)', () => {
    const merged = mergeImageConfig({ Env: ['A=2'], Image: 'x' }, image);
    expect(merged).toMatchObject({
      Env: ['PATH=/bin', 'A=2'],
      Cmd: ['sh'],
      Entrypoint: ['/init'],
      WorkingDir: '/srv',
      User: 'nobody',
    });
    expect(mergeImageConfig({ Cmd: ['echo'] }, image)).toMatchObject({
      Cmd: ['echo'],
      Entrypoint: ['/init'],
    });
    // an explicit entrypoint drops the image's Cmd
    const explicit = mergeImageConfig({ Entrypoint: ['/bin/ls'] }, image);
    expect(explicit.Entrypoint).toEqual(['/bin/ls']);
    expect(explicit.Cmd).toBeUndefined();
  });

  it('grants the 14 default capabilities, adjusted by add/drop and privileged', () => {
    expect(containerCapabilities(null, null, false)).toHaveLength(14);
    const caps = containerCapabilities(['net_admin'], ['MKNOD'], false);
    expect(caps).toContain('CAP_NET_ADMIN');
    expect(caps).not.toContain('CAP_MKNOD');
    expect(containerCapabilities(null, ['ALL'], false)).toEqual([]);
    expect(containerCapabilities(null, null, true)).toContain('CAP_SYS_ADMIN');
    expect(() => containerCapabilities(['bogus'], null, false)).toThrow(/unknown capability/);
  });

  it('builds a spec with Docker defaults', () => {
    const record: ContainerRecord = {
      Id: 'f'.repeat(64),
      Name: '/x',
      Created: ZERO_TIME,
      Path: 'sh',
      Args: ['-c', 'true'],
      Image: 'sha256:0',
      Config: { Hostname: 'ffffffffffff', Env: ['PATH=/bin'], Tty: true },
      HostConfig: {
        NetworkMode: 'none',
        Memory: 1 << 26,
        NanoCpus: 5e8,
        Binds: ['/tmp:/data:ro'],
        SecurityOpt: ['no-new-privileges'],
      },
      State: createdState(),
      RestartCount: 0,
      StoppedByUser: false,
      MountPoints: [parseBind('/tmp:/data:ro')],
    };
    const user = { uid: 0, gid: 0, additionalGids: [], home: '/root' };
    const spec = buildSpec({
      record,
      user,
      env: containerEnv(record, user),
      etcFiles: { hostname: '/h', hosts: '/hs', resolvConf: '/r' },
      cgroupParent: '/docker',
    }) as {
      process: Record<string, unknown>;
      mounts: { destination: string; options: string[] }[];
      linux: Record<string, unknown>;
    };
    expect(spec.process.env).toEqual([
      'HOSTNAME=ffffffffffff',
      'TERM=xterm',
      'PATH=/bin',
      'HOME=/root',
    ]);
    expect(spec.process.noNewPrivileges).toBe(true);
    expect(spec.mounts.map((m) => m.destination)).toEqual([
      '/proc',
      '/dev',
      '/dev/pts',
      '/sys',
      '/sys/fs/cgroup',
      '/dev/mqueue',
      '/dev/shm',
      '/etc/resolv.conf',
      '/etc/hostname',
      '/etc/hosts',
      '/data',
    ]);
    expect(spec.mounts.at(-1)?.options).toContain('ro');
    expect(spec.linux.namespaces).toContainEqual({ type: 'network' });
    expect(spec.linux.cgroupsPath).toBe(`/docker/${record.Id}`);
    expect(spec.linux.resources).toMatchObject({
      memory: { limit: 1 << 26 },
      cpu: { quota: 50_000, period: 100_000 },
    });
    expect(spec.linux.maskedPaths).toContain('/proc/kcore');
  });
});

describe('--user', () => {
  const files: Record<string, string> = {
    '/etc/passwd':
      'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n',
    '/etc/group': 'root:x:0:\nstaff:x:50:nobody\nnogroup:x:65534:\n',
  };
  const read = (p: string) => files[p];

  it('resolves names, ids and groups against the container files', () => {
    expect(resolveUser('nobody', read)).toEqual({
      uid: 65534,
      gid: 65534,
      additionalGids: [50],
      home: '/nonexistent',
    });
    expect(resolveUser('1000:50', read)).toMatchObject({ uid: 1000, gid: 50 });
    expect(resolveUser('', read)).toMatchObject({ uid: 0, gid: 0, home: '/root' });
    expect(() => resolveUser('ghost', read)).toThrow(/unable to find user ghost/);
  });
});

describe('json-file log', () => {
  it('writes one entry per line and keeps partial lines until they end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-dockerd-log-'));
    try {
      const log = new JsonLogWriter(join(dir, 'c-json.log'));
      const seen: string[] = [];
      log.subscribe((e) => seen.push(e.log));
      log.write('stdout', Buffer.from('a\nb'));
      log.write('stderr', Buffer.from('err\n'));
      log.write('stdout', Buffer.from('c\n'));
      log.flush('stdout');
      const entries = await readLogEntries(log.path, log.size());
      log.close();
      expect(entries.map((e) => [e.stream, e.log])).toEqual([
        ['stdout', 'a\n'],
        ['stderr', 'err\n'],
        ['stdout', 'bc\n'],
      ]);
      expect(seen).toEqual(['a\n', 'err\n', 'bc\n']);
      expect(entries[0]?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      expect(readFileSync(log.path, 'utf8').split('\n')).toHaveLength(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
