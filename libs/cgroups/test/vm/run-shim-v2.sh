#!/bin/bash
# Runs the shim's cgroup v2 test (Stats as io.containerd.cgroups.v2.Metrics, OOM kills from
# memory.events, runc and crun as runtimes) under a pure cgroup v2 kernel, in the vmtest guest.
# Build the shim (its native parts and bundle) first.
#   libs/cgroups/test/vm/run-shim-v2.sh [--report FILE]   (FILE: vitest JSON report)
here=$(dirname "$0")
exec "$here/run-v2.sh" --package "$here/../../../../services/shim" --file test/cgroup-v2.test.ts "$@"
