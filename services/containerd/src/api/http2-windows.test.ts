import { Server, ServerCredentials } from '@grpc/grpc-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as connectHttp2, type ClientHttp2Session } from 'node:http2';
import { connect as connectNet } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindWithWideWindows, CONNECTION_WINDOW, STREAM_WINDOW } from './http2-windows';

describe('bindWithWideWindows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-h2win-'));
  const socket = join(dir, 'grpc.sock');
  const server = new Server();
  let session: ClientHttp2Session;

  beforeAll(async () => {
    await bindWithWideWindows(server, `unix://${socket}`, ServerCredentials.createInsecure());
    session = connectHttp2('http://localhost', { createConnection: () => connectNet(socket) });
    await new Promise((resolve) => session.once('remoteSettings', resolve));
  });
  afterAll(() => {
    session.destroy();
    server.forceShutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('advertises the wide per-stream window in SETTINGS', () => {
    expect(session.remoteSettings.initialWindowSize).toBe(STREAM_WINDOW);
  });

  it('widens the connection window with a WINDOW_UPDATE', async () => {
    // The update follows the SETTINGS frame; a ping round trip makes sure it has arrived.
    await new Promise((resolve, reject) =>
      session.ping((err) => (err ? reject(err) : resolve(undefined))),
    );
    expect(session.state.remoteWindowSize).toBe(CONNECTION_WINDOW);
  });
});
