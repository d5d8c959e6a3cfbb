// The OCI chain ID of each layer: the name of the unpacked snapshot of that layer and all
// below it (chain(n) = sha256(chain(n-1) + " " + diffID(n))).
import { createHash } from 'node:crypto';

export function chainIds(diffIds: readonly string[]): string[] {
  const chain: string[] = [];
  for (const diffId of diffIds) {
    const parent = chain.at(-1);
    chain.push(
      parent === undefined
        ? diffId
        : `sha256:${createHash('sha256').update(`${parent} ${diffId}`).digest('hex')}`,
    );
  }
  return chain;
}
