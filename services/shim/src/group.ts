// Which server a container joins. Containers of one pod (CRI's sandbox id) or of one explicit
// berth group share a server; otherwise the namespace is the group.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const GROUP_ANNOTATIONS = ['io.berth.shim.group', 'io.kubernetes.cri.sandbox-id'];

export async function groupOf(bundle: string, namespace: string): Promise<string> {
  let annotations: Record<string, string> = {};
  try {
    const spec = JSON.parse(await readFile(join(bundle, 'config.json'), 'utf8')) as {
      annotations?: Record<string, string>;
    };
    annotations = spec.annotations ?? {};
  } catch {
    // no readable spec: the namespace decides
  }
  for (const key of GROUP_ANNOTATIONS) {
    const value = annotations[key];
    if (value) return `${key}=${value}`;
  }
  return namespace;
}
