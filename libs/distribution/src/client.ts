// HTTP to registries with undici: endpoint choice and fallback (endpoints.ts), auth challenges
// answered and retried once (auth.ts), redirects followed (blob storage often redirects).
import { Readable } from 'node:stream';
import { Agent, interceptors, type Dispatcher } from 'undici';
import { Authorizer, type Credentials } from './auth';
import { parseChallenges } from './challenge';
import { endpointsFor, registryHostOf, type Endpoint } from './endpoints';
import { RegistryError, UnauthorizedError, registryError } from './errors';
import { isConnectionError } from './network-errors';
import { Repository } from './repository';

export interface ClientOptions {
  /** Docker's --insecure-registry entries: host[:port] or CIDR. */
  insecure?: readonly string[];
  /**
   * CA certificates (PEM) per registry host, as Docker's certs.d/<host>/ca.crt: such a host is
   * reached over HTTPS checked against its CA, even on loopback.
   */
  ca?: Readonly<Record<string, string | Buffer>>;
  /** Credentials per registry host (docker.io, host:5000). */
  credentials?: (host: string) => Credentials | undefined;
  userAgent?: string;
}

export interface RegistryRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A path below the endpoint ("/v2/…") or an absolute URL (an upload Location). */
  path: string;
  /** Token scopes the request needs: "repository:library/busybox:pull". */
  scopes: readonly string[];
  headers?: Record<string, string>;
  /** Made afresh for each attempt, so that an auth retry can resend it. */
  body?: () => Buffer | Readable | AsyncIterable<Buffer>;
}

export type RegistryResponse = Dispatcher.ResponseData;

const MAX_REDIRECTS = 5;

function agent(connect: { ca?: string | Buffer; rejectUnauthorized?: boolean }): Dispatcher {
  return new Agent({ connect }).compose(interceptors.redirect({ maxRedirections: MAX_REDIRECTS }));
}

export class RegistryClient {
  private readonly verified: Dispatcher;
  private readonly unverified: Dispatcher;
  private readonly withOwnCa = new Map<string, Dispatcher>();
  private readonly authorizer: Authorizer;
  /** The endpoint that answered last, per host: later requests go there first. */
  private readonly working = new Map<string, Endpoint>();

  constructor(private readonly options: ClientOptions = {}) {
    this.verified = agent({});
    this.unverified = agent({ rejectUnauthorized: false });
    for (const [host, ca] of Object.entries(options.ca ?? {})) {
      this.withOwnCa.set(host, agent({ ca }));
    }
    this.authorizer = new Authorizer(
      (host) => options.credentials?.(host),
      async (url, init) => {
        const res = await this.dispatcherFor(new URL(url).host, false).request({
          origin: new URL(url).origin,
          path: new URL(url).pathname + new URL(url).search,
          method: init.method,
          headers: { ...this.baseHeaders(), ...init.headers },
          body: init.body,
        });
        return { status: res.statusCode, body: await res.body.text() };
      },
    );
  }

  repository(name: string): Repository {
    return new Repository(this, name);
  }

  /**
   * Sends one request to `host`, answering an auth challenge once. The caller reads or dumps
   * the body of what it gets back.
   */
  async send(host: string, req: RegistryRequest): Promise<RegistryResponse> {
    let auth = await this.authorizer.header(host, req.scopes);
    let res = await this.dispatch(host, req, auth);
    if (res.statusCode === 401) {
      const challenges = parseChallenges(res.headers['www-authenticate']);
      if (this.authorizer.challenged(host, challenges, auth)) {
        await res.body.dump();
        auth = await this.authorizer.header(host, req.scopes);
        res = await this.dispatch(host, req, auth);
      }
    }
    return res;
  }

  /** Like send, but turns any status outside `ok` into a RegistryError (body consumed). */
  async expect(host: string, req: RegistryRequest, ok: number[]): Promise<RegistryResponse> {
    const res = await this.send(host, req);
    if (ok.includes(res.statusCode)) return res;
    throw registryError(res.statusCode, await res.body.text(), `${req.method} ${req.path}`);
  }

  /**
   * Checks credentials as `docker login` does: the /v2/ ping must succeed with them (for
   * token auth, a token must be issued for them).
   */
  async login(serverAddress: string): Promise<void> {
    const host = registryHostOf(serverAddress);
    const res = await this.send(host, { method: 'GET', path: '/v2/', scopes: [] });
    await res.body.dump();
    if (res.statusCode === 401 || res.statusCode === 403) {
      const url = `${this.working.get(host)?.base ?? `https://${host}`}/v2/`;
      throw new UnauthorizedError(
        `login attempt to ${url} failed with status: ${res.statusCode} ${res.statusCode === 401 ? 'Unauthorized' : 'Forbidden'}`,
      );
    }
    if (res.statusCode !== 200) {
      throw new RegistryError(res.statusCode, [], `${host}: unexpected status ${res.statusCode}`);
    }
  }

  async close(): Promise<void> {
    const all = [this.verified, this.unverified, ...this.withOwnCa.values()];
    await Promise.all(all.map((d) => d.close()));
  }

  private dispatcherFor(host: string, skipVerify: boolean): Dispatcher {
    if (skipVerify) return this.unverified;
    return this.withOwnCa.get(host) ?? this.verified;
  }

  private baseHeaders(): Record<string, string> {
    return { 'user-agent': this.options.userAgent ?? 'berth' };
  }

  private async dispatch(
    host: string,
    req: RegistryRequest,
    auth: string | undefined,
  ): Promise<RegistryResponse> {
    const headers = { ...this.baseHeaders(), ...req.headers };
    if (auth) headers.authorization = auth;
    const absolute = /^https?:\/\//.test(req.path);
    const candidates = this.candidates(host, absolute ? new URL(req.path) : undefined);
    let lastError: unknown;
    for (const endpoint of candidates) {
      const url = new URL(absolute ? req.path : endpoint.base + req.path);
      try {
        const res = await this.dispatcherFor(host, endpoint.skipVerify).request({
          origin: url.origin,
          path: url.pathname + url.search,
          method: req.method,
          headers,
          body: requestBody(req),
        });
        this.working.set(host, endpoint);
        return res;
      } catch (err) {
        lastError = err;
        if (!isConnectionError(err)) throw err;
      }
    }
    throw lastError;
  }

  private candidates(host: string, absolute: URL | undefined): Endpoint[] {
    const all = endpointsFor(host, this.options.insecure ?? [], this.withOwnCa.has(host));
    if (absolute) {
      // an upload location names its own scheme; certificate checks follow the host's rule
      const skipVerify = all.some((e) => e.skipVerify) && absolute.protocol === 'https:';
      return [{ base: absolute.origin, skipVerify }];
    }
    const preferred = this.working.get(host);
    return preferred ? [preferred, ...all.filter((e) => e.base !== preferred.base)] : all;
  }
}

/** undici takes a Buffer or a Readable; generators are wrapped. */
function requestBody(req: RegistryRequest): Buffer | Readable | undefined {
  const body = req.body?.();
  if (body === undefined || Buffer.isBuffer(body) || body instanceof Readable) return body;
  return Readable.from(body);
}
