#!/usr/bin/env bash
# berth's way into ../shared/vmtest/run-in-vm.sh (a pure cgroup v2 kernel, optionally with
# systemd as PID 1): picks a backend that boots on this CPU and completes its install.
#   scripts/vmtest.sh --install                      install the guest (idempotent)
#   scripts/vmtest.sh [run-in-vm options] -- CMD…    run CMD in the guest
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
runner=${VMTEST_DIR:-$repo/../shared/vmtest}/run-in-vm.sh
cache=${VMTEST_CACHE:-/var/tmp/vmtest-cache}
[[ -x $runner ]] || { echo "vmtest: $runner not found (../shared beside the clone)" >&2; exit 2; }

# User-mode Linux 6.1 dies at boot on CPUs with AMX ("ptrace set fp regs failed"): its fixed
# FP-state buffer is smaller than the host's XSAVE area. qemu (TCG) works there, only slower.
if [[ -z ${VMTEST_BACKEND:-} ]] && grep -qw amx_tile /proc/cpuinfo; then
  export VMTEST_BACKEND=qemu
fi
backend=${VMTEST_BACKEND:-auto}

if [[ ${1:-} == --install ]]; then
  "$runner" --backend "$backend" --install
  # The unpacked Debian kernel has no modules.dep (dpkg-deb -x runs no depmod); the guest's
  # init needs it to load the 9p modules.
  for moddir in "$cache"/kernel/lib/modules/*/; do
    if [[ -d $moddir && ! -f $moddir/modules.dep ]]; then
      depmod -b "$cache/kernel" "$(basename "$moddir")"
    fi
  done
  exit 0
fi
exec "$runner" --backend "$backend" "$@"
