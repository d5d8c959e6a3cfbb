// The built-in token issuer of the Docker token protocol: signed JWTs whose `access` claim
// lists the granted scopes, as distribution's token auth expects.
import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { Access } from './access';

export interface TokenOptions {
  service: string;
  issuer: string;
  ttlSeconds: number;
  /** HMAC key; random per process when not configured (tokens then die with the process). */
  secret?: Buffer;
}

export interface IssuedToken {
  token: string;
  access_token: string;
  expires_in: number;
  issued_at: string;
}

export class TokenService {
  private readonly key: Uint8Array;

  constructor(readonly options: TokenOptions) {
    this.key = options.secret ?? randomBytes(32);
  }

  async issue(account: string | null, access: Access[]): Promise<IssuedToken> {
    const now = new Date();
    const token = await new SignJWT({ access })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(this.options.issuer)
      .setAudience(this.options.service)
      .setSubject(account ?? '')
      .setIssuedAt(Math.floor(now.getTime() / 1000))
      .setNotBefore(Math.floor(now.getTime() / 1000) - 1)
      .setExpirationTime(Math.floor(now.getTime() / 1000) + this.options.ttlSeconds)
      .setJti(randomBytes(8).toString('hex'))
      .sign(this.key);
    return {
      token,
      access_token: token,
      expires_in: this.options.ttlSeconds,
      issued_at: now.toISOString(),
    };
  }

  /** The access a token grants, or null when it is forged, expired or for another service. */
  async verify(token: string): Promise<Access[] | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: this.options.issuer,
        audience: this.options.service,
      });
      return Array.isArray(payload.access) ? (payload.access as Access[]) : [];
    } catch {
      return null;
    }
  }
}
