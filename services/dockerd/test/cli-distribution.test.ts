// docker push / pull / login through the unmodified docker CLI (28.2; 20.10 for pull) on
// berth-dockerd over upstream containerd, against berth-registry child processes on loopback
// ports: one anonymous, one with htpasswd Basic auth.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { MediaType, RegistryClient } from '@berth/distribution';
import type { TestImages } from '@berth/test-images';
import type { UpstreamContainerd } from '@berth/test-peers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegistry, startBerthRegistry, type RunningRegistry } from '@berth/test-peers';
import { CLI, run, type CliResult } from './helpers/docker-cli';
import { startTestDaemon, type TestDaemon } from './helpers/test-daemon';

const OLD_CLI = '/usr/bin/docker';
const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

describe('docker push, pull and login through the CLI', { tags: ['kernel'] }, () => {
  let dir: string;
  let containerd: UpstreamContainerd;
  let host: string;
  let images: TestImages;
  let open: RunningRegistry;
  let guarded: RunningRegistry;
  let tokened: RunningRegistry;
  let t: TestDaemon;

  const docker = async (args: string[], options: { cli?: string; input?: string } = {}) => {
    const child = spawn(options.cli ?? CLI, ['-H', host, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, DOCKER_CONFIG: join(dir, 'docker-config') },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.end(options.input ?? '');
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
    return { code, stdout, stderr } satisfies CliResult;
  };
  const ok = async (args: string[], options?: { cli?: string; input?: string }) => {
    const res = await docker(args, options);
    if (res.code !== 0)
      throw new Error(`docker ${args.join(' ')} exited ${res.code}: ${res.stderr}${res.stdout}`);
    return res.stdout;
  };
  const inspect = async (ref: string) =>
    JSON.parse(await ok(['image', 'inspect', ref]))[0] as {
      Id: string;
      RepoTags: string[];
      RepoDigests: string[];
      RootFS: { Layers: string[] };
    };

  beforeAll(async () => {
    buildRegistry();
    [t, open, guarded, tokened] = await Promise.all([
      startTestDaemon('distribution', { images: ['small', 'multi'] }),
      startBerthRegistry(),
      startBerthRegistry({ users: { alice: 'wonderland' } }),
      startBerthRegistry({ users: { alice: 'wonderland' }, token: true }),
    ]);
    ({ dir, containerd, host, images } = t);
  }, 90_000);

  afterAll(async () => {
    await t?.close();
    await open?.stop();
    await guarded?.stop();
    await tokened?.stop();
  }, 60_000);

  it('pushes a loaded image, pulls it back after rmi and runs it, with RepoDigests', async () => {
    const name = `${open.host}/berth/small:v1`;
    const small = images.small!;
    await ok(['tag', small.ref, name]);
    const pushed = await ok(['push', name]);
    expect(pushed).toContain(`The push refers to repository [${open.host}/berth/small]`);
    expect(pushed).toMatch(/: Pushed\n/);
    const [, digest, size] = /v1: digest: (sha256:[0-9a-f]{64}) size: (\d+)/.exec(pushed) ?? [];
    expect(Number(size)).toBeGreaterThan(0);
    expect((await inspect(name)).RepoDigests).toEqual([`${open.host}/berth/small@${digest}`]);
    expect((await inspect(small.ref)).RepoDigests).toEqual([`${open.host}/berth/small@${digest}`]);
    expect(await ok(['push', name])).toMatch(/: Layer already exists\n/);

    await ok(['rmi', name, small.ref]);
    expect((await docker(['image', 'inspect', name])).code).toBe(1);
    const pulled = await ok(['pull', name]);
    expect(pulled).toContain('v1: Pulling from berth/small');
    // the busybox base layer is shared with the loaded `multi` image, so it stays
    expect(pulled.match(/: (Pull complete|Already exists)\n/g)?.length).toBe(small.layers.length);
    expect(pulled).toContain(`Digest: ${digest}`);
    expect(pulled).toContain(`Status: Downloaded newer image for ${name}`);
    const image = await inspect(name);
    expect(image.Id).toBe(small.configDigest);
    expect(image.RepoDigests).toEqual([`${open.host}/berth/small@${digest}`]);
    expect(await ok(['run', '--rm', '--network', 'none', name, 'sh', '-c', 'echo pulled'])).toBe(
      'pulled\n',
    );
    expect(await ok(['pull', name])).toContain(`Status: Image is up to date for ${name}`);
    expect(
      await ok(['images', '--digests', '--format', '{{.Digest}}', `${open.host}/berth/small`]),
    ).toBe(`${digest}\n`);
  });

  it('pulls by digest: the name is a RepoDigest, not a RepoTag', async () => {
    const source = `${open.host}/berth/small`;
    const [repoDigest] = (await inspect(`${source}:v1`)).RepoDigests;
    const pulled = await ok(['pull', repoDigest!]);
    expect(pulled).toContain(`Digest: ${repoDigest!.split('@')[1]}`);
    const image = await inspect(repoDigest!);
    expect(image.RepoDigests).toEqual([repoDigest]);
    expect(image.RepoTags).toEqual([`${source}:v1`]);
  });

  it('pulls a multi-layer image with docker 20.10', async () => {
    const multi = images.multi!;
    const name = `${open.host}/berth/multi:v1`;
    await ok(['tag', multi.ref, name]);
    await ok(['push', name]);
    await ok(['rmi', name, multi.ref]);
    const pulled = await ok(['pull', name], { cli: OLD_CLI });
    // layers shared with the `small` image pulled before are there already
    expect(pulled.match(/: Pull complete\n/g)?.length).toBeGreaterThan(0);
    expect(pulled.match(/: (Pull complete|Already exists)\n/g)?.length).toBe(multi.layers.length);
    expect((await inspect(name)).RootFS.Layers).toEqual(multi.layers.map((l) => l.diffId));
    expect(await ok(['run', '--rm', '--network', 'none', name, 'sh', '-c', 'echo multi'])).toBe(
      'multi\n',
    );
  });

  it('ends the pull stream with the error when a layer is corrupt, keeping nothing', async () => {
    const layer = Buffer.from('not really a gzip layer');
    const config = Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        rootfs: { type: 'layers', diff_ids: [sha256(layer)] },
      }),
    );
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        config: {
          mediaType: 'application/vnd.docker.container.image.v1+json',
          digest: sha256(config),
          size: config.length,
        },
        layers: [
          {
            mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
            digest: sha256(layer),
            size: layer.length,
          },
        ],
      }),
    );
    // a registry that serves other bytes (of the same length) for the layer
    const server = createServer((req, res) => {
      if (req.url === '/v2/') return res.end('{}');
      if (req.url === '/v2/bad/manifests/v1') {
        res.writeHead(200, {
          'content-type': 'application/vnd.docker.distribution.manifest.v2+json',
        });
        return res.end(manifest);
      }
      if (req.url === `/v2/bad/blobs/${sha256(config)}`) return res.end(config);
      if (req.url === `/v2/bad/blobs/${sha256(layer)}`)
        return res.end(Buffer.from(layer).fill(0x41));
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const reg = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const pulled = await docker(['pull', `${reg}/bad:v1`]);
      expect(pulled.code).toBe(1);
      expect(pulled.stdout).toContain('v1: Pulling from bad');
      expect(pulled.stderr).toContain(`digest mismatch: expected ${sha256(layer)}`);
      expect((await docker(['image', 'inspect', `${reg}/bad:v1`])).code).toBe(1);
      const content = await run('ctr', [
        '-a',
        containerd.address,
        '-n',
        'moby',
        'content',
        'ls',
        '-q',
      ]);
      expect(content.stdout).not.toContain(sha256(layer));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("fails a pull of a missing repository or tag with Docker's messages", async () => {
    const missingRepo = await docker(['pull', `${open.host}/nothing/here:v1`]);
    expect(missingRepo.code).toBe(1);
    expect(missingRepo.stderr).toContain(
      `Error response from daemon: pull access denied for ${open.host}/nothing/here, repository does not exist or may require 'docker login'`,
    );
    const missingTag = await docker(['pull', `${open.host}/berth/small:nope`]);
    expect(missingTag.stderr).toContain(
      `Error response from daemon: manifest for ${open.host}/berth/small:nope not found: manifest unknown`,
    );
  });

  it.each([
    ['htpasswd Basic auth', () => guarded, 'failed with status: 401 Unauthorized'],
    ['the token issuer', () => tokened, 'unauthorized: incorrect username or password'],
  ])('logs in to a registry with %s, then pushes and pulls', async (_, registry, refusal) => {
    const reg = registry();
    const name = `${reg.host}/private/small:v1`;
    await ok(['tag', `${open.host}/berth/small:v1`, name]);
    const anonymous = await docker(['push', name]);
    expect(anonymous.code).toBe(1);
    const wrong = await docker(['login', reg.host, '-u', 'alice', '--password-stdin'], {
      input: 'nope\n',
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(refusal);
    expect(
      await ok(['login', reg.host, '-u', 'alice', '--password-stdin'], { input: 'wonderland\n' }),
    ).toContain('Login Succeeded');
    await ok(['push', name]);
    await ok(['rmi', name]);
    expect(await ok(['pull', name])).toContain(`Status: Downloaded newer image for ${name}`);
    await ok(['logout', reg.host]);
    await ok(['rmi', name]);
    const afterLogout = await docker(['pull', name]);
    expect(afterLogout.stderr).toContain('pull access denied');
  });

  it('pulls a multi-platform index for linux/amd64 and pushes it back unchanged', async () => {
    const source = `${open.host}/berth/small`;
    const manifest = (await inspect(`${source}:v1`)).RepoDigests[0]!.split('@')[1]!;
    const client = new RegistryClient();
    try {
      const repo = client.repository(`${open.host}/berth/index`);
      const { descriptor } = await client.repository(source).resolve(manifest);
      await ok(['tag', `${source}:v1`, `${open.host}/berth/index:base`]);
      await ok(['push', `${open.host}/berth/index:base`]);
      const index = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MediaType.ociIndex,
          manifests: [
            { ...descriptor, platform: { os: 'linux', architecture: 'arm64' } },
            { ...descriptor, platform: { os: 'linux', architecture: 'amd64' } },
          ],
        }),
      );
      const indexDigest = await repo.pushManifest('v1', index, MediaType.ociIndex);
      const pulled = await ok(['pull', `${open.host}/berth/index:v1`]);
      expect(pulled).toContain(`Digest: ${indexDigest}`);
      const image = await inspect(`${open.host}/berth/index:v1`);
      expect(image.RepoDigests).toContain(`${open.host}/berth/index@${indexDigest}`);
      expect(
        await ok(['run', '--rm', '--network', 'none', `${open.host}/berth/index:v1`, 'echo', 'ix']),
      ).toBe('ix\n');
      // pushed back, the index keeps its digest (its platform manifests are found there)
      await ok(['rmi', `${open.host}/berth/index:base`]);
      expect(await ok(['push', `${open.host}/berth/index:v1`])).toContain(
        `v1: digest: ${indexDigest} size: ${index.length}`,
      );
    } finally {
      await client.close();
    }
  });

  it('pushes every tag of a repository with --all-tags', async () => {
    for (const tag of ['a', 'b'])
      await ok(['tag', `${open.host}/berth/small:v1`, `${open.host}/all/small:${tag}`]);
    const pushed = await ok(['push', '--all-tags', `${open.host}/all/small`]);
    expect(pushed).toMatch(/a: digest: sha256:[0-9a-f]{64} size: \d+/);
    expect(pushed).toMatch(/b: digest: sha256:[0-9a-f]{64} size: \d+/);
    const client = new RegistryClient();
    try {
      expect(await client.repository(`${open.host}/all/small`).tags()).toEqual(['a', 'b']);
    } finally {
      await client.close();
    }
  });
});
