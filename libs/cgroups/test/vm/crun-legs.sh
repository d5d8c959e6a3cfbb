#!/bin/bash
# The crun leg of the swap matrix on a pure cgroup v2 kernel, in the vmtest guest:
#   berth-containerd + containerd-shim-runc-v2 + crun   (ctr run --runc-binary crun)
# the container's output, crun's state (not runc's) behind it, --memory-limit as memory.max,
# and an OOM kill that exits 137 and reaches `ctr events` as /tasks/oom. (ctr passes
# --runc-binary to io.containerd.runc.v2 only; berth's shim with crun is
# services/shim/test/cgroup-v2.test.ts, through the Task API's Options.binary_name.)
#   scripts/vmtest.sh -- bash libs/cgroups/test/vm/crun-legs.sh [CHECKOUT]
# CHECKOUT (default: this checkout) must be built (the berth-containerd bundle).
set -u
ROOT=$(cd "${1:-$(dirname "$0")/../../../..}" && pwd)
PASSED=0 FAILED=0
pass() { echo "PASS $*"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL $*"; FAILED=$((FAILED + 1)); }

[[ -f /sys/fs/cgroup/cgroup.controllers ]] || { fail "needs a pure cgroup v2 hierarchy"; exit 1; }
IMAGE_TAR=$(ls /var/lib/berth-test-images/*/small/docker-archive.tar 2>/dev/null | head -1)
[[ -n $IMAGE_TAR ]] || { fail "no test image (node libs/test-images/dist/berth-test-images.mjs small)"; exit 1; }

# overlayfs (the guest's root) cannot hold the snapshotter's upper dirs: a tmpfs can.
work=$(mktemp -d /var/tmp/crun-legs.XXXXXX)
mount -t tmpfs crun-legs "$work"
node "$ROOT/services/containerd/dist/berth-containerd.mjs" --root "$work/root" --state "$work/state" \
  2>"$work/containerd.log" &
containerd=$!
cleanup() {
  kill "$events" "$containerd" 2>/dev/null
  wait "$containerd" 2>/dev/null
  umount -l "$work" && rmdir "$work"
}
trap cleanup EXIT
c() { timeout -k 5 120 ctr -a "$work/state/containerd.sock" -n legs "$@"; }
for _ in $(seq 120); do c version >/dev/null 2>&1 && break; sleep 1; done
c images import "$IMAGE_TAR" >/dev/null || { fail "ctr images import: $(tail -3 "$work/containerd.log")"; exit 1; }
IMG=$(c images ls -q | head -1)
c events >"$work/events" 2>&1 &
events=$!

for runtime in io.containerd.runc.v2; do
  leg="berth-containerd + $runtime + crun"
  id=${runtime//./-}
  c run -d --runtime "$runtime" --runc-binary crun --memory-limit 67108864 "$IMG" "$id" \
    sleep 60 >/dev/null
  # crun keeps a "status" file per container, runc a state.json: the shim drove crun.
  if [[ -f /run/containerd/runc/legs/$id/status && ! -e /run/containerd/runc/legs/$id/state.json ]]; then
    pass "$leg: crun holds the container's state"
  else
    fail "$leg: no crun state under /run/containerd/runc/legs/$id: $(ls /run/containerd/runc/legs/$id 2>&1)"
  fi
  pid=$(c task ls | awk -v id="$id" '$1 == id { print $2 }')
  cg=/sys/fs/cgroup$(sed -n 's/^0:://p' "/proc/$pid/cgroup" 2>/dev/null)
  [[ $(cat "$cg/memory.max" 2>/dev/null) == 67108864 ]] && pass "$leg: --memory-limit is memory.max" ||
    fail "$leg: memory.max of ${cg} is $(cat "$cg/memory.max" 2>&1)"
  c task kill -s KILL "$id" >/dev/null
  for _ in $(seq 30); do c task delete "$id" >/dev/null 2>&1 && break; sleep 1; done
  c containers delete "$id" >/dev/null

  out=$(c run --rm --runtime "$runtime" --runc-binary crun "$IMG" "$id-echo" echo hi 2>&1)
  [[ $out == hi ]] && pass "$leg: ctr run --rm echo hi" || fail "$leg: ctr run printed '$out'"

  c run --rm --runtime "$runtime" --runc-binary crun --memory-limit 16777216 "$IMG" "$id-oom" \
    dd if=/dev/zero of=/dev/null bs=64M count=1 >/dev/null 2>&1
  rc=$?
  [[ $rc == 137 ]] && pass "$leg: over its memory limit it is OOM-killed: exit 137" ||
    fail "$leg: the OOM container exited $rc, not 137"
  for _ in $(seq 10); do grep -q "/tasks/oom.*$id-oom" "$work/events" && break; sleep 1; done
  grep -q "/tasks/oom.*$id-oom" "$work/events" && pass "$leg: ctr events shows /tasks/oom" ||
    fail "$leg: no /tasks/oom event for $id-oom: $(grep -c . "$work/events") events"
done
echo "$PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
