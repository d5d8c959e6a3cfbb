// Read-only listings: GET /v2/<name>/tags/list, GET /v2/_catalog, GET /v2/<name>/referrers/<digest>.
import type { FastifyReply } from 'fastify';
import { parseDigest } from '../reference';
import { OCI_INDEX } from '../storage/manifest-format';
import type { MethodTable } from './context';
import { paginate, queryString, sendJson } from './http';
import type { Route } from './routes';

/** Pages a sorted list and adds the spec's `Link: <…>; rel="next"` when more remain. */
function sendPage(
  reply: FastifyReply,
  path: string,
  items: string[],
  query: Record<string, unknown>,
  render: (page: string[]) => unknown,
): void {
  const { page, more, n } = paginate(items, queryString(query.n), queryString(query.last));
  const last = page.at(-1);
  if (more && n !== undefined && last !== undefined) {
    const next = new URLSearchParams({ n: String(n), last });
    reply.header('Link', `<${path}?${next.toString()}>; rel="next"`);
  }
  sendJson(reply, render(page));
}

export const tagsHandlers: MethodTable<Extract<Route, { kind: 'tags' }>> = {
  GET: async (ctx, req, reply, route) => {
    const tags = await ctx.storage.manifests.tags(route.name);
    sendPage(
      reply,
      `/v2/${route.name}/tags/list`,
      tags,
      req.query as Record<string, unknown>,
      (page) => ({
        name: route.name,
        tags: page,
      }),
    );
  },
};

export const catalogHandlers: MethodTable<Extract<Route, { kind: 'catalog' }>> = {
  GET: async (ctx, req, reply) => {
    const repos = await ctx.storage.repositories();
    sendPage(reply, '/v2/_catalog', repos, req.query as Record<string, unknown>, (page) => ({
      repositories: page,
    }));
  },
};

export const referrersHandlers: MethodTable<Extract<Route, { kind: 'referrers' }>> = {
  GET: async (ctx, req, reply, route) => {
    const subject = parseDigest(route.digest);
    const artifactType = queryString((req.query as Record<string, unknown>).artifactType);
    const manifests = await ctx.storage.manifests.referrers(route.name, subject, artifactType);
    if (artifactType !== undefined) reply.header('OCI-Filters-Applied', 'artifactType');
    sendJson(reply, { schemaVersion: 2, mediaType: OCI_INDEX, manifests }, OCI_INDEX);
  },
};
