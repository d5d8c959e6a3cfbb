// The vitest settings every package shares. Each package's vitest.config.ts is one line
// that names its project, so `vitest run` at the root runs them all and
// `vitest run --project oci` runs one.
import { defineProject } from 'vitest/config';

/** Tests that need root and the real kernel (namespaces, mounts, cgroups, netns) carry this tag. */
export const KERNEL_TAG = {
  name: 'kernel',
  description: 'needs root and real kernel features; runs in CI, which is root',
};

export function berthProject(name: string) {
  return defineProject({
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      testTimeout: 30_000,
      hookTimeout: 60_000,
      tags: [KERNEL_TAG],
    },
  });
}
