// GET/HEAD /_ping and GET /version.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { HostFacts } from '../../system/platform';
import { MAX_API_VERSION, MIN_API_VERSION } from '../versions';

export interface SystemRouteDeps {
  engineVersion: string;
  host: HostFacts;
  /** Versions of the components behind the daemon (containerd, runtime), asked when needed. */
  componentVersions(): Promise<
    { Name: string; Version: string; Details?: Record<string, string> }[]
  >;
}

export function systemRoutes(app: FastifyInstance, deps: SystemRouteDeps) {
  const ping = async (_req: unknown, reply: FastifyReply) => {
    reply
      .header('Cache-Control', 'no-cache, no-store, must-revalidate')
      .header('Pragma', 'no-cache')
      // No BuildKit behind this daemon: clients fall back to the classic builder protocol.
      .header('Builder-Version', '1')
      .type('text/plain; charset=utf-8');
    return 'OK';
  };
  // Fastify answers HEAD for every GET route (exposeHeadRoutes), as the CLI's HEAD /_ping needs.
  app.get('/_ping', ping);

  app.get('/version', async () => {
    const { host, engineVersion } = deps;
    const engine = {
      Name: 'Engine',
      Version: engineVersion,
      Details: {
        ApiVersion: MAX_API_VERSION,
        MinAPIVersion: MIN_API_VERSION,
        Os: 'linux',
        Arch: host.arch,
        KernelVersion: host.kernelVersion,
        GoVersion: `node ${process.version}`,
        GitCommit: 'berth',
        BuildTime: '',
        Experimental: 'false',
      },
    };
    return {
      Platform: { Name: 'berth' },
      Components: [engine, ...(await deps.componentVersions())],
      Version: engineVersion,
      ApiVersion: MAX_API_VERSION,
      MinAPIVersion: MIN_API_VERSION,
      GitCommit: 'berth',
      GoVersion: `node ${process.version}`,
      Os: 'linux',
      Arch: host.arch,
      KernelVersion: host.kernelVersion,
      BuildTime: '',
    };
  });
}
