// Container networking through the unmodified docker CLI (28.2) on berth-dockerd (over berth's
// containerd, or Debian's in the dockerd-upstream project): published TCP and UDP ports, user
// networks with names and aliases, connect and disconnect, none/host/container modes, and
// nothing left behind after rm, network rm and a daemon that went away without cleaning up.
// The daemon's bridge, subnets (isolatedNetwork: both projects run this file at the same time)
// and namespace directory are its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetworkManager } from '@berth/network';
import { ensureTestImages } from '@berth/test-images';
import { startContainerdPeer, type UpstreamContainerd } from '@berth/test-peers';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerdConfig } from '../src/config';
import { startDaemon, type Daemon } from '../src/daemon';
import { networkOptions } from '../src/network/setup';
import {
  bridgePorts,
  dockerCli,
  freePort,
  iptablesMentions,
  linkExists,
  ownCgroup,
  udpRequest,
} from './helpers/docker-cli';
import { isolatedNetwork } from './helpers/test-network';

const IMG = 'berth.test/small';
const network = isolatedNetwork();
const BRIDGE = network.config.bridge;
const GATEWAY = network.config.bip.split('/')[0];
const [APP_SUBNET, SIDE_SUBNET] = network.spareSubnets;
/** The first three octets and a dot of a /24 ("198.19.8."). */
const prefixOf = (cidr: string) => cidr.replace(/\d+\/24$/, '');
/** Any host address in a /24. */
const addressIn = (cidr: string) => new RegExp(`^${prefixOf(cidr).replaceAll('.', '\\.')}\\d+$`);
const BETA_IP = `${prefixOf(APP_SUBNET)}50`;
const HTTPD = `mkdir -p /www && echo "page of $(hostname)" > /www/index.html && exec httpd -f -p 80 -h /www`;

describe('container networking through the docker CLI', { tags: ['kernel'] }, () => {
  let dir: string;
  let containerd: UpstreamContainerd;
  let daemon: Daemon;
  let config: DockerdConfig;
  let cli: ReturnType<typeof dockerCli>;
  const helpers: ChildProcess[] = [];
  const cgroupParent = join(ownCgroup(), `berth-dockerd-net-${process.pid}`);
  const netnsDir = () => join(config.execRoot, 'netns');
  const ipamDir = () => join(config.dataRoot, 'network', 'ipam');
  const ok = (args: string[]) => cli.ok(args);
  const inspect = async (ref: string) => JSON.parse(await ok(['inspect', ref]))[0];
  const get = async (url: string) => {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    return res.text();
  };
  /** Every lease file host-local keeps, with the container id and interface it names. */
  const leases = (): string[] =>
    existsSync(ipamDir())
      ? readdirSync(ipamDir()).flatMap((net) =>
          readdirSync(join(ipamDir(), net))
            .filter((f) => /^\d+\.\d+\.\d+\.\d+$/.test(f))
            .map((f) => readFileSync(join(ipamDir(), net, f), 'utf8')),
        )
      : [];
  const leftoversOf = async (id: string) => ({
    netns: existsSync(join(netnsDir(), id)),
    leases: leases().filter((l) => l.includes(id)).length,
    rules: (await iptablesMentions(id)).length,
  });
  const clean = { netns: false, leases: 0, rules: 0 };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-dockerd-net-'));
    await ensureTestImages(['small']).then(async (images) => {
      containerd = await startContainerdPeer(join(dir, 'containerd'));
      const host = `unix://${join(dir, 'docker.sock')}`;
      config = {
        host,
        containerdAddress: containerd.address,
        dataRoot: join(dir, 'data'),
        execRoot: join(dir, 'exec'),
        group: 'root',
        cgroupParent,
        ...network.config,
      };
      daemon = await startDaemon(config, '0.0.0-test', pino({ level: 'silent' }));
      cli = dockerCli(host);
      await cli.ok(['load', '-i', images.small!.dockerArchive]);
    });
  }, 60_000);

  afterAll(async () => {
    for (const h of helpers) h.kill();
    for (const c of daemon?.containers.list() ?? [])
      await daemon.containers.remove(c.id, { force: true }).catch(() => undefined);
    if (cli) await cli.docker(['network', 'prune', '-f']);
    await daemon?.close();
    await containerd?.stop();
    // Whatever a failing test left: the library's own state says what to release.
    if (config) {
      const fresh = await NetworkManager.open(networkOptions(config, pino({ level: 'silent' })));
      await fresh.reconcile([]);
      await fresh.prune();
      await fresh.close();
    }
    // The default bridge outlives containers (as docker0 does); this daemon's is ours.
    await network.cleanup();
    for (const hierarchy of readdirSync('/sys/fs/cgroup')) {
      try {
        rmdirSync(join('/sys/fs/cgroup', hierarchy, cgroupParent));
      } catch {
        // that hierarchy had no directory for us
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('publishes TCP and UDP ports on the default bridge, shown by inspect, port and ps', async () => {
    const [tcp, udp, hostOnly] = [
      await freePort('tcp'),
      await freePort('udp'),
      await freePort('tcp'),
    ];
    const id = (
      await ok([
        'run',
        '-d',
        '--name',
        'web',
        '--hostname',
        'webhost',
        '-p',
        `${tcp}:80`,
        '-p',
        `${udp}:9999/udp`,
        '-p',
        `127.0.0.1:${hostOnly}:80`,
        '--add-host',
        'extra.test:198.19.99.9',
        IMG,
        'sh',
        '-c',
        HTTPD,
      ])
    ).trim();
    await expect
      .poll(() => get(`http://127.0.0.1:${tcp}/`).catch(String), { timeout: 5000 })
      .toBe('page of webhost\n');
    expect(await get(`http://127.0.0.1:${hostOnly}/`)).toBe('page of webhost\n');
    const info = await inspect('web');
    const settings = info.NetworkSettings;
    expect(settings.IPAddress).toMatch(addressIn(network.config.bip));
    expect(settings).toMatchObject({ Gateway: GATEWAY, IPPrefixLen: 24 });
    expect(settings.MacAddress).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    expect(settings.Ports).toEqual({
      '80/tcp': [
        { HostIp: '0.0.0.0', HostPort: String(tcp) },
        { HostIp: '127.0.0.1', HostPort: String(hostOnly) },
      ],
      '9999/udp': [{ HostIp: '0.0.0.0', HostPort: String(udp) }],
    });
    expect(settings.Networks.bridge).toMatchObject({
      IPAddress: settings.IPAddress,
      EndpointID: settings.EndpointID,
      NetworkID: JSON.parse(await ok(['network', 'inspect', 'bridge']))[0].Id,
    });
    expect(await ok(['port', 'web', '80'])).toBe(`0.0.0.0:${tcp}\n127.0.0.1:${hostOnly}\n`);
    expect(await ok(['ps', '--format', '{{.Ports}}', '--filter', 'name=web'])).toContain(
      `0.0.0.0:${tcp}->80/tcp`,
    );
    const hosts = await ok(['exec', 'web', 'cat', '/etc/hosts']);
    expect(hosts).toContain(`${settings.IPAddress}\twebhost`);
    expect(hosts).toContain('198.19.99.9\textra.test');

    // UDP: a host process inside the container's namespace answers on the container port.
    const echo = spawn('nsenter', [
      `--net=${settings.SandboxKey}`,
      process.execPath,
      '-e',
      `const s = require('dgram').createSocket('udp4');
       s.on('message', (m, r) => s.send('echo:' + m, r.port, r.address));
       s.bind(9999, () => console.log('ready'))`,
    ]);
    helpers.push(echo);
    await new Promise((resolve) => echo.stdout!.once('data', resolve));
    expect(await udpRequest('127.0.0.1', udp, 'hi')).toBe('echo:hi');
    echo.kill();

    // -P publishes the image's and --expose'd ports on free host ports.
    await ok(['run', '-d', '--name', 'all', '-P', '--expose', '80', IMG, 'sh', '-c', HTTPD]);
    const published = (await ok(['port', 'all', '80/tcp'])).trim().split(':').pop();
    await expect
      .poll(() => get(`http://127.0.0.1:${published}/`).catch(String), { timeout: 5000 })
      .toMatch(/^page of /);

    await ok(['rm', '-f', 'web', 'all']);
    expect(await leftoversOf(id)).toEqual(clean);
    expect(await bridgePorts(BRIDGE)).toEqual([]);
    await expect(get(`http://127.0.0.1:${tcp}/`)).rejects.toThrow();
  });

  it('resolves names and aliases on a user network; connect adds eth1, disconnect removes it', async () => {
    const started = Math.floor(Date.now() / 1000);
    const netId = (
      await ok(['network', 'create', '--subnet', APP_SUBNET, '--label', 'k=v', 'app'])
    ).trim();
    const bridge = `br-${netId.slice(0, 12)}`;
    expect(
      (await ok(['network', 'ls', '--filter', 'label=k=v', '--format', '{{.Name}}'])).trim(),
    ).toBe('app');
    await ok([
      'run',
      '-d',
      '--name',
      'alpha',
      '--network',
      'app',
      '--network-alias',
      'svc',
      IMG,
      'sh',
      '-c',
      HTTPD,
    ]);
    await ok([
      'run',
      '-d',
      '--name',
      'beta',
      '--network',
      'app',
      '--ip',
      BETA_IP,
      IMG,
      'sleep',
      '60',
    ]);
    expect((await inspect('beta')).NetworkSettings.Networks.app).toMatchObject({
      IPAddress: BETA_IP,
      NetworkID: netId,
      IPAMConfig: { IPv4Address: BETA_IP },
    });
    expect((await inspect('alpha')).NetworkSettings.Networks.app.Aliases).toEqual(['svc']);
    for (const name of ['alpha', 'svc', 'alpha.app'])
      await expect
        .poll(
          () =>
            cli.docker(['exec', 'beta', 'wget', '-qO-', `http://${name}/`]).then((r) => r.stdout),
          {
            timeout: 5000,
          },
        )
        .toMatch(/^page of /);
    expect((await cli.docker(['exec', 'alpha', 'ping', '-c1', '-W2', 'beta'])).code).toBe(0);
    const members = JSON.parse(await ok(['network', 'inspect', 'app']))[0].Containers;
    expect(
      Object.values(members)
        .map((m) => (m as { Name: string }).Name)
        .sort(),
    ).toEqual(['alpha', 'beta']);

    await ok(['network', 'create', '--subnet', SIDE_SUBNET, 'side']);
    await ok(['network', 'connect', 'side', 'alpha']);
    expect(await ok(['exec', 'alpha', 'ls', '/sys/class/net'])).toBe('eth0\neth1\nlo\n');
    expect((await inspect('alpha')).NetworkSettings.Networks.side.IPAddress).toMatch(
      addressIn(SIDE_SUBNET),
    );
    await ok(['network', 'disconnect', 'side', 'alpha']);
    expect(await ok(['exec', 'alpha', 'ls', '/sys/class/net'])).toBe('eth0\nlo\n');
    // connected while stopped: the interface comes with the next start
    await ok(['stop', '-t', '1', 'beta']);
    await ok(['network', 'connect', 'side', 'beta']);
    await ok(['start', 'beta']);
    expect(await ok(['exec', 'beta', 'ls', '/sys/class/net'])).toBe('eth0\neth1\nlo\n');

    const refused = await cli.docker(['network', 'rm', 'app']);
    expect(refused.stderr).toMatch(/network app id [0-9a-f]{64} has active endpoints/);
    const ids = [(await inspect('alpha')).Id, (await inspect('beta')).Id];
    await ok(['rm', '-f', 'alpha', 'beta']);
    await ok(['network', 'rm', 'app', 'side']);
    expect(await linkExists(bridge)).toBe(false);
    for (const id of ids) expect(await leftoversOf(id)).toEqual(clean);
    expect(existsSync(join(ipamDir(), netId))).toBe(false);
    expect((await cli.docker(['network', 'inspect', 'app'])).stderr).toMatch(
      /network app not found/,
    );
    const events = await ok([
      'events',
      '--since',
      String(started),
      '--until',
      String(Math.ceil(Date.now() / 1000) + 1),
      '--filter',
      'type=network',
      '--filter',
      `network=${netId}`,
      '--format',
      '{{.Action}}',
    ]);
    expect(new Set(events.trim().split('\n'))).toEqual(
      new Set(['create', 'connect', 'disconnect', 'destroy']),
    );
  });

  it('reconnects a container its restart policy brings back, and prunes unused networks', async () => {
    await ok(['network', 'create', '--label', 'prune=me', 'flaky-net']);
    await ok(['network', 'create', 'kept-net']);
    const id = (
      await ok([
        'run',
        '-d',
        '--name',
        'flaky',
        '--network',
        'flaky-net',
        '--restart',
        'always',
        IMG,
        'sh',
        '-c',
        'sleep 0.3; exit 1',
      ])
    ).trim();
    await expect
      .poll(async () => (await inspect('flaky')).RestartCount, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(2);
    await expect
      .poll(() => cli.docker(['exec', 'flaky', 'ls', '/sys/class/net']).then((r) => r.stdout), {
        timeout: 5000,
      })
      .toBe('eth0\nlo\n');
    expect((await ok(['network', 'prune', '-f'])).trim()).toBe('Deleted Networks:\nkept-net');
    await ok(['rm', '-f', 'flaky']);
    expect(await leftoversOf(id)).toEqual(clean);
    expect((await ok(['network', 'prune', '-f', '--filter', 'label=prune=me'])).trim()).toBe(
      'Deleted Networks:\nflaky-net',
    );
  });

  it('gives --network none only lo, host the host interfaces, container:x the same namespace', async () => {
    expect(await ok(['run', '--rm', '--network', 'none', IMG, 'ls', '/sys/class/net'])).toBe(
      'lo\n',
    );
    // the owner's start puts this daemon's bridge on the host
    await ok(['run', '-d', '--name', 'owner', IMG, 'sh', '-c', HTTPD]);
    const hostIfaces = (await ok(['run', '--rm', '--network', 'host', IMG, 'ls', '/sys/class/net']))
      .trim()
      .split('\n');
    // This daemon's bridge exists only in the host's namespace (other tests add and remove
    // their own interfaces meanwhile, so the full lists are not compared).
    expect(hostIfaces).toEqual(expect.arrayContaining(['lo', BRIDGE]));
    const owner = await inspect('owner');
    const shared = await ok([
      'run',
      '--rm',
      '--network',
      'container:owner',
      IMG,
      'sh',
      '-c',
      'cat /sys/class/net/eth0/address; hostname; wget -qO- http://127.0.0.1/',
    ]);
    expect(shared).toBe(
      `${owner.NetworkSettings.MacAddress}\n${owner.Config.Hostname}\npage of ${owner.Config.Hostname}\n`,
    );
    const refused = await cli.docker([
      'run',
      '--rm',
      '--network',
      'container:owner',
      '-p',
      '1:1',
      IMG,
      'true',
    ]);
    expect(refused.stderr).toMatch(
      /conflicting options: port publishing and the container type network mode/,
    );
    await ok(['rm', '-f', 'owner']);
    expect(await leftoversOf(owner.Id)).toEqual(clean);
  });

  it('keeps running containers connected across a daemon that died, and releases what exited meanwhile', async () => {
    const port = await freePort('tcp');
    await ok(['network', 'create', 'crash']);
    await ok([
      'run',
      '-d',
      '--name',
      'keeper',
      '--network',
      'crash',
      '-p',
      `${port}:80`,
      IMG,
      'sh',
      '-c',
      HTTPD,
    ]);
    await ok(['run', '-d', '--name', 'client', '--network', 'crash', IMG, 'sleep', '60']);
    const brief = (
      await ok(['run', '-d', '--name', 'brief', '--network', 'crash', IMG, 'sleep', '2'])
    ).trim();
    await expect
      .poll(() => get(`http://127.0.0.1:${port}/`).catch(String), { timeout: 5000 })
      .toMatch(/^page of /);

    // Gone without cleanup: no sandbox is released, whatever exits meanwhile stays wired.
    await daemon.close();
    await new Promise((r) => setTimeout(r, 3000));
    expect(existsSync(join(netnsDir(), brief))).toBe(true);
    expect(await get(`http://127.0.0.1:${port}/`)).toMatch(/^page of /);
    daemon = await startDaemon(config, '0.0.0-test', pino({ level: 'silent' }));

    expect(await get(`http://127.0.0.1:${port}/`)).toMatch(/^page of /);
    expect(await ok(['exec', 'client', 'wget', '-qO-', 'http://keeper/'])).toMatch(/^page of /);
    expect(
      await ok([
        'inspect',
        '--format',
        '{{.State.Status}} {{.NetworkSettings.Networks.crash.IPAddress}}.',
        'brief',
      ]),
    ).toBe('exited .\n');
    expect(await leftoversOf(brief)).toEqual(clean);
    expect(
      await bridgePorts(
        `br-${(await inspect('keeper')).NetworkSettings.Networks.crash.NetworkID.slice(0, 12)}`,
      ),
    ).toHaveLength(2);
    await ok(['rm', '-f', 'keeper', 'client', 'brief']);
    await ok(['network', 'rm', 'crash']);
    expect(readdirSync(netnsDir())).toEqual([]);
    expect(leases()).toEqual([]);
  });
});
