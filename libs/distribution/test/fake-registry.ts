// A minimal registry over node:http for auth and error cases: one repository "app" with one
// manifest ("v1") and one blob, behind no auth, Basic auth, or a Docker token realm.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const USER = 'alice';
export const PASSWORD = 'secret';
export const BLOB = Buffer.from('layer bytes');
export const BLOB_DIGEST = digestOf(BLOB);
export const MANIFEST = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: BLOB_DIGEST,
      size: BLOB.length,
    },
    layers: [],
  }),
);
export const MANIFEST_DIGEST = digestOf(MANIFEST);

export function digestOf(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export interface FakeOptions {
  auth: 'none' | 'basic' | 'token';
  /** Serve this instead of the blob's real bytes. */
  tamperBlob?: Buffer;
  /** Claim this Docker-Content-Digest for the manifest. */
  claimDigest?: string;
  /** Break the connection after this many bytes of the first blob download. */
  cutBlobAfter?: number;
}

export interface FakeRegistry {
  host: string;
  /** Scope strings of every token request, and whether it carried credentials. */
  tokenRequests: { scopes: string[]; user?: string }[];
  /** Range headers of blob requests (undefined for a whole-blob GET). */
  blobRanges: (string | undefined)[];
  close(): Promise<void>;
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export async function startFake(options: FakeOptions): Promise<FakeRegistry> {
  const tokenRequests: FakeRegistry['tokenRequests'] = [];
  const blobRanges: FakeRegistry['blobRanges'] = [];
  let host = '';
  const error = (res: ServerResponse, status: number, code: string, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code, message }] }));
  };
  const authorized = (req: IncomingMessage, res: ServerResponse): boolean => {
    const header = req.headers.authorization;
    if (options.auth === 'none') return true;
    if (options.auth === 'basic') {
      if (header === basic(USER, PASSWORD)) return true;
      res.setHeader('www-authenticate', 'Basic realm="fake"');
    } else {
      const scope = 'repository:app:pull';
      if (header?.startsWith('Bearer tok ') && header.includes(scope)) return true;
      res.setHeader(
        'www-authenticate',
        `Bearer realm="http://${host}/token",service="fake, \\"quoted\\"",scope="${scope}"`,
      );
    }
    error(res, 401, 'UNAUTHORIZED', 'authentication required');
    return false;
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (url.pathname === '/token') {
      const header = req.headers.authorization;
      if (header && header !== basic(USER, PASSWORD)) return error(res, 401, 'UNAUTHORIZED', 'bad');
      const scopes = url.searchParams.getAll('scope');
      tokenRequests.push({ scopes, ...(header ? { user: USER } : {}) });
      if (url.searchParams.get('service') !== 'fake, "quoted"') return error(res, 400, 'X', 'svc');
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ token: `tok ${scopes.join(' ')}`, expires_in: 300 }));
    }
    if (!authorized(req, res)) return;
    if (url.pathname === '/v2/') return res.end('{}');
    if (
      url.pathname === '/v2/app/manifests/v1' ||
      url.pathname === `/v2/app/manifests/${MANIFEST_DIGEST}`
    ) {
      res.writeHead(200, {
        'content-type': 'application/vnd.oci.image.manifest.v1+json',
        'docker-content-digest': options.claimDigest ?? MANIFEST_DIGEST,
      });
      return res.end(MANIFEST);
    }
    if (url.pathname === `/v2/app/blobs/${BLOB_DIGEST}`) {
      const range = req.headers.range;
      blobRanges.push(range);
      const blob = options.tamperBlob ?? BLOB;
      if (options.cutBlobAfter !== undefined && blobRanges.length === 1) {
        res.writeHead(200, { 'content-length': blob.length });
        res.write(blob.subarray(0, options.cutBlobAfter));
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      const start = Number(/^bytes=(\d+)-$/.exec(range ?? '')?.[1] ?? 0);
      if (start > 0) {
        res.writeHead(206, { 'content-range': `bytes ${start}-${blob.length - 1}/${blob.length}` });
      }
      return res.end(blob.subarray(start));
    }
    if (url.pathname.startsWith('/v2/app/manifests/')) {
      return error(res, 404, 'MANIFEST_UNKNOWN', 'manifest unknown');
    }
    return error(res, 404, 'NAME_UNKNOWN', 'repository name not known to registry');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    tokenRequests,
    blobRanges,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
