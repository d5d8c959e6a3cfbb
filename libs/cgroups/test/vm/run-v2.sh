#!/bin/bash
# Runs the @berth/cgroups kernel tests under a pure cgroup v2 kernel, in the vmtest guest.
# The guest sees the checkout read-only, so install and build on the host first.
#   libs/cgroups/test/vm/run-v2.sh [--systemd] [--report FILE]   (FILE: vitest JSON report)
set -euo pipefail

pkg=$(cd "$(dirname "$0")/../.." && pwd)
repo=$(cd "$pkg/../.." && pwd)
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
# The blank disk for the io.max test is /dev/vda under qemu, /dev/ubdb under user-mode Linux.
cd "$repo"
exec "$repo/scripts/vmtest.sh" --timeout "${VMTEST_TIMEOUT:-600}" --disk 16M \
  --env BERTH_CGROUP_EXPECT=v2 "${args[@]}" -- bash -c '
    export BERTH_CGROUP_TEST_DISK=$(ls /dev/vda /dev/ubdb 2>/dev/null | head -n1)
    pkg=$1; shift
    exec npx vitest run --root "$pkg" --tags-filter kernel --reporter verbose "$@" test/kernel.test.ts
  ' run-v2 "$pkg" "${report_args[@]}"
