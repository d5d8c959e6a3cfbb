export { addNetworkList, checkNetworkList, delNetworkList, pluginConfig } from './conflist';
export { CniError } from './errors';
export { cniArgs, execPlugin, findPlugin, type CniCommand, type ExecOptions } from './exec';
export * from './types';
