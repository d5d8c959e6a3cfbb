import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotifyError, notifyReady, sdNotify } from '../src/index';
import { bundleFixture, fixtureEnv, text } from './bundle';

// A stand-in for systemd's notification socket: binds a datagram socket with SO_PASSCRED, as
// PID 1 does, and prints each message with the pid the kernel vouches for (SCM_CREDENTIALS).
const RECEIVER = `
import json, socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
s.bind(sys.argv[1])
while True:
    data, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(12))
    pid = next(struct.unpack("iii", d)[0] for l, t, d in anc if t == socket.SCM_CREDENTIALS)
    print(json.dumps({"pid": pid, "state": data.decode()}), flush=True)
    if b"STOPPING=1" in data: break
`;

describe('sd_notify', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-notify-'));
  let child: string;
  beforeAll(async () => {
    child = await bundleFixture('notify-child', dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sends from the main pid, one message per call, with newlines kept out of STATUS', async () => {
    const socketPath = join(dir, 'notify.sock');
    const receiver = spawn('/usr/bin/python3', ['-c', RECEIVER, socketPath], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const received = text(receiver.stdout!);
    const receiverExit = once(receiver, 'exit');
    while (!existsSync(socketPath)) await new Promise((r) => setTimeout(r, 10));

    const daemon = spawn(process.execPath, [child], {
      env: fixtureEnv({ NOTIFY_SOCKET: socketPath }),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [out, code] = await Promise.all([text(daemon.stdout!), once(daemon, 'exit')]);
    expect(code).toEqual([0, null]);
    expect(JSON.parse(out)).toEqual([true, true, true]);

    // The receiver exits after STOPPING=1, the last message.
    expect(await receiverExit).toEqual([0, null]);
    const messages = (await received)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(messages).toEqual([
      { pid: daemon.pid, state: 'STATUS=starting' },
      { pid: daemon.pid, state: 'READY=1\nSTATUS=serving on /run/x' },
      { pid: daemon.pid, state: 'STOPPING=1' },
    ]);
  });

  it('is a no-op without NOTIFY_SOCKET', () => {
    const saved = process.env.NOTIFY_SOCKET;
    delete process.env.NOTIFY_SOCKET;
    try {
      expect(notifyReady()).toBe(false);
    } finally {
      if (saved !== undefined) process.env.NOTIFY_SOCKET = saved;
    }
  });

  it('throws with the errno when the socket cannot be reached', () => {
    const saved = process.env.NOTIFY_SOCKET;
    process.env.NOTIFY_SOCKET = join(dir, 'absent.sock');
    try {
      expect(() => sdNotify('READY=1')).toThrow(NotifyError);
      expect(() => sdNotify('READY=1')).toThrow(/errno 2$/); // ENOENT
    } finally {
      if (saved === undefined) delete process.env.NOTIFY_SOCKET;
      else process.env.NOTIFY_SOCKET = saved;
    }
  });
});
