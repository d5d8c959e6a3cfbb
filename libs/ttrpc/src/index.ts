// @berth/ttrpc: containerd's ttrpc protocol (framing, envelope messages, client and server).
export * from './address';
export * from './client';
export * from './framing';
export * from './messages';
export * from './metadata';
export * from './server';
export * from './status';
