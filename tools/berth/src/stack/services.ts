// The services `berth up` runs, in start order, each with the endpoint that proves it is
// ready. Endpoints are the services' embedded defaults (DESIGN.md, "State, sockets, defaults").

export type Probe =
  | { kind: 'grpc-unix'; path: string }
  | { kind: 'http'; url: string }
  | { kind: 'http-unix'; path: string; urlPath: string };

export interface ServiceSpec {
  /** Short name used for pid and log files. */
  name: string;
  /** Executable looked up on PATH. */
  binary: string;
  probe: Probe;
}

export const STACK: readonly ServiceSpec[] = [
  {
    name: 'registry',
    binary: 'berth-registry',
    probe: { kind: 'http', url: 'http://127.0.0.1:5000/v2/' },
  },
  {
    name: 'containerd',
    binary: 'berth-containerd',
    probe: { kind: 'grpc-unix', path: '/run/berth/containerd/containerd.sock' },
  },
  {
    name: 'dockerd',
    binary: 'berth-dockerd',
    probe: { kind: 'http-unix', path: '/run/berth/docker.sock', urlPath: '/_ping' },
  },
];

export function describeEndpoint(probe: Probe): string {
  switch (probe.kind) {
    case 'http':
      return probe.url;
    case 'grpc-unix':
      return `unix://${probe.path}`;
    case 'http-unix':
      return `unix://${probe.path}`;
  }
}
