import { defineConfig } from 'vitest/config';
import { KERNEL_TAG } from './vitest.shared';

export default defineConfig({
  test: {
    projects: ['libs/*', 'services/*', 'tools/*'],
    tags: [KERNEL_TAG],
    // Kernel tests share global resources (mounts, cgroups, iptables); two cores.
    maxWorkers: 2,
  },
});
