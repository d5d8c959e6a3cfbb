// GET /info: what `docker info` prints about the daemon, its containers and images.
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { ContainerManager } from '../../containers/manager';
import type { RuntimeTable } from '../../containers/runtimes';
import type { ImageStore } from '../../images/store';
import type { HostFacts } from '../../system/platform';

export interface InfoDeps {
  engineVersion: string;
  host: HostFacts;
  dataRoot: string;
  containers: ContainerManager;
  runtimes: RuntimeTable;
  images: ImageStore;
  containerdVersion(): Promise<string>;
}

export function infoRoutes(app: FastifyInstance, deps: InfoDeps) {
  app.get('/info', async () => {
    const containers = deps.containers.list();
    const count = (status: string) =>
      containers.filter((c) => c.record.State.Status === status).length;
    const [images, containerdRevision] = await Promise.all([
      deps.images.list(),
      deps.containerdVersion(),
    ]);
    return {
      ID: '',
      Containers: containers.length,
      ContainersRunning: count('running'),
      ContainersPaused: count('paused'),
      ContainersStopped: containers.length - count('running') - count('paused'),
      Images: images.length,
      Driver: 'overlayfs',
      DriverStatus: [['driver-type', 'io.containerd.snapshotter.v1']],
      Plugins: {
        Volume: ['local'],
        Network: ['host', 'null'],
        Authorization: null,
        Log: ['json-file'],
      },
      MemoryLimit: true,
      SwapLimit: false,
      CpuCfsPeriod: true,
      CpuCfsQuota: true,
      CPUShares: true,
      CPUSet: true,
      PidsLimit: true,
      IPv4Forwarding: false,
      Debug: false,
      NFd: 0,
      OomKillDisable: false,
      NGoroutines: 0,
      SystemTime: new Date().toISOString(),
      LoggingDriver: 'json-file',
      CgroupDriver: 'cgroupfs',
      CgroupVersion: '1',
      NEventsListener: 0,
      KernelVersion: deps.host.kernelVersion,
      OperatingSystem: deps.host.operatingSystem,
      OSVersion: '',
      OSType: 'linux',
      Architecture: deps.host.arch === 'amd64' ? 'x86_64' : deps.host.arch,
      IndexServerAddress: 'https://index.docker.io/v1/',
      RegistryConfig: { IndexConfigs: {}, InsecureRegistryCIDRs: ['127.0.0.0/8'], Mirrors: [] },
      NCPU: deps.host.ncpu,
      MemTotal: deps.host.memTotal,
      GenericResources: null,
      DockerRootDir: deps.dataRoot,
      HttpProxy: '',
      HttpsProxy: '',
      NoProxy: '',
      Name: hostname(),
      Labels: [],
      ExperimentalBuild: false,
      ServerVersion: deps.engineVersion,
      Runtimes: deps.runtimes.info(),
      DefaultRuntime: deps.runtimes.defaultRuntime,
      Swarm: {
        NodeID: '',
        NodeAddr: '',
        LocalNodeState: 'inactive',
        ControlAvailable: false,
        Error: '',
        RemoteManagers: null,
      },
      LiveRestoreEnabled: true,
      Isolation: '',
      InitBinary: '',
      ContainerdCommit: { ID: containerdRevision },
      RuncCommit: { ID: '' },
      InitCommit: { ID: '' },
      SecurityOptions: [],
      Warnings: [
        'WARNING: bridge networking is not available: containers get a network namespace with only lo',
      ],
    };
  });
}
