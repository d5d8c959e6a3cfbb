// Attach and exec-start take over the connection (HTTP Upgrade: tcp): after a 101 the socket
// carries the process's stdin one way and its output the other, raw with a TTY, in 8-byte
// frames without. Node hands such requests to the server's 'upgrade' event, not to fastify.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ContainerManager } from '../containers/manager';
import type { ExecManager } from '../containers/exec';
import type { StreamHub } from '../containers/stdio';
import { DetachKeyScanner, parseDetachKeys } from './detach-keys';
import { booleanQuery } from './filters';
import { engineHeaders } from './app';
import { errorBody } from './errors';
import { frame, type StreamName } from './mux';
import { splitVersion } from './versions';

export interface HijackDeps {
  engineVersion: string;
  containers: ContainerManager;
  execs: ExecManager;
}

/** Routes upgrade requests; returns a function that ends every hijacked connection. */
export function handleUpgrades(server: Server, deps: HijackDeps): () => void {
  const sockets = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    void readBody(req, socket, head)
      .then((body) => route(req, socket, body, deps))
      .catch((err: unknown) => {
        const { statusCode, body } = errorBody(err);
        const text = JSON.stringify(body);
        socket.end(
          `HTTP/1.1 ${statusCode} Error\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
        );
      });
  });
  return () => {
    for (const socket of sockets) socket.destroy();
  };
}

/** The request body that came with the upgrade request (exec start's JSON), by Content-Length. */
function readBody(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<Buffer> {
  const length = Number(req.headers['content-length'] ?? 0);
  if (head.length >= length) {
    if (head.length > length) socket.unshift(head.subarray(length));
    return Promise.resolve(head.subarray(0, length));
  }
  return new Promise((resolve) => {
    let body = head;
    const onData = (chunk: Buffer) => {
      body = Buffer.concat([body, chunk]);
      if (body.length < length) return;
      socket.off('data', onData);
      socket.pause();
      if (body.length > length) socket.unshift(body.subarray(length));
      resolve(body.subarray(0, length));
    };
    socket.on('data', onData);
  });
}

async function route(req: IncomingMessage, socket: Duplex, body: Buffer, deps: HijackDeps) {
  const url = new URL(splitVersion(req.url ?? '/').path, 'http://docker');
  const attach = /^\/containers\/([^/]+)\/attach$/.exec(url.pathname);
  const execStart = /^\/exec\/([^/]+)\/start$/.exec(url.pathname);
  if (attach) {
    const container = deps.containers.get(decodeURIComponent(attach[1]!));
    const q = url.searchParams;
    const tty = !!container.record.Config.Tty;
    const wanted = new Set<StreamName>();
    if (booleanQuery(q.get('stdout'))) wanted.add('stdout');
    if (booleanQuery(q.get('stderr'))) wanted.add('stderr');
    const stdin = booleanQuery(q.get('stdin')) && !!container.record.Config.OpenStdin;
    const detachKeys = parseDetachKeys(q.get('detachKeys') ?? '');
    respond101(socket, deps.engineVersion, tty);
    deps.containers.emit(container, 'attach');
    const done = deps.containers.runEnded(container);
    pipe(
      socket,
      container.hub,
      {
        tty,
        wanted,
        stdin,
        closeStdinOnEnd: !!container.record.Config.StdinOnce,
        detachKeys,
        onDetach: () => deps.containers.emit(container, 'detach'),
      },
      done,
    );
    return;
  }
  if (execStart) {
    const exec = deps.execs.get(decodeURIComponent(execStart[1]!));
    const options = (body.length ? JSON.parse(body.toString('utf8')) : {}) as { Tty?: boolean };
    const tty = options.Tty ?? !!exec.config.Tty;
    const wanted = new Set<StreamName>(['stdout', 'stderr']);
    deps.execs.assertStartable(exec);
    const detachKeys = parseDetachKeys(exec.config.DetachKeys ?? '', 'escape keys');
    respond101(socket, deps.engineVersion, tty);
    // Listen before the process starts: a short-lived one may print and exit at once.
    const started = deps.execs.start(exec);
    pipe(
      socket,
      exec.hub,
      {
        tty,
        wanted,
        stdin: !!exec.config.AttachStdin,
        closeStdinOnEnd: true,
        detachKeys,
        onDetach: () => deps.containers.emit(exec.container, 'exec_detach', { execID: exec.id }),
      },
      started.then(
        () => exec.done,
        (err: unknown) => {
          // The 101 is sent: the error goes down the stream, as dockerd writes it.
          const message = Buffer.from(`${(err as Error).message}\r\n`);
          socket.write(tty ? message : frame('stderr', message));
        },
      ),
    );
    return;
  }
  throw Object.assign(new Error('page not found'), { statusCode: 404 });
}

function respond101(socket: Duplex, engineVersion: string, tty: boolean) {
  const headers = {
    ...engineHeaders(engineVersion),
    'Content-Type': tty
      ? 'application/vnd.docker.raw-stream'
      : 'application/vnd.docker.multiplexed-stream',
    Connection: 'Upgrade',
    Upgrade: 'tcp',
  };
  socket.write(
    `HTTP/1.1 101 UPGRADED\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n`,
  );
}

interface PipeOptions {
  tty: boolean;
  wanted: Set<StreamName>;
  stdin: boolean;
  closeStdinOnEnd: boolean;
  /** Watched for in the input with a TTY, as Docker does; they end the attach, not the process. */
  detachKeys: Buffer;
  onDetach: () => void;
}

/** Copies output to the client until `done`, and the client's input to stdin. */
function pipe(socket: Duplex, hub: StreamHub, options: PipeOptions, done: Promise<unknown>) {
  const stop = hub.listen((stream, chunk) => {
    if (options.wanted.has(stream)) socket.write(options.tty ? chunk : frame(stream, chunk));
  });
  const end = () => {
    stop();
    socket.end();
  };
  socket.on('error', () => stop());
  socket.on('close', stop);
  if (options.stdin) {
    const scanner = options.tty ? new DetachKeyScanner(options.detachKeys) : undefined;
    const onInput = (chunk: Buffer) => {
      const { input, detached } = scanner?.scan(chunk) ?? { input: chunk, detached: false };
      if (input.length) hub.writeStdin(input);
      if (!detached) return;
      socket.off('data', onInput);
      options.onDetach();
      end();
    };
    socket.on('data', onInput);
    // A TTY's client going away ends only its attach: the process keeps its terminal input.
    socket.on('end', () => (options.tty ? end() : options.closeStdinOnEnd && hub.closeStdin()));
  }
  // Reading the request body may have paused the socket; input is consumed (or dropped).
  socket.resume();
  void done.then(end);
}
