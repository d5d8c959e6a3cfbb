// Answers registry auth challenges as Docker does: Basic with the host's credentials, or a
// Docker token (Bearer realm/service/scope) fetched from the realm, anonymously when there are
// no credentials, with an identity token as an OAuth refresh token, and cached per scope.
import type { Challenge } from './challenge';
import { UnauthorizedError } from './errors';

/** What `docker login` stores for a registry (X-Registry-Auth carries the same fields). */
export interface Credentials {
  username?: string;
  password?: string;
  /** An OAuth refresh token from an earlier login. */
  identityToken?: string;
  /** A bearer token to send as is. */
  registryToken?: string;
}

/** One HTTP exchange with a token service; the client supplies it (TLS settings, agent). */
export type TokenTransport = (
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
) => Promise<{ status: number; body: string }>;

interface CachedToken {
  token: string;
  expiresAt: number;
}

/** Docker's default when a token response has no expires_in. */
const DEFAULT_TOKEN_SECONDS = 60;

export class Authorizer {
  private readonly challenges = new Map<string, Challenge>();
  private readonly tokens = new Map<string, CachedToken>();

  constructor(
    private readonly credentials: (host: string) => Credentials | undefined,
    private readonly transport: TokenTransport,
  ) {}

  /** The Authorization header for a request to `host` needing `scopes`, if auth is known to be needed. */
  async header(host: string, scopes: readonly string[]): Promise<string | undefined> {
    const challenge = this.challenges.get(host);
    if (!challenge) return undefined;
    const creds = this.credentials(host);
    if (challenge.scheme === 'basic') {
      if (!creds?.username) return undefined;
      return `Basic ${Buffer.from(`${creds.username}:${creds.password ?? ''}`).toString('base64')}`;
    }
    if (creds?.registryToken) return `Bearer ${creds.registryToken}`;
    const wanted =
      scopes.length > 0 ? scopes : challenge.params.scope ? [challenge.params.scope] : [];
    const key = `${host} ${[...wanted].sort().join(' ')}`;
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > Date.now()) return `Bearer ${cached.token}`;
    const token = await this.fetchToken(challenge, wanted, creds);
    this.tokens.set(key, token);
    return `Bearer ${token.token}`;
  }

  /**
   * Takes note of a 401's challenge. Returns whether a retry can succeed: the challenge is one
   * we answer and differs from what we already sent.
   */
  challenged(host: string, challenges: Challenge[], sent: string | undefined): boolean {
    const usable = challenges.find((c) => c.scheme === 'bearer' || c.scheme === 'basic');
    if (!usable) return false;
    const known = this.challenges.get(host);
    this.challenges.set(host, usable);
    if (usable.scheme === 'bearer') {
      // a cached token for this scope was refused: drop them all for the host
      for (const key of this.tokens.keys()) if (key.startsWith(`${host} `)) this.tokens.delete(key);
    }
    return sent === undefined || known?.scheme !== usable.scheme || usable.scheme === 'bearer';
  }

  private async fetchToken(
    challenge: Challenge,
    scopes: readonly string[],
    creds: Credentials | undefined,
  ): Promise<CachedToken> {
    const realm = challenge.params.realm;
    if (!realm) throw new UnauthorizedError('bearer challenge without a realm');
    const url = new URL(realm);
    const service = challenge.params.service;
    let response;
    if (creds?.identityToken) {
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: creds.identityToken,
        client_id: 'docker',
        ...(service ? { service } : {}),
        scope: scopes.join(' '),
      });
      response = await this.transport(url.href, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
    } else {
      if (service) url.searchParams.set('service', service);
      for (const scope of scopes) url.searchParams.append('scope', scope);
      const headers: Record<string, string> = {};
      if (creds?.username) {
        const basic = Buffer.from(`${creds.username}:${creds.password ?? ''}`).toString('base64');
        headers.authorization = `Basic ${basic}`;
      }
      response = await this.transport(url.href, { method: 'GET', headers });
    }
    if (response.status === 401 || response.status === 403) {
      throw new UnauthorizedError(`${realm}: unauthorized: incorrect username or password`);
    }
    if (response.status !== 200) {
      throw new UnauthorizedError(`${realm}: token request failed with status ${response.status}`);
    }
    const body = JSON.parse(response.body) as {
      token?: string;
      access_token?: string;
      expires_in?: number;
    };
    const token = body.token || body.access_token;
    if (!token) throw new UnauthorizedError(`${realm}: token response without a token`);
    return {
      token,
      expiresAt: Date.now() + (body.expires_in || DEFAULT_TOKEN_SECONDS) * 1000 - 5_000,
    };
  }
}
