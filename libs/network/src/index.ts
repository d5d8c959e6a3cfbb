export {
  NetworkManager,
  type ConnectOptions,
  type CreateNetworkOptions,
  type EndpointInfo,
  type NetworkManagerOptions,
  type Sandbox,
  type SandboxSpec,
} from './manager';
export { NetworkError } from './errors';
export type { NetworkResource, NetworkContainer } from './inspect';
export type { PortBinding, Protocol } from './store/records';
export type { ReconcileReport } from './reconcile';
export type { SubnetPool } from './subnets';
export * as cni from './cni';
