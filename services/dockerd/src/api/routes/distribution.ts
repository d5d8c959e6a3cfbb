// Registry operations of the Engine API: POST /images/create?fromImage= (docker pull; the
// /images/create route of ./image-archive hands it here), POST /images/{name}/push and POST
// /auth (docker login). Errors found before the progress stream starts get Docker's status
// codes; later ones end the stream with an errorDetail line, as dockerd does.
import {
  RegistryClient,
  RegistryError,
  UnauthorizedError,
  familiarName,
  formatReference,
  parseReference,
  withDefaultTag,
  type Credentials,
  type Reference,
  type Repository,
} from '@berth/distribution';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ContainerdConnection } from '../../containerd/connection';
import { credentialsOf, decodeRegistryAuth, type AuthConfig } from '../../images/auth-header';
import { ProgressStream } from '../../images/progress';
import { pullImage, resolvePull } from '../../images/pull';
import { pushImage, type PushRequest } from '../../images/push';
import type { ImageStore } from '../../images/store';
import { ApiError, invalidParameter, notFound } from '../errors';
import { openStream } from '../stream-reply';

export interface DistributionDeps {
  engineVersion: string;
  connection: ContainerdConnection;
  images: ImageStore;
  /** --insecure-registry entries (host[:port] or CIDR). */
  insecureRegistries: readonly string[];
}

type Query = Record<string, string | undefined>;

/**
 * Repository names have any number of path components, and find-my-way parameters stop at
 * "/": one route per depth, which leaves every other POST /images/* to the images routes.
 */
const MAX_NAME_COMPONENTS = 10;

function clientFor(deps: DistributionDeps, credentials: Credentials | undefined): RegistryClient {
  return new RegistryClient({
    insecure: deps.insecureRegistries,
    credentials: () => credentials,
    userAgent: `docker/${deps.engineVersion} berth`,
  });
}

/** Runs `work` with progress on an open JSON stream; a failure becomes its last line. */
async function streamProgress(
  reply: FastifyReply,
  engineVersion: string,
  work: (out: ProgressStream) => Promise<void>,
): Promise<void> {
  // The CLI renders progress only for exactly "application/json" (no charset).
  const out = new ProgressStream(openStream(reply, engineVersion, 'application/json'));
  try {
    await work(out);
  } catch (err) {
    out.error((err as Error).message);
  } finally {
    out.end();
  }
}

/**
 * Docker's words for a pull the registry refused before anything was fetched: an unknown or
 * forbidden repository is "pull access denied", an unknown tag of a known one "not found".
 */
async function pullError(err: unknown, repo: Repository, ref: Reference): Promise<unknown> {
  const denied = () =>
    notFound(
      `pull access denied for ${familiarName(ref.name)}, repository does not exist or may require 'docker login': ${(err as Error).message}`,
    );
  if (err instanceof UnauthorizedError) return denied();
  if (!(err instanceof RegistryError) || !err.notFoundOrDenied) return err;
  if (err.code !== 'MANIFEST_UNKNOWN') return denied();
  const repoKnown = await repo.tags().then(
    () => true,
    () => false,
  );
  if (!repoKnown) return denied();
  return notFound(`manifest for ${familiarName(formatReference(ref))} not found: ${err.message}`);
}

/** The handler of POST /images/create?fromImage=&tag= (docker pull). */
export function pullHandler(deps: DistributionDeps) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const query = req.query as Query;
    const from = query.fromImage ?? '';
    const tag = query.tag ?? '';
    // tag may carry a digest: fromImage=busybox&tag=sha256:…
    const ref = withDefaultTag(
      parseReference(tag ? `${from}${tag.includes(':') ? '@' : ':'}${tag}` : from),
    );
    const client = clientFor(deps, decodeRegistryAuth(req.headers['x-registry-auth']));
    try {
      const repo = client.repository(ref.name);
      const resolved = await resolvePull(repo, ref).catch(async (err: unknown) => {
        throw await pullError(err, repo, ref);
      });
      await streamProgress(reply, deps.engineVersion, (out) => pullImage(deps, resolved, out));
    } finally {
      await client.close();
    }
  };
}

export function distributionRoutes(app: FastifyInstance, deps: DistributionDeps) {
  for (let depth = 1; depth <= MAX_NAME_COMPONENTS; depth++) {
    const params = Array.from({ length: depth }, (_, i) => `:c${i}`).join('/');
    app.post(`/images/${params}/push`, async (req, reply) => {
      const name = Object.values(req.params as Record<string, string>).join('/');
      await push(deps, name, (req.query as Query).tag ?? '', req, reply);
    });
  }

  app.post('/auth', async (req) => {
    const body = (req.body ?? {}) as AuthConfig;
    const client = clientFor(deps, credentialsOf(body));
    try {
      await client.login(body.serveraddress || 'https://index.docker.io/v1/');
    } catch (err) {
      if (err instanceof UnauthorizedError) throw new ApiError(401, err.message);
      throw err;
    } finally {
      await client.close();
    }
    return { Status: 'Login Succeeded', IdentityToken: '' };
  });
}

/**
 * POST /images/{name}/push: the named tag, or every tag of the repository when neither the
 * name nor the query has one (docker push --all-tags).
 */
async function push(
  deps: DistributionDeps,
  name: string,
  tag: string,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const ref = parseReference(tag ? `${name}:${tag}` : name);
  if (ref.digest) throw invalidParameter('pushing by digest is not supported: name a tag');
  const names = (await deps.images.list())
    .flatMap((image) => image.names)
    .map((n) => parseReference(n))
    .filter((r) => r.name === ref.name && r.tag && (!ref.tag || r.tag === ref.tag));
  const targets: Omit<PushRequest, 'repo'>[] = [];
  for (const r of names) {
    const target = await deps.images.targetOf(formatReference(r));
    if (target) targets.push({ ref: { ...r, tag: r.tag! }, target });
  }
  if (targets.length === 0) {
    throw notFound(`An image does not exist locally with the tag: ${familiarName(ref.name)}`);
  }
  const client = clientFor(deps, decodeRegistryAuth(req.headers['x-registry-auth']));
  const repo = client.repository(ref.name);
  try {
    await streamProgress(reply, deps.engineVersion, async (out) => {
      for (const target of targets) await pushImage(deps.connection, { ...target, repo }, out);
    });
  } finally {
    await client.close();
  }
}
