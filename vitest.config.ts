import { defineConfig } from 'vitest/config';
import { berthProject, KERNEL_TAG } from './vitest.shared';

// berth-dockerd's CLI suites run on berth-containerd (project dockerd) and again on Debian's
// upstream containerd, the reference (issue #7).
const dockerdUpstream = berthProject('dockerd-upstream').test;

export default defineConfig({
  test: {
    // Every package has a vitest.config.ts; folders without one (tools/systemd, tools/bench) are not projects.
    projects: [
      'libs/*/vitest.config.ts',
      'services/*/vitest.config.ts',
      'tools/*/vitest.config.ts',
      {
        test: {
          ...dockerdUpstream,
          root: './services/dockerd',
          include: ['test/cli*.test.ts'],
          env: { BERTH_TEST_CONTAINERD: 'upstream' },
        },
      },
    ],
    tags: [KERNEL_TAG],
    globalSetup: ['./vitest.global-setup.ts'],
    // Kernel tests share global resources (mounts, cgroups, iptables); two cores.
    maxWorkers: 2,
  },
});
