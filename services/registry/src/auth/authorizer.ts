// Decides whether a request may proceed: open (anonymous), htpasswd basic auth, or Docker
// bearer tokens from the built-in issuer. Refusals carry the challenge clients expect.
import type { FastifyRequest } from 'fastify';
import { RegistryError } from '../errors';
import { type Access, type AccessPolicy, formatScope } from './access';
import { basicCredentials, type Htpasswd } from './htpasswd';
import type { TokenService } from './token';

export interface Authorizer {
  /** Throws unless the caller holds `needed`; null means any authenticated caller. */
  authorize(req: FastifyRequest, needed: Access | null): Promise<void>;
  mayPull(req: FastifyRequest, name: string): Promise<boolean>;
}

export const openAuthorizer: Authorizer = {
  authorize: async () => undefined,
  mayPull: async () => true,
};

const BASIC_REALM = 'berth-registry';

function unauthorized(challenge: string): RegistryError {
  return new RegistryError('UNAUTHORIZED', 'authentication required').withHeader(
    'WWW-Authenticate',
    challenge,
  );
}

export class BasicAuthorizer implements Authorizer {
  constructor(
    private readonly users: Htpasswd,
    private readonly policy: AccessPolicy,
  ) {}

  /** The authenticated user, null for an anonymous caller; wrong credentials throw. */
  private async account(req: FastifyRequest): Promise<string | null> {
    const creds = basicCredentials(req.headers.authorization);
    if (!creds) return null;
    if (!(await this.users.verify(creds.user, creds.password))) {
      throw unauthorized(`Basic realm="${BASIC_REALM}"`);
    }
    return creds.user;
  }

  async authorize(req: FastifyRequest, needed: Access | null): Promise<void> {
    const account = await this.account(req);
    if (needed !== null && this.policy.allows(account, needed)) return;
    if (account === null) throw unauthorized(`Basic realm="${BASIC_REALM}"`);
    if (needed !== null) {
      throw new RegistryError('DENIED', 'requested access to the resource is denied', {
        scope: formatScope(needed),
      });
    }
  }

  async mayPull(req: FastifyRequest, name: string): Promise<boolean> {
    const account = await this.account(req);
    return this.policy.allows(account, { type: 'repository', name, actions: ['pull'] });
  }
}

export class TokenAuthorizer implements Authorizer {
  constructor(
    private readonly tokens: TokenService,
    private readonly realm: string | undefined,
  ) {}

  private async granted(req: FastifyRequest): Promise<Access[] | null> {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    return m?.[1] ? this.tokens.verify(m[1]) : null;
  }

  private challenge(req: FastifyRequest, needed: Access | null, insufficient: boolean): string {
    const realm = this.realm ?? `${req.protocol}://${req.host}/token`;
    let text = `Bearer realm="${realm}",service="${this.tokens.options.service}"`;
    if (needed) text += `,scope="${formatScope(needed)}"`;
    if (insufficient) text += ',error="insufficient_scope"';
    return text;
  }

  async authorize(req: FastifyRequest, needed: Access | null): Promise<void> {
    const granted = await this.granted(req);
    if (granted === null) throw unauthorized(this.challenge(req, needed, false));
    if (needed === null || holds(granted, needed)) return;
    throw unauthorized(this.challenge(req, needed, true));
  }

  async mayPull(req: FastifyRequest, name: string): Promise<boolean> {
    const granted = await this.granted(req);
    return granted !== null && holds(granted, { type: 'repository', name, actions: ['pull'] });
  }
}

function holds(granted: Access[], needed: Access): boolean {
  return needed.actions.every((action) =>
    granted.some(
      (g) =>
        g.type === needed.type &&
        g.name === needed.name &&
        (g.actions.includes(action) || g.actions.includes('*')),
    ),
  );
}
