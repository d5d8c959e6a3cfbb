#!/bin/bash
# Runs a package's kernel tests under a pure cgroup v2 kernel, in the vmtest guest: by default
# the @berth/cgroups suite. The guest sees the checkout read-only, so install and build on the
# host first.
#   libs/cgroups/test/vm/run-v2.sh [--package DIR] [--file TEST] [--systemd] [--report FILE]
#   (DIR: a package folder, default libs/cgroups; TEST: its test file; FILE: vitest JSON report)
set -euo pipefail

repo=$(cd "$(dirname "$0")/../../../.." && pwd)
pkg="$repo/libs/cgroups" file=test/kernel.test.ts
args=() report_args=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --package) pkg=$(cd "$2" && pwd); shift 2 ;;
    --file) file=$2; shift 2 ;;
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
exec "$repo/scripts/vmtest.sh" --timeout "${VMTEST_TIMEOUT:-900}" --disk 16M \
  --env BERTH_CGROUP_EXPECT=v2 "${args[@]}" -- bash -c '
    export BERTH_CGROUP_TEST_DISK=$(ls /dev/vda /dev/ubdb 2>/dev/null | head -n1)
    pkg=$1 file=$2; shift 2
    exec npx vitest run --root "$pkg" --tags-filter kernel --reporter verbose "$@" "$file"
  ' run-v2 "$pkg" "$file" "${report_args[@]}"
