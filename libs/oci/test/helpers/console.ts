// A console socket like containerd's shim serves: receives the pty master sent by the
// container's launcher (SCM_RIGHTS) and reads what the container writes to its terminal.
import { createReadStream } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { recvFd } from '../../src/sys/libc';

export interface ConsoleSocket {
  path: string;
  /** Resolves to the pty's name and everything read from its master until the slave closes. */
  session: Promise<{ name: string; output: string }>;
  close(): void;
}

export function listenConsole(dir: string): Promise<ConsoleSocket> {
  const path = join(dir, 'console.sock');
  let server: Server;
  const session = new Promise<{ name: string; output: string }>((resolve, reject) => {
    // Paused from the start: a read by Node would swallow the fd sent with the message.
    server = createServer({ pauseOnConnect: true }, (sock: Socket) => {
      const fd = (sock as unknown as { _handle: { fd: number } })._handle.fd;
      const poll = () => {
        try {
          const got = recvFd(fd);
          if (!got) return void setTimeout(poll, 5);
          sock.destroy();
          let output = '';
          createReadStream('', { fd: got.fd })
            .on('data', (c) => (output += c.toString()))
            // EIO once the slave side is gone is how a pty reports end of output.
            .on('error', () => resolve({ name: got.name, output }))
            .on('end', () => resolve({ name: got.name, output }));
        } catch (err) {
          reject(err as Error);
        }
      };
      poll();
    });
  });
  return new Promise((resolve) =>
    server.listen(path, () => resolve({ path, session, close: () => server.close() })),
  );
}
