#!/bin/bash
# Runs the shim's cgroup v2 test (Stats as io.containerd.cgroups.v2.Metrics, OOM kills from
# memory.events, runc and crun as runtimes) under a pure cgroup v2 kernel, in the vmtest guest.
# The guest sees the checkout read-only: build the shim (its native parts and bundle) first.
#   libs/cgroups/test/vm/run-shim-v2.sh [--report FILE]   (FILE: vitest JSON report)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../../../.." && pwd)
args=() report_args=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --report)
      mkdir -p "$(dirname "$2")"
      report_args=(--reporter json --outputFile.json="$2")
      args+=(--rw "$(cd "$(dirname "$2")" && pwd)")
      shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

"$repo/scripts/vmtest.sh" --install >/dev/null
cd "$repo"
exec "$repo/scripts/vmtest.sh" --timeout "${VMTEST_TIMEOUT:-900}" "${args[@]}" -- bash -c '
    exec npx vitest run --root services/shim --tags-filter kernel --reporter verbose "$@" test/cgroup-v2.test.ts
  ' run-shim-v2 "${report_args[@]}"
