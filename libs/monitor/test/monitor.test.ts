// berth-monitor driven through its TS API, with a fake runtime (test/fixtures/fake-runtime.py)
// that starts a shell command in the background the way `runc create` leaves the container.
import { execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  MonitorConnection,
  readExitFile,
  RuntimeCommandError,
  socketPair,
  spawnMonitor,
  type MonitorPaths,
} from '../src/index';

const fakeRuntime = join(import.meta.dirname, 'fixtures', 'fake-runtime.py');
let dir: string;
let paths: MonitorPaths;

/**
 * A FIFO and a reader collecting all that is written to it until the writer closes. Ready once
 * the reader waits in open(2) for a writer (the kernel's wait_for_partner): the monitor opens
 * its outputs without blocking and drops what nobody reads yet, as upstream's shim does.
 */
async function fifoReader(name: string): Promise<{ path: string; text: Promise<string> }> {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  const cat = spawn('cat', [path]);
  let out = '';
  cat.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const text = new Promise<string>((resolve) => cat.on('close', () => resolve(out)));
  const waiting = () => {
    try {
      return readFileSync(`/proc/${cat.pid}/wchan`, 'utf8') === 'wait_for_partner';
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 2000 && !waiting(); i++) await new Promise((r) => setTimeout(r, 1));
  return { path, text };
}

/** Running (a zombie waiting for its reaper counts as gone). */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

beforeAll(() => {
  execFileSync('make', ['-s', '-C', join(import.meta.dirname, '..', 'native')]);
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-monitor-'));
  paths = {
    control: join(dir, 'ctl.sock'),
    exitFile: join(dir, 'exit'),
    pidFile: join(dir, 'pid'),
  };
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('berth-monitor', () => {
  it('adopts the process, copies its output and records its exit code', async () => {
    const stdout = await fifoReader('stdout');
    const stderr = await fifoReader('stderr');
    const proc = await spawnMonitor({
      ...paths,
      stdout: stdout.path,
      stderr: stderr.path,
      command: [
        fakeRuntime,
        paths.pidFile,
        'sh',
        '-c',
        'echo out; echo err >&2; sleep 0.2; exit 7',
      ],
    });
    expect(alive(proc.pid)).toBe(true);
    // The process is the monitor's child now (its runtime parent has exited).
    const ppid = execFileSync('ps', ['-o', 'ppid=', '-p', String(proc.pid)])
      .toString()
      .trim();
    expect(Number(ppid)).toBe(proc.monitorPid);
    const conn = await MonitorConnection.connect(paths.control, paths.exitFile, proc.pid);
    const exit = await conn.exited;
    expect(exit).toMatchObject({ pid: proc.pid, status: 7 });
    expect(Date.now() - exit.exitedAt.getTime()).toBeLessThan(5000);
    expect(await stdout.text).toBe('out\n');
    expect(await stderr.text).toBe('err\n');
    expect(existsSync(paths.control)).toBe(false);
  });

  it('reports death by signal as 128 + signal, also to a late connection', async () => {
    const proc = await spawnMonitor({
      ...paths,
      command: [fakeRuntime, paths.pidFile, 'sleep', '30'],
    });
    process.kill(proc.pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const conn = await MonitorConnection.connect(paths.control, paths.exitFile, proc.pid);
    expect((await conn.exited).status).toBe(137);
    await expect.poll(() => alive(proc.monitorPid)).toBe(false);
  });

  it('reports the exit to a client that keeps writing while the monitor goes away', async () => {
    const proc = await spawnMonitor({
      ...paths,
      command: [fakeRuntime, paths.pidFile, 'sleep', '0.3'],
    });
    const conn = await MonitorConnection.connect(paths.control, paths.exitFile, proc.pid);
    // Unread commands make the kernel reset the connection when the monitor exits.
    const chatter = setInterval(() => conn.resize(24, 80), 1);
    try {
      expect((await conn.exited).status).toBe(0);
    } finally {
      clearInterval(chatter);
    }
  });

  it('passes stdin through and closes it on request', async () => {
    const stdout = await fifoReader('stdout');
    const stdinPath = join(dir, 'stdin');
    execFileSync('mkfifo', [stdinPath]);
    const proc = await spawnMonitor({
      ...paths,
      stdin: stdinPath,
      stdout: stdout.path,
      command: [fakeRuntime, paths.pidFile, 'sh', '-c', 'read line; echo "got $line"; cat'],
    });
    const conn = await MonitorConnection.connect(paths.control, paths.exitFile, proc.pid);
    // A writer that stays open: only closeStdin() can end `cat`.
    const writer = spawn('sh', ['-c', `echo hello; sleep 30`], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const fifo = spawn('sh', ['-c', `cat > ${stdinPath}`], { stdio: ['pipe', 'ignore', 'ignore'] });
    writer.stdout.pipe(fifo.stdin);
    await new Promise((r) => setTimeout(r, 300));
    conn.closeStdin();
    expect((await conn.exited).status).toBe(0);
    expect(await stdout.text).toBe('got hello\n');
    writer.kill();
    fifo.kill();
  });

  it('relays a pty from the console socket and resizes it', async () => {
    const stdout = await fifoReader('stdout');
    const proc = await spawnMonitor({
      ...paths,
      consoleSocket: join(dir, 'console.sock'),
      stdout: stdout.path,
      command: [
        fakeRuntime,
        '--console-socket',
        join(dir, 'console.sock'),
        paths.pidFile,
        'sh',
        '-c',
        'sleep 0.5; stty size',
      ],
    });
    const conn = await MonitorConnection.connect(paths.control, paths.exitFile, proc.pid);
    conn.resize(33, 111);
    expect((await conn.exited).status).toBe(0);
    expect(await stdout.text).toBe('33 111\r\n');
  });

  it('fails with the runtime status and leaves no socket when the runtime fails', async () => {
    const failure = spawnMonitor({ ...paths, command: ['sh', '-c', 'echo nope >&2; exit 3'] });
    await expect(failure).rejects.toBeInstanceOf(RuntimeCommandError);
    await expect(failure).rejects.toMatchObject({ exitCode: 3 });
    expect(existsSync(paths.control)).toBe(false);
    expect(await readExitFile(paths.exitFile)).toBeUndefined();
  });

  it('hands a channel to the runtime as fd 3 and keeps no copy of it', async () => {
    const [ours, theirs] = socketPair();
    const channel = new net.Socket({ fd: ours });
    let said = '';
    channel.on('data', (c: Buffer) => (said += c.toString()));
    const closed = new Promise((resolve) => channel.on('close', resolve));
    channel.write('ping\n');
    // The runtime answers on fd 3, and the process it leaves behind holds no copy of it.
    const script = `read line <&3; echo "got $line" >&3; ${fakeRuntime} ${paths.pidFile} sleep 30 3>&-`;
    const proc = await spawnMonitor({ ...paths, channel: theirs, command: ['sh', '-c', script] });
    await closed; // only possible once neither monitor process holds fd 3
    expect(said).toBe('got ping\n');
    expect(alive(proc.pid)).toBe(true);
    process.kill(proc.pid, 'SIGKILL');
  });
});
