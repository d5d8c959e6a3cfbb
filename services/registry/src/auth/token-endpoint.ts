// GET /token: the realm of the built-in token issuer. Basic credentials (checked against
// htpasswd) name the account; each requested scope is granted as far as the policy allows.
import type { FastifyInstance } from 'fastify';
import { RegistryError } from '../errors';
import { type AccessPolicy, parseScopes } from './access';
import { basicCredentials, type Htpasswd } from './htpasswd';
import type { TokenService } from './token';

export const TOKEN_PATH = '/token';

export function registerTokenEndpoint(
  app: FastifyInstance,
  tokens: TokenService,
  users: Htpasswd | null,
  policy: AccessPolicy,
): void {
  app.get(TOKEN_PATH, async (req, reply) => {
    const creds = basicCredentials(req.headers.authorization);
    if (creds && !(await users?.verify(creds.user, creds.password))) {
      throw new RegistryError('UNAUTHORIZED', 'invalid username or password');
    }
    const account = creds?.user ?? null;
    const query = req.query as Record<string, unknown>;
    const scopeParams = ([] as unknown[]).concat(query.scope ?? []);
    const requested = scopeParams.filter((s) => typeof s === 'string').flatMap(parseScopes);
    const access = requested
      .map((a) => ({ ...a, actions: policy.grant(account, a) }))
      .filter((a) => a.actions.length > 0);
    reply.header('Cache-Control', 'no-store').send(await tokens.issue(account, access));
  });
}
