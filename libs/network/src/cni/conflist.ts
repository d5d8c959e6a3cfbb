// A network configuration list run as the spec's runtime does: ADD through the plugins in
// order, each given the previous plugin's result as prevResult; DEL in reverse order and
// CHECK in order, each given the cached result of the ADD.
import { CniError } from './errors';
import { execPlugin, type ExecOptions } from './exec';
import type { CniResult, NetworkConfigList, PluginConf, RuntimeConf } from './types';

/** One plugin's stdin: its own conf plus name, cniVersion, its runtimeConfig and prevResult. */
export function pluginConfig(
  list: NetworkConfigList,
  plugin: PluginConf,
  rt: RuntimeConf,
  prevResult?: CniResult,
): Record<string, unknown> {
  const config: Record<string, unknown> = {
    ...plugin,
    cniVersion: list.cniVersion,
    name: list.name,
  };
  const runtimeConfig: Record<string, unknown> = {};
  for (const [capability, enabled] of Object.entries(plugin.capabilities ?? {})) {
    const value = rt.capabilityArgs?.[capability];
    if (enabled && value !== undefined) runtimeConfig[capability] = value;
  }
  if (Object.keys(runtimeConfig).length) config.runtimeConfig = runtimeConfig;
  if (prevResult) config.prevResult = prevResult;
  return config;
}

export async function addNetworkList(
  list: NetworkConfigList,
  rt: RuntimeConf,
  opts: ExecOptions,
): Promise<CniResult> {
  let result: CniResult | undefined;
  for (const plugin of list.plugins) {
    const out = await execPlugin(
      plugin.type,
      'ADD',
      rt,
      pluginConfig(list, plugin, rt, result),
      opts,
    );
    result = asResult(plugin.type, out);
  }
  if (!result) throw new CniError(list.name, 'ADD', { code: 7, msg: 'conflist has no plugins' });
  return result;
}

/**
 * Runs every plugin's DEL even when one fails, so one plugin's trouble does not leak what the
 * others hold, then reports the first failure. Plugins treat already-released state as done.
 */
export async function delNetworkList(
  list: NetworkConfigList,
  rt: RuntimeConf,
  cached: CniResult | undefined,
  opts: ExecOptions,
): Promise<void> {
  let firstError: unknown;
  for (const plugin of [...list.plugins].reverse()) {
    try {
      await execPlugin(plugin.type, 'DEL', rt, pluginConfig(list, plugin, rt, cached), opts);
    } catch (err) {
      firstError ??= err;
    }
  }
  if (firstError) throw firstError;
}

export async function checkNetworkList(
  list: NetworkConfigList,
  rt: RuntimeConf,
  cached: CniResult,
  opts: ExecOptions,
): Promise<void> {
  for (const plugin of list.plugins) {
    await execPlugin(plugin.type, 'CHECK', rt, pluginConfig(list, plugin, rt, cached), opts);
  }
}

function asResult(plugin: string, out: unknown): CniResult {
  if (typeof out !== 'object' || out === null || typeof (out as CniResult).cniVersion !== 'string')
    throw new CniError(plugin, 'ADD', { code: 6, msg: 'plugin printed no valid result' });
  return out as CniResult;
}
