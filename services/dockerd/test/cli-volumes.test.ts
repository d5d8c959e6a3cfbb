// Volumes, binds, tmpfs mounts, docker cp and container prune through the unmodified docker
// CLI (28.2, and 20.10 where cheap) on berth-dockerd over upstream containerd. docker cp is
// tried against hostile symlinks (to /, and climbing out with ..) in running and stopped
// containers: nothing may be read from or written to the host through them.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { INDEX_HTML } from '@berth/test-images';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Daemon } from '../src/daemon';
import { run, type dockerCli } from './helpers/docker-cli';
import { startTestDaemon, type TestDaemon } from './helpers/test-daemon';

const OLD_CLI = '/usr/bin/docker';
const SMALL = 'berth.test/small';
const HEX64 = /^[0-9a-f]{64}$/;

describe('volumes, mounts and docker cp through the docker CLI', { tags: ['kernel'] }, () => {
  let dir: string;
  let daemon: Daemon;
  let host: string;
  let cli: ReturnType<typeof dockerCli>;
  let t: TestDaemon;
  const ok = (args: string[], input?: string) => cli.ok(args, input);
  const fails = async (args: string[]) => {
    const res = await cli.docker(args);
    expect(res.code, `docker ${args.join(' ')} should fail`).not.toBe(0);
    return res.stderr;
  };
  const inspect = async (ref: string) => JSON.parse(await ok(['inspect', ref]))[0];

  beforeAll(async () => {
    t = await startTestDaemon('volumes', { images: ['small'] });
    ({ dir, daemon, host, cli } = t);
  }, 60_000);

  afterAll(async () => {
    for (const c of daemon?.containers.list() ?? [])
      await daemon.containers.remove(c.id, { force: true }).catch(() => undefined);
    // volumes with mount options are unmounted by their removal
    await cli?.docker(['volume', 'prune', '-af']);
    await t?.close();
  }, 60_000);

  it('creates, lists, inspects, filters and removes named volumes (28.2 and 20.10)', async () => {
    expect(await ok(['volume', 'create', '--label', 'team=a', 'vol-a'])).toBe('vol-a\n');
    await ok(['volume', 'create', 'vol-b']);
    // creation is idempotent
    await ok(['volume', 'create', 'vol-b']);
    const [a] = JSON.parse(await ok(['volume', 'inspect', 'vol-a']));
    expect(a).toMatchObject({
      Name: 'vol-a',
      Driver: 'local',
      Labels: { team: 'a' },
      Mountpoint: join(dir, 'data', 'volumes', 'vol-a', '_data'),
      Scope: 'local',
    });
    expect(a.CreatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(existsSync(a.Mountpoint)).toBe(true);
    const listArgs = ['volume', 'ls', '--format', '{{.Driver}} {{.Name}}'];
    expect(await ok(listArgs)).toBe('local vol-a\nlocal vol-b\n');
    expect((await run(OLD_CLI, ['-H', host, ...listArgs])).stdout).toBe(
      'local vol-a\nlocal vol-b\n',
    );
    expect(await ok(['volume', 'ls', '-q', '--filter', 'label=team=a'])).toBe('vol-a\n');
    expect(await ok(['volume', 'ls', '-q', '--filter', 'name=-b'])).toBe('vol-b\n');
    expect(await ok(['volume', 'ls', '-q', '--filter', 'dangling=true'])).toBe('vol-a\nvol-b\n');
    expect(await fails(['volume', 'create', 'a'])).toMatch(/volume name is too short/);
    expect(await fails(['volume', 'create', 'bad/name'])).toMatch(
      /create bad\/name: "bad\/name" includes invalid characters for a local volume name/,
    );
    expect(await fails(['volume', 'create', '-o', 'colour=blue', 'vol-c'])).toMatch(
      /invalid option: "colour"/,
    );
    expect(await fails(['volume', 'create', '-d', 'nfs-plugin', 'vol-c'])).toMatch(
      /plugin "nfs-plugin" not found/,
    );
    expect(await fails(['volume', 'inspect', 'vol-c'])).toMatch(/no such volume/);
    await ok(['volume', 'rm', 'vol-a', 'vol-b']);
    expect(await ok(['volume', 'ls', '-q'])).toBe('');
    expect(existsSync(a.Mountpoint)).toBe(false);
    const events = await ok([
      'events',
      '--since',
      '0',
      '--until',
      String(Math.ceil(Date.now() / 1000) + 1),
      '--filter',
      'type=volume',
      '--format',
      '{{.Action}} {{.Actor.ID}} {{.Actor.Attributes.driver}}',
    ]);
    expect(events).toBe(
      'create vol-a local\ncreate vol-b local\ndestroy vol-a local\ndestroy vol-b local\n',
    );
  });

  it('copies image content into a new volume, keeps it across containers, refuses rm in use', async () => {
    expect(
      await ok(['run', '--rm', '-v', 'site:/var/www', SMALL, 'cat', '/var/www/index.html']),
    ).toBe(INDEX_HTML);
    await ok([
      'run',
      '--name',
      'writer',
      '-v',
      'site:/var/www',
      SMALL,
      'sh',
      '-c',
      'echo kept > /var/www/new',
    ]);
    expect(
      await ok([
        'run',
        '--rm',
        '-v',
        'site:/var/www:ro',
        SMALL,
        'cat',
        '/var/www/new',
        '/var/www/index.html',
      ]),
    ).toBe(`kept\n${INDEX_HTML}`);
    // copy-up keeps the mode of the image directory (/tmp is 1777)
    expect(
      await ok(['run', '--rm', '-v', 'scratch:/tmp', SMALL, 'stat', '-c', '%a %u', '/tmp']),
    ).toBe('1777 0\n');
    expect(
      await ok(['run', '--rm', '-v', 'empty:/var/www:nocopy', SMALL, 'ls', '-A', '/var/www']),
    ).toBe('');
    const writer = await inspect('writer');
    expect(writer.Mounts).toEqual([
      {
        Type: 'volume',
        Name: 'site',
        Source: join(dir, 'data', 'volumes', 'site', '_data'),
        Destination: '/var/www',
        Driver: 'local',
        Mode: 'z',
        RW: true,
        Propagation: '',
      },
    ]);
    expect(await fails(['volume', 'rm', 'site'])).toMatch(
      new RegExp(`remove site: volume is in use - \\[${writer.Id}\\]`),
    );
    expect(await ok(['volume', 'ls', '-q', '--filter', 'dangling=false'])).toBe('site\n');
    await ok(['rm', 'writer']);
    await ok(['volume', 'rm', 'site', 'scratch', 'empty']);
  });

  it('mounts host directories read-only and read-write, and tmpfs with its options', async () => {
    const hostDir = mkdtempSync(join(dir, 'bind-'));
    writeFileSync(join(hostDir, 'in.txt'), 'from host\n');
    const ro = await cli.docker([
      'run',
      '--rm',
      '-v',
      `${hostDir}:/x:ro`,
      SMALL,
      'sh',
      '-c',
      'cat /x/in.txt; touch /x/new',
    ]);
    expect(ro.code).toBe(1);
    expect(ro.stdout).toBe('from host\n');
    expect(ro.stderr).toMatch(/Read-only file system/);
    await ok(['run', '--rm', '-v', `${hostDir}:/x`, SMALL, 'sh', '-c', 'echo back > /x/out.txt']);
    expect(readFileSync(join(hostDir, 'out.txt'), 'utf8')).toBe('back\n');
    // Binds create a missing source; --mount type=bind refuses it, as Docker does
    await ok(['run', '--rm', '-v', `${hostDir}/made:/m`, SMALL, 'true']);
    expect(existsSync(join(hostDir, 'made'))).toBe(true);
    expect(
      await fails([
        'run',
        '--rm',
        '--mount',
        `type=bind,src=${hostDir}/nope,dst=/m`,
        SMALL,
        'true',
      ]),
    ).toMatch(
      `invalid mount config for type "bind": bind source path does not exist: ${hostDir}/nope`,
    );
    expect(await fails(['run', '--rm', '-v', `${hostDir}:rel`, SMALL, 'true'])).toMatch(
      `invalid volume specification: '${hostDir}:rel': invalid mount config for type "bind": invalid mount path: 'rel' mount path must be absolute`,
    );
    // docker cp refuses read-only destinations, as Docker does
    await ok(['create', '--name', 'ro', '--read-only', '-v', `${hostDir}:/x:ro`, SMALL, 'true']);
    expect(await fails(['cp', join(hostDir, 'in.txt'), 'ro:/x/'])).toMatch(
      /mounted volume is marked read-only/,
    );
    expect(await fails(['cp', join(hostDir, 'in.txt'), 'ro:/tmp/'])).toMatch(
      /container rootfs is marked read-only/,
    );
    await ok(['rm', 'ro']);
    const mounts = await ok([
      'run',
      '--rm',
      '--mount',
      'type=tmpfs,dst=/t,tmpfs-size=1m,tmpfs-mode=1770',
      '--tmpfs',
      '/run:exec,size=64k',
      SMALL,
      'sh',
      '-c',
      'grep -E " /(t|run) " /proc/mounts; stat -c %a /t',
    ]);
    expect(mounts).toMatch(
      /^tmpfs \/t tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k,mode=1770/m,
    );
    expect(mounts).toMatch(/^tmpfs \/run tmpfs rw,nosuid,nodev,relatime,size=64k/m);
    expect(mounts).toMatch(/^1770$/m);
  });

  it('creates anonymous volumes, removes them with rm -v and --rm, prunes as API 1.42 does', async () => {
    await ok(['run', '--name', 'anon', '-v', '/data', SMALL, 'sh', '-c', 'echo a > /data/f']);
    const [mount] = (await inspect('anon')).Mounts;
    expect(mount).toMatchObject({
      Type: 'volume',
      Destination: '/data',
      Driver: 'local',
      Mode: '',
    });
    expect(mount.Name).toMatch(HEX64);
    const [volume] = JSON.parse(await ok(['volume', 'inspect', mount.Name]));
    expect(volume.Labels).toEqual({ 'com.docker.volume.anonymous': '' });
    await ok(['rm', '-v', 'anon']);
    expect(await ok(['volume', 'ls', '-q'])).toBe('');
    await ok(['run', '--rm', '-v', '/data', SMALL, 'true']);
    expect(await ok(['volume', 'ls', '-q'])).toBe('');
    // prune: anonymous and unused only, unless --all
    await ok(['volume', 'create', 'named']);
    await ok(['run', '--name', 'keeper', '-v', '/kept', SMALL, 'true']);
    await ok(['rm', 'keeper']);
    const anonymous = (await ok(['volume', 'ls', '-q'])).split('\n').find((n) => HEX64.test(n))!;
    await ok(['run', '--name', 'user', '-v', 'used:/u', SMALL, 'true']);
    const pruned = await ok(['volume', 'prune', '-f']);
    expect(pruned).toMatch(new RegExp(`Deleted Volumes:\\n${anonymous}\\n`));
    expect(await ok(['volume', 'ls', '-q'])).toBe('named\nused\n');
    await ok(['volume', 'prune', '-af']);
    expect(await ok(['volume', 'ls', '-q'])).toBe('used\n');
    await ok(['rm', '-v', 'user']);
    // a named volume survives rm -v
    expect(await ok(['volume', 'ls', '-q'])).toBe('used\n');
    // API 1.41 (docker 20.10) prunes every unused volume, named ones included
    expect((await run(OLD_CLI, ['-H', host, 'volume', 'prune', '-f'])).stdout).toMatch(
      /Deleted Volumes:\nused\n/,
    );
    expect(await ok(['volume', 'ls', '-q'])).toBe('');
  });

  it("gives an image's VOLUME an anonymous volume filled from the image", async () => {
    const rootfs = mkdtempSync(join(dir, 'rootfs-'));
    mkdirSync(join(rootfs, 'bin'));
    mkdirSync(join(rootfs, 'srv'));
    copyFileSync('/bin/busybox', join(rootfs, 'bin', 'busybox'));
    symlinkSync('busybox', join(rootfs, 'bin', 'sh'));
    writeFileSync(join(rootfs, 'srv', 'seed'), 'seeded\n');
    execFileSync('tar', ['-C', rootfs, '-cf', `${rootfs}.tar`, '.']);
    await ok(['import', '--change', 'VOLUME /srv', `${rootfs}.tar`, 'berth.test/withvolume']);
    const id = (
      await ok(['run', '-d', 'berth.test/withvolume', '/bin/sh', '-c', 'cat /srv/seed'])
    ).trim();
    await ok(['wait', id]);
    expect(await ok(['logs', id])).toBe('seeded\n');
    const [mount] = (await inspect(id)).Mounts;
    expect(mount).toMatchObject({ Type: 'volume', Destination: '/srv', RW: true });
    expect(readFileSync(join(mount.Source, 'seed'), 'utf8')).toBe('seeded\n');
    await ok(['rm', '-v', id]);
    expect(existsSync(mount.Source)).toBe(false);
    await ok(['rmi', 'berth.test/withvolume']);
  });

  it('mounts a volume created with local driver options (tmpfs) while containers use it', async () => {
    // This daemon's mount only: the dockerd-upstream project runs the same test at the same time.
    const memData = join(dir, 'data', 'volumes', 'mem', '_data');
    await ok([
      'volume',
      'create',
      '-o',
      'type=tmpfs',
      '-o',
      'device=tmpfs',
      '-o',
      'o=size=2m',
      'mem',
    ]);
    const out = await ok([
      'run',
      '--rm',
      '-v',
      'mem:/mem',
      SMALL,
      'sh',
      '-c',
      'grep " /mem " /proc/mounts; echo gone > /mem/f',
    ]);
    expect(out).toMatch(/^tmpfs \/mem tmpfs .*size=2048k/);
    // unmounted when no running container uses it, as the local driver does: the data goes
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(memData);
    expect(await ok(['run', '--rm', '-v', 'mem:/mem', SMALL, 'ls', '-A', '/mem'])).toBe('');
    expect(JSON.parse(await ok(['volume', 'inspect', 'mem']))[0].Options).toEqual({
      type: 'tmpfs',
      device: 'tmpfs',
      o: 'size=2m',
    });
    await ok(['volume', 'rm', 'mem']);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(memData);
  });

  it('copies files in and out of running and stopped containers, confined to the container root', async () => {
    const work = mkdtempSync(join(dir, 'cp-'));
    writeFileSync(join(work, 'up.txt'), 'uploaded\n');
    const victim = `berth-cp-victim-${process.pid}`;
    await ok([
      'run',
      '-d',
      '--name',
      'cp',
      '-v',
      'cpvol:/vol',
      SMALL,
      'sh',
      '-c',
      // hostile links: absolute to /, relative climbing out, and to the host's /tmp
      'ln -s / /escape; ln -s ../../../../../../tmp /climb; echo inside > /tmp/marker; sleep 60',
    ]);
    for (const state of ['running', 'stopped']) {
      if (state === 'stopped') await ok(['stop', '-t', '1', 'cp']);
      await ok(['cp', join(work, 'up.txt'), `cp:/tmp/${state}.txt`]);
      await ok(['cp', join(work, 'up.txt'), `cp:/vol/${state}.txt`]);
      await run(OLD_CLI, [
        '-H',
        host,
        'cp',
        `cp:/tmp/${state}.txt`,
        join(work, `${state}-back.txt`),
      ]);
      expect(readFileSync(join(work, `${state}-back.txt`), 'utf8')).toBe('uploaded\n');
      // the container's /etc/passwd, not the host's, through a symlink to /
      await ok(['cp', 'cp:/escape/etc/passwd', join(work, `${state}-passwd`)]);
      expect(readFileSync(join(work, `${state}-passwd`), 'utf8')).toBe(
        'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n',
      );
      await ok(['cp', 'cp:/climb/marker', join(work, `${state}-marker`)]);
      expect(readFileSync(join(work, `${state}-marker`), 'utf8')).toBe('inside\n');
      await ok(['cp', 'cp:/../../../../etc/passwd', join(work, `${state}-dots`)]);
      expect(readFileSync(join(work, `${state}-dots`), 'utf8')).toMatch(
        /^root:x:0:0:root:\/root:\/bin\/sh\nnobody/,
      );
      // writes through the hostile links stay inside too
      writeFileSync(join(work, victim), 'x');
      await ok(['cp', join(work, victim), 'cp:/climb/']);
      await ok(['cp', join(work, victim), 'cp:/escape/tmp/']);
      expect(existsSync(join('/tmp', victim))).toBe(false);
      expect(await fails(['cp', 'cp:/nope', work])).toMatch(
        /Could not find the file \/nope in container cp/,
      );
    }
    const volumeDir = join(dir, 'data', 'volumes', 'cpvol', '_data');
    expect(readdirSync(volumeDir).sort()).toEqual(['running.txt', 'stopped.txt']);
    await ok(['start', 'cp']);
    expect(
      await ok(['exec', 'cp', 'sh', '-c', `cat /tmp/stopped.txt /tmp/${victim}; ls /tmp`]),
    ).toMatch(/^uploaded\nx/);
    // a directory out, with modes kept
    await ok([
      'exec',
      'cp',
      'sh',
      '-c',
      'mkdir -p /d/sub && echo deep > /d/sub/f && chmod 750 /d/sub',
    ]);
    await ok(['cp', 'cp:/d', join(work, 'd')]);
    expect(readFileSync(join(work, 'd', 'sub', 'f'), 'utf8')).toBe('deep\n');
    expect(lstatSync(join(work, 'd', 'sub')).mode & 0o7777).toBe(0o750);
    await ok(['rm', '-f', '-v', 'cp']);
    await ok(['volume', 'rm', 'cpvol']);
  });

  it('prunes stopped containers by label, keeping running ones', async () => {
    const a = (await ok(['create', '--label', 'prune=yes', SMALL, 'true'])).trim();
    const b = (await ok(['create', SMALL, 'true'])).trim();
    const running = (await ok(['run', '-d', '--label', 'prune=yes', SMALL, 'sleep', '60'])).trim();
    const out = await ok(['container', 'prune', '-f', '--filter', 'label=prune=yes']);
    expect(out).toMatch(new RegExp(`Deleted Containers:\\n${a}\\n`));
    expect(out).toMatch(/Total reclaimed space: /);
    const left = (await ok(['ps', '-aq', '--no-trunc'])).split('\n').filter(Boolean).sort();
    expect(left).toEqual([b, running].sort());
    expect(await ok(['container', 'prune', '-f', '--filter', 'until=1h'])).not.toMatch(b);
    await ok(['rm', '-f', b, running]);
  });
});
