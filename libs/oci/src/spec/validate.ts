// Validates a parsed config.json: first its shape against the schema, then the rules the
// schema cannot express (the ones runc's validator enforces before touching the kernel).
import { configSchema } from './schema';
import { checkSchema, type Schema } from './schema-check';
import type { NamespaceType, Spec } from './types';

export class SpecError extends Error {
  override name = 'SpecError';
}

/** Namespace a sysctl prefix needs, from runc's validator (kernel/namespaced sysctls). */
function sysctlNamespace(key: string): NamespaceType | 'none' {
  if (key.startsWith('net.')) return 'network';
  if (key === 'kernel.hostname' || key === 'kernel.domainname') return 'uts';
  if (
    /^(kernel\.(msgmax|msgmnb|msgmni|sem|shmall|shmmax|shmmni|shm_rmid_forced)|fs\.mqueue\.)/.test(
      key,
    )
  )
    return 'ipc';
  return 'none';
}

function checkSemantics(spec: Spec): void {
  const types = new Set<NamespaceType>();
  for (const ns of spec.linux?.namespaces ?? []) {
    if (types.has(ns.type)) throw new SpecError(`malformed spec file: duplicated ns "${ns.type}"`);
    types.add(ns.type);
  }
  const hasUserns = types.has('user');
  if (!hasUserns && (spec.linux?.uidMappings?.length || spec.linux?.gidMappings?.length))
    throw new SpecError('user namespaces need to be enabled for uid/gid mappings');
  if (hasUserns && !spec.linux?.namespaces?.find((n) => n.type === 'user')?.path) {
    if (!spec.linux?.uidMappings?.length || !spec.linux?.gidMappings?.length)
      throw new SpecError('user namespaces enabled, but no uid/gid mappings found');
  }
  if (spec.linux?.timeOffsets && !types.has('time'))
    throw new SpecError('time namespace is required for timeOffsets');
  for (const key of Object.keys(spec.linux?.sysctl ?? {})) {
    const need = sysctlNamespace(key);
    if (need === 'none')
      throw new SpecError(`sysctl "${key}" is not allowed in the hosts namespace`);
    if (!types.has(need))
      throw new SpecError(`sysctl "${key}" not allowed without a ${need} namespace`);
  }
  if ((spec.hostname || spec.domainname) && !types.has('uts'))
    throw new SpecError('unable to set hostname without a new UTS namespace');
  for (const m of spec.mounts ?? []) {
    if (!m.destination.startsWith('/'))
      throw new SpecError(`invalid mount destination "${m.destination}": must be absolute`);
  }
  if (spec.process && !spec.process.cwd.startsWith('/'))
    throw new SpecError(`cwd "${spec.process.cwd}" is not an absolute path`);
}

/** Throws SpecError describing the first problem; returns the spec typed otherwise. */
export function validateSpec(value: unknown): Spec {
  const problem = checkSchema(configSchema as Schema, value);
  if (problem) throw new SpecError(`invalid config.json: ${problem}`);
  const spec = value as Spec;
  checkSemantics(spec);
  return spec;
}
