export { startPeer, waitForUnixSocket, type PeerProcess } from './process';
export { startUpstreamContainerd, type UpstreamContainerd } from './containerd';
