export { startPeer, waitForUnixSocket, type PeerProcess } from './process';
export { startUpstreamContainerd, type UpstreamContainerd } from './containerd';
export {
  buildBerthContainerd,
  startBerthContainerd,
  startContainerdPeer,
} from './berth-containerd';
export {
  buildRegistry,
  selfSignedCert,
  startBerthRegistry,
  startUpstreamRegistry,
  type RegistryFlags,
  type RunningRegistry,
} from './registry';
export { iptablesSave, removeChainsCreatedSince } from './iptables';
