import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Storage } from '../storage';
import type { Route } from './routes';

export interface ApiContext {
  storage: Storage;
  manifestBodyLimit: number;
  /** Whether the caller of `req` may pull from `name` (cross-repository mount needs it). */
  mayPull(req: FastifyRequest, name: string): Promise<boolean>;
}

export type Handler<R extends Route = Route> = (
  ctx: ApiContext,
  req: FastifyRequest,
  reply: FastifyReply,
  route: R,
) => Promise<void>;

export type MethodTable<R extends Route> = Partial<Record<string, Handler<R>>>;
