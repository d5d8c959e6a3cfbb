// A test daemon's own default bridge and user-network pool, so daemons of test files running
// at the same time never share a bridge or hand out the same subnet: name and ranges follow
// the test process id, inside 198.18.0.0/15 (bridges 198.18.192-255.0/24, user networks
// /24s of 198.18.2-129.0/23, and four /24s of 198.19.0.0/16 for tests that name a subnet).
// berth's default berth0/198.18.0.0/24 stays for real use.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { DockerdConfig } from '../../src/config';

const run = promisify(execFile);

export interface TestNetwork {
  config: Required<Pick<DockerdConfig, 'bridge' | 'bip' | 'defaultAddressPool'>>;
  /** Subnets outside the pool, this daemon's alone, for `network create --subnet`. */
  spareSubnets: [string, string, string, string];
  /** Deletes the bridge, which outlives the daemon as docker0 does. */
  cleanup(): Promise<void>;
}

export function isolatedNetwork(seed = process.pid): TestNetwork {
  const slot = seed % 64;
  const bridge = `bt${seed.toString(16)}`.slice(0, 15);
  return {
    config: {
      bridge,
      bip: `198.18.${192 + slot}.1/24`,
      defaultAddressPool: `base=198.18.${2 + slot * 2}.0/23,size=24`,
    },
    spareSubnets: [0, 1, 2, 3].map(
      (i) => `198.19.${slot * 4 + i}.0/24`,
    ) as TestNetwork['spareSubnets'],
    async cleanup() {
      await run('ip', ['link', 'delete', 'dev', bridge]).catch(() => undefined);
    },
  };
}
