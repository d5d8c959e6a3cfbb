/** containerd writes ttrpc addresses as `unix:///path`; the socket path is what follows. */
export const socketPath = (address: string): string => address.replace(/^unix:\/\//, '');
