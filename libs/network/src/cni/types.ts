// The CNI 1.0.0 contract's data: network configuration lists, plugin configuration and the
// result a plugin prints (https://github.com/containernetworking/cni/blob/main/SPEC.md).

export const CNI_VERSION = '1.0.0';

/** One plugin entry of a conflist: `type` names the binary, the rest is the plugin's own. */
export interface PluginConf {
  type: string;
  /** Runtime capabilities the plugin accepts through `runtimeConfig` (e.g. portMappings, ips). */
  capabilities?: Record<string, boolean>;
  [key: string]: unknown;
}

export interface NetworkConfigList {
  cniVersion: string;
  name: string;
  plugins: PluginConf[];
}

export interface CniInterface {
  name: string;
  mac?: string;
  sandbox?: string;
}

export interface CniIpConfig {
  interface?: number;
  address: string;
  gateway?: string;
}

export interface CniRoute {
  dst: string;
  gw?: string;
}

export interface CniResult {
  cniVersion: string;
  interfaces?: CniInterface[];
  ips?: CniIpConfig[];
  routes?: CniRoute[];
  dns?: { nameservers?: string[]; domain?: string; search?: string[]; options?: string[] };
}

/** What a runtime passes for one attachment: who, where, and the capability arguments. */
export interface RuntimeConf {
  containerId: string;
  /** Path of the network namespace; empty on DEL when it is already gone. */
  netns: string;
  ifName: string;
  /** CNI_ARGS as key/value pairs, joined as "K=V;K2=V2". */
  args?: Record<string, string>;
  /** Capability arguments: each goes only to plugins that declare the capability. */
  capabilityArgs?: Record<string, unknown>;
}

/** The error object a plugin prints on failure. */
export interface CniErrorBody {
  cniVersion?: string;
  code: number;
  msg: string;
  details?: string;
}
