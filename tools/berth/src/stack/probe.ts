// Readiness probes: a service counts as up only when its API answers, not when its
// process exists or its socket file appears.
import { request } from 'node:http';
import { connect } from 'node:net';
import type { Probe } from './services';

const PROBE_TIMEOUT_MS = 1_000;

/** Resolves true when the endpoint answers a protocol request within the timeout. */
export function probe(p: Probe): Promise<boolean> {
  switch (p.kind) {
    case 'http':
      return httpAnswers({ url: p.url });
    case 'http-unix':
      return httpAnswers({ socketPath: p.path, path: p.urlPath });
    case 'grpc-unix':
      return http2PrefaceAnswered(p.path);
  }
}

function httpAnswers(target: {
  url?: string;
  socketPath?: string;
  path?: string;
}): Promise<boolean> {
  return new Promise((resolve) => {
    const opts = {
      method: 'GET',
      timeout: PROBE_TIMEOUT_MS,
      socketPath: target.socketPath,
      path: target.path,
    };
    const req = target.url ? request(target.url, opts) : request(opts);
    req.on('response', (res) => {
      res.resume();
      // Any HTTP answer, even 401 from a registry with auth, means the server is serving.
      resolve(res.statusCode !== undefined && res.statusCode < 500);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

// A gRPC server answers the HTTP/2 client preface with a SETTINGS frame. Checking for it
// proves the server speaks HTTP/2 on the socket without loading a gRPC client into the CLI.
const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const EMPTY_SETTINGS = Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]);
const FRAME_TYPE_SETTINGS = 4;

function http2PrefaceAnswered(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(path);
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(PROBE_TIMEOUT_MS, () => done(false));
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write(Buffer.concat([HTTP2_PREFACE, EMPTY_SETTINGS])));
    sock.once('data', (chunk: Buffer) =>
      done(chunk.length >= 9 && chunk[3] === FRAME_TYPE_SETTINGS),
    );
  });
}
