// Image management through the unmodified docker CLI (28.2, and 20.10 where cheap) on
// berth-dockerd over upstream containerd: save (checked by skopeo), export, import (plain,
// gzip, zstd, --change), list filters, rmi semantics and prune — and that what an image
// removal frees is really gone from containerd's content store and snapshotter.
import { execFileSync } from 'node:child_process';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestImage } from '@berth/test-images';
import { startPeer, waitForUnixSocket, type UpstreamContainerd } from '@berth/test-peers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, dockerCli, freePort, run } from './helpers/docker-cli';
import { startTestDaemon, type TestDaemon } from './helpers/test-daemon';
import { swaggerSchema, swaggerViolations } from './helpers/swagger';

const OLD_CLI = '/usr/bin/docker';
const SMALL = 'berth.test/small';

describe('image management through the docker CLI', { tags: ['kernel'] }, () => {
  let dir: string;
  let containerd: UpstreamContainerd;
  let host: string;
  let small: TestImage;
  let cli: ReturnType<typeof dockerCli>;
  let t: TestDaemon;
  const ok = (args: string[], input?: string) => cli.ok(args, input);
  const ctr = async (...args: string[]) =>
    (await run('ctr', ['-a', containerd.address, '-n', 'moby', ...args])).stdout;
  /** Digests in containerd's content store and names of committed snapshots. */
  const containerdState = async () => ({
    content: (await ctr('content', 'ls', '-q')).split('\n').filter(Boolean),
    snapshots: (await ctr('snapshots', '--snapshotter', 'overlayfs', 'ls'))
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s+/)[0]!)
      .filter(Boolean),
  });
  const startedAt = Math.floor(Date.now() / 1000);
  const imageId = async (ref: string) =>
    (await ok(['image', 'inspect', '--format', '{{.Id}}', ref])).trim();

  beforeAll(async () => {
    t = await startTestDaemon('images', { images: ['small'] });
    ({ dir, containerd, host, cli } = t);
    small = t.images.small!;
  }, 60_000);

  afterAll(() => t?.close(), 60_000);

  it('saves an archive skopeo reads and both CLIs agree on, which loads back and runs after rmi', async () => {
    const saved = join(dir, 'small.tar');
    await ok(['save', '-o', saved, SMALL]);
    const listing = execFileSync('tar', ['-tf', saved], { encoding: 'utf8' }).split('\n');
    expect(listing).toEqual(
      expect.arrayContaining(['index.json', 'manifest.json', 'oci-layout', 'repositories']),
    );
    const manifest = JSON.parse(
      execFileSync('tar', ['-xOf', saved, 'manifest.json'], { encoding: 'utf8' }),
    );
    expect(manifest).toEqual([
      {
        Config: `blobs/sha256/${small.configDigest.slice(7)}`,
        RepoTags: [`${SMALL}:latest`],
        Layers: small.layers.map((l) => `blobs/sha256/${l.diffId.slice(7)}`),
      },
    ]);
    // the same bytes through the 20.10 CLI, and through GET /images/{name}/get
    const old = join(dir, 'small-old.tar');
    await run(OLD_CLI, ['-H', host, 'save', '-o', old, SMALL]);
    expect(execFileSync('cmp', [saved, old]).length).toBe(0);
    const byPath = join(dir, 'small-by-path.tar');
    await run('curl', [
      ...['-sf', '--unix-socket', host.slice('unix://'.length), '-o', byPath],
      `http://docker/v1.41/images/${SMALL}/get`,
    ]);
    expect(execFileSync('cmp', [saved, byPath]).length).toBe(0);
    const { stdout: skopeo } = await run('skopeo', ['inspect', `docker-archive:${saved}`]);
    const inspected = JSON.parse(skopeo);
    expect(inspected.Layers).toEqual(small.layers.map((l) => l.diffId));
    await run('skopeo', [
      'copy',
      '-q',
      `docker-archive:${saved}`,
      `oci:${join(dir, 'oci')}:copied`,
    ]);

    expect((await cli.docker(['save', 'nope:1'])).stderr).toMatch(/No such image: nope:1/);
    // a client that hangs up after the first bytes leaves the daemon serving the next one
    await new Promise<void>((resolve, reject) => {
      const req = request(
        { socketPath: host.slice('unix://'.length), path: `/images/get?names=${SMALL}` },
        (res) => res.once('data', () => (req.destroy(), resolve())),
      );
      req.on('error', reject);
      req.end();
    });
    await ok(['save', '-o', `${saved}.again`, SMALL]);
    expect(execFileSync('cmp', [saved, `${saved}.again`]).length).toBe(0);
    const before = await containerdState();
    expect(await ok(['rmi', SMALL])).toBe(
      `Untagged: ${SMALL}:latest\nDeleted: ${small.configDigest}\n`,
    );
    const after = await containerdState();
    expect(after.content).toEqual([]);
    expect(after.snapshots).toEqual([]);
    expect(before.content.length).toBeGreaterThan(0);

    expect(await ok(['load', '-i', saved])).toBe(`Loaded image: ${SMALL}:latest\n`);
    expect(await ok(['run', '--rm', '--network', 'none', SMALL, 'echo', 'back'])).toBe('back\n');
  });

  it('exports a container and imports its tarball plain, gzip and zstd, with --change', async () => {
    await ok(['create', '--name', 'exp', '--network', 'none', SMALL, 'sh', '-c', 'true']);
    const tarball = join(dir, 'rootfs.tar');
    await ok(['export', '-o', tarball, 'exp']);
    const entries = execFileSync('tar', ['-tf', tarball], { encoding: 'utf8' }).split('\n');
    expect(entries).toEqual(expect.arrayContaining(['./bin/busybox', './etc/']));
    execFileSync('sh', [
      '-c',
      `gzip -c ${tarball} > ${tarball}.gz; zstd -q -c ${tarball} > ${tarball}.zst`,
    ]);

    const changes = [
      '--change',
      'CMD ["sh", "-c", "echo $GREETING from $(pwd) as $(id -u)"]',
      '--change',
      'ENV GREETING=hello',
      '--change',
      'WORKDIR /tmp',
      '--change',
      'USER 65534',
      '--change',
      'LABEL berth.test=imported',
      '--change',
      'EXPOSE 8080/udp',
    ];
    const plainId = (
      await ok(['import', ...changes, '-m', 'plain one', tarball, 'imp:plain'])
    ).trim();
    expect(plainId).toMatch(/^sha256:[0-9a-f]{64}$/);
    await ok(['import', ...changes, `${tarball}.gz`, 'imp:gz']);
    const garbage = await cli.docker(['import', '-', 'imp:bad'], 'not a tarball');
    expect(garbage).toMatchObject({ code: 1, stderr: expect.stringMatching(/tar/) });
    await run('sh', [
      '-c',
      `${CLI} -H ${host} import --change 'ENTRYPOINT ["/bin/echo"]' - imp:zst < ${tarball}.zst`,
    ]);
    for (const tag of ['plain', 'gz'])
      expect(await ok(['run', '--rm', '--network', 'none', `imp:${tag}`])).toBe(
        'hello from /tmp as 65534\n',
      );
    expect(await ok(['run', '--rm', '--network', 'none', 'imp:zst', 'zstd', 'layer'])).toBe(
      'zstd layer\n',
    );
    // a zstd layer goes out in docker save and comes back in through docker load
    const zstArchive = join(dir, 'zst.tar');
    const zstId = await imageId('imp:zst');
    await ok(['save', '-o', zstArchive, 'imp:zst']);
    await ok(['rmi', 'imp:zst']);
    expect(await ok(['load', '-i', zstArchive])).toBe('Loaded image: imp:zst\n');
    expect(await imageId('imp:zst')).toBe(zstId);

    const [inspect] = JSON.parse(await ok(['image', 'inspect', 'imp:plain']));
    expect(inspect.Config).toMatchObject({
      Env: ['GREETING=hello'],
      WorkingDir: '/tmp',
      User: '65534',
      Labels: { 'berth.test': 'imported' },
      ExposedPorts: { '8080/udp': {} },
    });
    expect(inspect.RootFS.Layers).toHaveLength(1);
    expect(inspect.Comment).toBe('plain one');
    expect(await ok(['history', '--format', '{{.Comment}}', 'imp:plain'])).toBe('plain one\n');
    const { stdout: oldImport } = await run(OLD_CLI, ['-H', host, 'import', tarball, 'imp:old']);
    expect(await imageId('imp:old')).toBe(oldImport.trim());
    expect(await ok(['rmi', 'imp:old'])).toMatch(/^Untagged: imp:old\nDeleted: sha256:/);
    // gzip and plain give the same layer, so the same diff ID and the same unpacked snapshot
    expect(JSON.parse(await ok(['image', 'inspect', 'imp:gz']))[0].RootFS.Layers).toEqual(
      inspect.RootFS.Layers,
    );

    const refused = await cli.docker(['import', '--change', 'RUN true', tarball]);
    expect(refused.stderr).toMatch(/run is not a valid change command/);
    // fromSrc=<url>: the tarball from a web server, or a clear error when there is none
    const server = createServer((_req, res) => createReadStream(tarball).pipe(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const served = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rootfs.tar`;
      await ok(['import', served, 'imp:url']);
      expect(await ok(['history', '--format', '{{.Comment}}', 'imp:url'])).toBe(
        `Imported from ${served}\n`,
      );
      await ok(['rmi', 'imp:url']);
    } finally {
      server.close();
    }
    const url = `http://127.0.0.1:${await freePort('tcp')}/rootfs.tar`;
    const unreachable = await cli.docker(['import', url]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(`Get "${url}": connect ECONNREFUSED`);
    await ok(['rm', 'exp']);

    // a running container exports with what it wrote so far
    await ok(['run', '-d', '--name', 'live', '--network', 'none', SMALL, 'sleep', '60']);
    await ok(['exec', 'live', 'sh', '-c', 'echo written > /marker']);
    await ok(['export', '-o', `${tarball}.live`, 'live']);
    expect(execFileSync('tar', ['-xOf', `${tarball}.live`, './marker'], { encoding: 'utf8' })).toBe(
      'written\n',
    );
    await ok(['rm', '-f', 'live']);
  });

  it('writes archives a real Docker (Debian dockerd 20.10) loads and runs', async () => {
    const real = join(dir, 'real-docker');
    const socket = join(real, 'docker.sock');
    // nothing on the host's network: no bridge, no iptables rules, ip_forward left alone
    const dockerd = startPeer('/usr/sbin/dockerd', [
      ...['--data-root', join(real, 'root'), '--exec-root', join(real, 'exec')],
      ...['--pidfile', join(real, 'docker.pid'), '-H', `unix://${socket}`],
      ...['--storage-driver', 'vfs', '--bridge', 'none', '--iptables=false', '--ip-masq=false'],
      '--ip-forward=false',
    ]);
    try {
      await waitForUnixSocket(socket, dockerd);
      const archive = join(dir, 'both.tar');
      await ok(['save', '-o', archive, SMALL, 'imp:gz']);
      const realCli = dockerCli(`unix://${socket}`);
      expect(await realCli.ok(['load', '-i', archive])).toBe(
        `Loaded image: ${SMALL}:latest\nLoaded image: imp:gz\n`,
      );
      for (const ref of [SMALL, 'imp:gz']) {
        expect(await realCli.ok(['image', 'inspect', '--format', '{{.Id}}', ref])).toBe(
          `${await imageId(ref)}\n`,
        );
      }
      expect(await realCli.ok(['run', '--rm', '--network', 'none', 'imp:gz'])).toBe(
        'hello from /tmp as 65534\n',
      );
    } finally {
      await dockerd.stop();
      // dockerd bind-mounts its data root onto itself (private propagation) and does not
      // always undo it on the way out
      const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n');
      for (const target of mounts
        .map((l) => l.split(' ')[1] ?? '')
        .filter((t) => t.startsWith(real)))
        await run('umount', ['-l', target]);
    }
  }, 60_000);

  it("answers inspect, list, history and prune in the shapes of Docker's swagger (API 1.41)", async () => {
    const api = async (method: string, path: string) => {
      const body = await new Promise<string>((resolve, reject) => {
        const req = request(
          { socketPath: host.slice('unix://'.length), method, path: `/v1.41${path}` },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve(text));
          },
        );
        req.on('error', reject);
        req.end();
      });
      return JSON.parse(body) as unknown;
    };
    for (const ref of [SMALL, 'imp:plain']) {
      const path = `/images/${encodeURIComponent(ref)}`;
      expect(swaggerViolations(await api('GET', `${path}/json`), swaggerSchema('Image'))).toEqual(
        [],
      );
      expect(
        swaggerViolations(
          await api('GET', `${path}/history`),
          swaggerSchema('GET /images/{name}/history'),
        ),
      ).toEqual([]);
    }
    const listed = await api('GET', '/images/json');
    expect(swaggerViolations(listed, swaggerSchema('GET /images/json'))).toEqual([]);
    expect(listed).toHaveLength(4);
    const pruned = await api('POST', '/images/prune?filters=%7B%22label%22%3A%5B%22none%22%5D%7D');
    expect(swaggerViolations(pruned, swaggerSchema('POST /images/prune'))).toEqual([]);
    expect(pruned).toEqual({ ImagesDeleted: null, SpaceReclaimed: 0 });
  });

  it('filters the image list by reference, dangling, label, before and since', async () => {
    const list = async (...args: string[]) =>
      (await ok(['images', '--format', '{{.Repository}}:{{.Tag}}', ...args]))
        .trim()
        .split('\n')
        .filter(Boolean)
        .sort();
    expect(await list('--filter', 'reference=imp:*')).toEqual(['imp:gz', 'imp:plain', 'imp:zst']);
    expect(await list('imp')).toEqual(['imp:gz', 'imp:plain', 'imp:zst']);
    expect(await list('--filter', 'label=berth.test=imported')).toEqual(['imp:gz', 'imp:plain']);
    expect(await list('--filter', 'label!=berth.test')).toEqual([`${SMALL}:latest`, 'imp:zst']);
    expect(await list('--filter', `before=imp:gz`)).toContain(`${SMALL}:latest`);
    expect(await list('--filter', `since=${SMALL}`)).toEqual(['imp:gz', 'imp:plain', 'imp:zst']);
    expect(await list('--filter', 'dangling=true')).toEqual([]);
    const bad = await cli.docker(['images', '--filter', 'colour=red']);
    expect(bad.stderr).toMatch(/invalid filter 'colour'/);
    const digests = await ok([
      'images',
      '--digests',
      '--format',
      '{{.Repository}} {{.Digest}}',
      SMALL,
    ]);
    expect(digests).toBe(`${SMALL} <none>\n`);
    const ids = (await ok(['images', '-q', 'imp'])).trim().split('\n');
    expect(ids).toHaveLength(3);
    expect(ids.every((id) => /^[0-9a-f]{12}$/.test(id))).toBe(true);
  });

  it('creates containers from an image by name, full ID and unique ID prefix', async () => {
    const id = await imageId(SMALL);
    for (const ref of [SMALL, `${SMALL}:latest`, id, id.slice(7, 19)]) {
      const created = (await ok(['create', '--network', 'none', ref])).trim();
      expect(await ok(['inspect', '--format', '{{.Image}} {{.Config.Image}}', created])).toBe(
        `${id} ${ref}\n`,
      );
      await ok(['rm', created]);
    }
    const missing = await cli.docker(['create', '--pull', 'never', 'berth.test/absent']);
    expect(missing.stderr).toMatch(/No such image: berth.test\/absent:latest/);
  });

  it('removes images as Docker does: untag, conflicts with containers, force, several tags', async () => {
    const id = await imageId('imp:plain');
    await ok(['tag', 'imp:plain', 'imp:other']);
    const stopped = (await ok(['create', '--network', 'none', 'imp:plain'])).trim();
    const byId = await cli.docker(['rmi', id.slice(7, 19)]);
    expect(byId.stderr).toMatch(
      `conflict: unable to delete ${id.slice(7, 19)} (must be forced) - image is being used by stopped container ${stopped.slice(0, 12)}`,
    );
    expect(await ok(['rmi', 'imp:other'])).toBe('Untagged: imp:other\n');
    const lastName = await cli.docker(['rmi', 'imp:plain']);
    expect(lastName.stderr).toMatch(
      `conflict: unable to delete imp:plain (must be forced) - container ${stopped.slice(0, 12)} is using its referenced image ${id.slice(7, 19)}`,
    );
    // forced, the name goes and the image stays (dangling) for the container
    expect(await ok(['rmi', '-f', 'imp:plain'])).toBe('Untagged: imp:plain\n');
    expect((await ok(['images', '-q', '--no-trunc', '--filter', 'dangling=true'])).trim()).toBe(id);
    await ok(['start', '-a', stopped]);

    const running = (await ok(['run', '-d', '--network', 'none', 'imp:gz', 'sleep', '60'])).trim();
    const gzId = await imageId('imp:gz');
    const hard = await cli.docker(['rmi', '-f', gzId]);
    expect(hard.stderr).toMatch(
      `conflict: unable to delete ${gzId.slice(7, 19)} (cannot be forced) - image is being used by running container ${running.slice(0, 12)}`,
    );
    await ok(['rm', '-f', running, stopped]);

    // several tags, by ID: refused without -f, all untagged and deleted with it
    await ok(['tag', 'imp:gz', 'imp:gz2']);
    expect((await cli.docker(['rmi', gzId])).stderr).toMatch(
      /image is referenced in multiple repositories/,
    );
    const forced = (await ok(['rmi', '-f', gzId])).trim().split('\n').sort();
    expect(forced).toEqual([`Deleted: ${gzId}`, 'Untagged: imp:gz', 'Untagged: imp:gz2']);
    const { content } = await containerdState();
    expect(content).not.toContain(gzId);
  });

  it('prunes unused dangling images, then every unused one with -a, keeping what containers use', async () => {
    // the dangling imp:plain image is unused now: plain prune takes it
    const danglingId = (
      await ok(['images', '-q', '--no-trunc', '--filter', 'dangling=true'])
    ).trim();
    expect(danglingId).toMatch(/^sha256:/);
    const pruned = await ok(['image', 'prune', '-f']);
    expect(pruned).toMatch(`deleted: ${danglingId}`);
    expect(pruned).toMatch(/Total reclaimed space: [1-9]/);
    expect(await ok(['images', '-q', '--filter', 'dangling=true'])).toBe('');

    const keeper = (await ok(['create', '--network', 'none', SMALL])).trim();
    const all = await ok(['image', 'prune', '-a', '-f', '--filter', 'until=1h']);
    expect(all).toMatch(/Total reclaimed space: 0B/);
    const everything = await ok(['image', 'prune', '-a', '-f']);
    expect(everything).toMatch('untagged: imp:zst');
    expect(everything).not.toMatch(SMALL);
    expect((await ok(['images', '--format', '{{.Repository}}'])).trim()).toBe(SMALL);
    await ok(['rm', keeper]);
    await ok(['rmi', SMALL]);
    expect(await containerdState()).toEqual({ content: [], snapshots: [] });

    const actions = await ok([
      'events',
      '--since',
      String(startedAt),
      '--until',
      String(Math.ceil(Date.now() / 1000)),
      '--filter',
      'type=image',
      '--format',
      '{{.Action}}',
    ]);
    expect(new Set(actions.trim().split('\n'))).toEqual(
      new Set(['load', 'save', 'import', 'tag', 'untag', 'delete', 'prune']),
    );
  });
});
