// The CNI runtime side against fake plugins: shell scripts that record their environment and
// stdin and print what the test tells them to.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addNetworkList,
  checkNetworkList,
  CniError,
  delNetworkList,
  execPlugin,
  type NetworkConfigList,
} from '../src/cni';

let dir: string;
const log = () => join(dir, 'calls.log');

/** A plugin that logs "<type> <CNI_*…> <stdin>" and prints a result naming itself. */
async function fakePlugin(type: string, body = ''): Promise<void> {
  const script = `#!/bin/sh
in=$(cat)
printf '%s\\t%s\\t%s\\t%s\\t%s\\t%s\\t%s\\n' ${type} "$CNI_COMMAND" "$CNI_CONTAINERID" "$CNI_NETNS" "$CNI_IFNAME" "$CNI_ARGS" "$in" >> ${log()}
${body || `echo '{"cniVersion":"1.0.0","ips":[{"address":"198.18.9.2/24"}],"interfaces":[{"name":"${type}"}]}'`}
`;
  await writeFile(join(dir, type), script);
  await chmod(join(dir, type), 0o755);
}

async function calls() {
  const text = await readFile(log(), 'utf8').catch(() => '');
  await rm(log(), { force: true });
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [type, command, id, netns, ifName, args, stdin] = line.split('\t');
      return {
        type,
        command,
        id,
        netns,
        ifName,
        args,
        conf: JSON.parse(stdin!) as Record<string, unknown>,
      };
    });
}

const list: NetworkConfigList = {
  cniVersion: '1.0.0',
  name: 'net1',
  plugins: [
    { type: 'first', capabilities: { ips: true }, extra: 1 },
    { type: 'second', capabilities: { portMappings: true } },
  ],
};
const rt = {
  containerId: 'c1',
  netns: '/run/x/c1',
  ifName: 'eth0',
  args: { IgnoreUnknown: '1', FOO: 'bar' },
  capabilityArgs: {
    portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
    ips: ['198.18.9.9/24'],
  },
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-cni-'));
  await fakePlugin('first');
  await fakePlugin('second');
  await fakePlugin(
    'broken',
    `echo '{"cniVersion":"1.0.0","code":7,"msg":"bad config","details":"no bridge"}'; exit 1`,
  );
  await fakePlugin('mute', 'echo oops >&2; exit 3');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('CNI conflist invocation', () => {
  it('ADD chains plugins with prevResult and gives each only its capabilities', async () => {
    const result = await addNetworkList(list, rt, { path: ['/nonexistent', dir] });
    expect(result.interfaces).toEqual([{ name: 'second' }]);
    const [a, b] = await calls();
    expect(a).toMatchObject({
      type: 'first',
      command: 'ADD',
      id: 'c1',
      netns: '/run/x/c1',
      ifName: 'eth0',
      args: 'IgnoreUnknown=1;FOO=bar',
    });
    expect(a!.conf).toEqual({
      ...list.plugins[0],
      name: 'net1',
      cniVersion: '1.0.0',
      runtimeConfig: { ips: ['198.18.9.9/24'] },
    });
    expect(b!.conf.runtimeConfig).toEqual({ portMappings: rt.capabilityArgs.portMappings });
    expect(b!.conf.prevResult).toMatchObject({ interfaces: [{ name: 'first' }] });
  });

  it('DEL runs in reverse with the cached result; CHECK in order', async () => {
    const cached = { cniVersion: '1.0.0', ips: [{ address: '198.18.9.2/24' }] };
    await delNetworkList(list, rt, cached, { path: [dir] });
    expect((await calls()).map((c) => [c.type, c.command, c.conf.prevResult])).toEqual([
      ['second', 'DEL', cached],
      ['first', 'DEL', cached],
    ]);
    await checkNetworkList(list, rt, cached, { path: [dir] });
    expect((await calls()).map((c) => `${c.type} ${c.command}`)).toEqual([
      'first CHECK',
      'second CHECK',
    ]);
  });

  it('DEL still runs every plugin when one fails, then reports the failure', async () => {
    const withBroken = { ...list, plugins: [list.plugins[0]!, { type: 'broken' }] };
    await expect(delNetworkList(withBroken, rt, undefined, { path: [dir] })).rejects.toThrow(
      /broken DEL/,
    );
    expect((await calls()).map((c) => c.type)).toEqual(['broken', 'first']);
  });

  it('turns a plugin error object into a CniError with code, message and details', async () => {
    const err = await execPlugin('broken', 'ADD', rt, {}, { path: [dir] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CniError);
    expect(err).toMatchObject({ code: 7, details: 'no bridge' });
    expect((err as Error).message).toBe(
      'CNI plugin broken ADD failed: invalid network config [code 7]: bad config (no bridge)',
    );
    await calls();
  });

  it('reports stderr when a plugin fails without an error object', async () => {
    await expect(execPlugin('mute', 'ADD', rt, {}, { path: [dir] })).rejects.toThrow(
      /code 999.*oops/,
    );
    await calls();
  });

  it('refuses plugin types that are paths, and reports missing plugins', async () => {
    await expect(execPlugin('../first', 'ADD', rt, {}, { path: [dir] })).rejects.toThrow(
      /invalid plugin type/,
    );
    await expect(execPlugin('absent', 'ADD', rt, {}, { path: [dir] })).rejects.toThrow(
      /failed to find plugin "absent"/,
    );
  });

  it('kills a plugin that does not answer in time', async () => {
    await fakePlugin('slow', 'sleep 5');
    await expect(
      execPlugin('slow', 'ADD', rt, {}, { path: [dir], timeoutMs: 200 }),
    ).rejects.toThrow(/killed by SIGKILL/);
    await calls();
  });
});

describe('Debian plugins speak CNI 1.0.0', () => {
  it('bridge reports 1.0.0 among its supported versions', async () => {
    const out = (await execPlugin(
      'bridge',
      'VERSION',
      { containerId: '', netns: '', ifName: '' },
      { cniVersion: '1.0.0' },
      { path: ['/usr/lib/cni'] },
    )) as { supportedVersions: string[] };
    expect(out.supportedVersions).toContain('1.0.0');
  });
});
