#!/bin/bash
# The berth units under a real systemd (PID 1) on a pure cgroup v2 hierarchy. Run inside the
# guest of /work/shared/vmtest/run-in-vm.sh --systemd (the guest's /etc, /usr/local and /run
# are a throw-away overlay):
#
#   run-in-vm.sh --systemd --timeout 600 -- bash tools/systemd/test/vm-systemd.sh [CHECKOUT]
#
# CHECKOUT (default: this checkout) must be built (npx nx run-many -t build). Every check prints
# PASS, FAIL or SKIP with its reason; a SKIP is taken only when a service lacks the capability
# the check needs (no sd_notify in its bundle, no `docker run` yet), never unconditionally.
# The last line is "N passed, N failed, N skipped"; the exit status is 1 if anything failed.
set -u
ROOT=$(cd "${1:-$(dirname "$0")/../../..}" && pwd)
SOCK=/run/berth/docker.sock
export DOCKER_HOST=unix://$SOCK
PASSED=0 FAILED=0 SKIPPED=0

pass() { echo "PASS $*"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL $*"; FAILED=$((FAILED + 1)); }
skip() { echo "SKIP $*"; SKIPPED=$((SKIPPED + 1)); }
check() { # DESCRIPTION COMMAND...: PASS when the command succeeds
  local what=$1; shift
  if "$@" >/tmp/check.out 2>&1; then pass "$what"; else fail "$what: $(tail -3 /tmp/check.out)"; fi
}
finish() {
  echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
  [[ $FAILED -eq 0 ]]
  exit
}
main_pid() { systemctl show -P MainPID "$1"; }
# Only an answering API counts: one request, no retries.
ping_once() { [[ $(curl -sf --max-time 2 --unix-socket "$SOCK" http://docker/_ping) == OK ]]; }
version_answers() { curl -sf --max-time 2 --unix-socket "$SOCK" http://docker/version | grep -q ApiVersion; }
# A bundle speaks sd_notify when @berth/systemd's READY=1 is compiled into it.
speaks_notify() { grep -rqs 'READY=1' "$(dirname "$(readlink -f "$ROOT/$1")")"; }

echo "guest: $(uname -r), PID 1 $(cat /proc/1/comm), cgroup $(stat -fc %T /sys/fs/cgroup)"
[[ $(cat /proc/1/comm) == systemd && $(stat -fc %T /sys/fs/cgroup) == cgroup2fs ]] || {
  fail "needs systemd as PID 1 on a pure cgroup v2 hierarchy (run-in-vm.sh --systemd)"
  finish
}
DOCKERD_BUNDLE=services/dockerd/dist/berth-dockerd.mjs
CONTAINERD_BUNDLE=services/containerd/dist/berth-containerd.mjs
REGISTRY_BUNDLE=services/registry/dist/berth-registry.mjs
for b in tools/berth/dist/berth.mjs $DOCKERD_BUNDLE $CONTAINERD_BUNDLE $REGISTRY_BUNDLE; do
  [[ -x $ROOT/$b ]] || { fail "$ROOT/$b is not built (npx nx run-many -t build)"; finish; }
done

# The guest inherits the host's docker group; remove it so install must create it.
getent group docker >/dev/null && groupdel docker

# What the machine has before install (a development setup may have linked executables
# already): uninstall must leave exactly this.
PREFIX=${BERTH_PREFIX:-/usr/local}
state() { ls -1 "$PREFIX"/bin/berth* /etc/systemd/system/berth* "$PREFIX"/bin/containerd-shim-berth* 2>/dev/null; }
BEFORE=$(state)

# --- install -----------------------------------------------------------------------------
check "berth install --prefix $PREFIX" node "$ROOT/tools/berth/dist/berth.mjs" install --prefix "$PREFIX" --source "$ROOT"
check "executables in $PREFIX/bin run the checkout's bundles" bash -c \
  "[[ \$(readlink -f $PREFIX/bin/berth-dockerd) == \$(readlink -f $ROOT/$DOCKERD_BUNDLE) && -x $PREFIX/bin/berth-containerd && -x $PREFIX/bin/berth ]]"
check "docker group created" getent group docker
check "berth.target and the socket enabled" \
  bash -c '[[ $(systemctl is-enabled berth.target berth-docker.socket | sort -u) == enabled ]]'
check "systemd-analyze verify accepts every unit" \
  systemd-analyze verify --man=no /etc/systemd/system/berth*.service /etc/systemd/system/berth*.socket /etc/systemd/system/berth.target

# --- the socket exists before the daemon runs ----------------------------------------------
check "systemctl start berth-docker.socket" systemctl start berth-docker.socket
check "socket is 0660 root:docker" bash -c "[[ \$(stat -c '%a %U %G' $SOCK) == '660 root docker' ]]"
check "berth-dockerd not running before the first client" \
  bash -c '[[ $(systemctl is-active berth-dockerd) == inactive ]]'

# --- activation and readiness ------------------------------------------------------------
if ! speaks_notify $DOCKERD_BUNDLE; then
  skip "dockerd activation, readiness, restart, journal: $DOCKERD_BUNDLE has no sd_notify (READY=1) yet"
else
  started=$(date +%s%N)
  check "first docker command activates berth-dockerd" timeout -k 5 90 docker version
  echo "     activation + docker version: $((($(date +%s%N) - started) / 1000000)) ms"
  check "berth-dockerd active after activation" systemctl is-active berth-dockerd
  check "berth-dockerd was started by the socket" \
    bash -c '[[ $(systemctl show -P TriggeredBy berth-dockerd) == *berth-docker.socket* ]]'
  check "/_ping answers" ping_once
  check "/version answers" version_answers
  check "systemctl restart berth-dockerd" systemctl restart berth-dockerd
  check "readiness: the API answers the moment systemctl restart returns" ping_once
  pid=$(main_pid berth-dockerd)
  check "systemctl stop berth-dockerd keeps the socket listening" \
    bash -c 'systemctl stop berth-dockerd && [[ $(systemctl is-active berth-docker.socket) == active ]]'
  check "the next client re-activates berth-dockerd" timeout -k 5 60 docker version
  [[ $(main_pid berth-dockerd) != "$pid" ]] && pass "a new dockerd process serves after the restart" ||
    fail "dockerd main pid did not change across stop/activation"
  check "journal holds berth-dockerd's own log lines" \
    bash -c '[[ -n $(journalctl -q --no-pager _SYSTEMD_UNIT=berth-dockerd.service) ]]'
  if [[ -n $(journalctl -q --no-pager _SYSTEMD_UNIT=berth-dockerd.service _TRANSPORT=journal) ]]; then
    check "journal entries are structured (MESSAGE text, PRIORITY, SYSLOG_IDENTIFIER)" bash -c \
      "journalctl -q --no-pager -o json _SYSTEMD_UNIT=berth-dockerd.service _TRANSPORT=journal | node -e '
        const lines = require(\"fs\").readFileSync(0, \"utf8\").trim().split(\"\\n\").map(JSON.parse);
        process.exit(lines.every((e) => e.PRIORITY && e.SYSLOG_IDENTIFIER === \"berth-dockerd\" && !e.MESSAGE.startsWith(\"{\")) ? 0 : 1);'"
  else
    skip "structured journal fields: berth-dockerd logs JSON on stderr (_TRANSPORT=stdout), not through logDestination()"
  fi
fi

# --- containerd and registry ---------------------------------------------------------------
if speaks_notify $CONTAINERD_BUNDLE; then
  check "systemctl start berth-containerd returns once ready" timeout 120 systemctl start berth-containerd
  check "berth-containerd is-active" systemctl is-active berth-containerd
  check "containerd's daemon runs in a leaf of its delegated cgroup" \
    bash -c "grep -qx '0::/system.slice/berth-containerd.service/daemon' /proc/$(main_pid berth-containerd)/cgroup"
  if systemctl is-active -q berth-dockerd; then
    dpid=$(main_pid berth-dockerd)
    check "systemctl restart berth-containerd" systemctl restart berth-containerd
    check "dockerd (Wants=, not Requires=) keeps running across a containerd restart" \
      bash -c "[[ \$(systemctl show -P MainPID berth-dockerd) == $dpid ]]"
  fi
else
  skip "berth-containerd readiness and restart: $CONTAINERD_BUNDLE has no sd_notify (READY=1) yet"
fi
if speaks_notify $REGISTRY_BUNDLE; then
  check "systemctl start berth-registry returns once ready" timeout 120 systemctl start berth-registry
  check "berth-registry is-active and /v2/ answers at once" \
    bash -c 'systemctl is-active -q berth-registry && curl -s --max-time 2 -o /dev/null -w "%{http_code}" http://127.0.0.1:5000/v2/ | grep -qE "^(200|401)$"'
else
  skip "berth-registry readiness: $REGISTRY_BUNDLE has no sd_notify (READY=1) yet"
fi

# --- containers (once dockerd and containerd run them) -------------------------------------
# Every docker call is bounded: a daemon that accepts a request and never answers fails the
# check instead of hanging the VM until its timeout; -k because an attached `docker run`
# proxies SIGTERM to the container instead of exiting.
dk() { timeout -k 5 120 docker "$@"; }
container_checks() {
  local cid cpid cg rc
  if ! cid=$(dk run -d -m 64m --cpus 0.5 --pids-limit 50 $IMG sleep 600) ||
    ! cpid=$(dk inspect -f '{{.State.Pid}}' "$cid") || [[ ! -e /proc/$cpid/cgroup ]]; then
    fail "docker run -d with limits: ${cid:-no container} ${cpid:-no pid}"
    return
  fi
  cg=/sys/fs/cgroup$(sed -n 's/^0:://p' "/proc/$cpid/cgroup")
  check "-m 64m is memory.max" bash -c "[[ \$(cat $cg/memory.max) == 67108864 ]]"
  check "--cpus 0.5 is cpu.max" bash -c "[[ \$(cat $cg/cpu.max) == '50000 100000' ]]"
  check "--pids-limit 50 is pids.max" bash -c "[[ \$(cat $cg/pids.max) == 50 ]]"
  check "the container's cgroup is outside the daemons' leaves" bash -c "[[ $cg != */daemon* ]]"
  check "restart berth-containerd and berth-dockerd" \
    bash -c 'systemctl restart berth-containerd && systemctl restart berth-dockerd'
  check "the container survives both restarts" kill -0 "$cpid"
  check "dockerd still reports it running" \
    bash -c "[[ \$(timeout -k 5 120 docker inspect -f '{{.State.Running}}' $cid) == true ]]"
  dk rm -f "$cid" >/dev/null
  dk run --rm -m 32m --memory-swap 32m $IMG dd if=/dev/zero of=/dev/null bs=64M count=1
  rc=$?
  [[ $rc == 137 ]] && pass "OOM in a 32m container exits 137" || fail "OOM container exited $rc, not 137"
}
IMAGE_TAR=$(ls /var/lib/berth-test-images/*/small/docker-archive.tar 2>/dev/null | head -1)
IMG=berth.test/small:latest
if ! systemctl is-active -q berth-dockerd || ! systemctl is-active -q berth-containerd; then
  skip "containers: berth-dockerd and berth-containerd are not both running under systemd"
elif [[ -z $IMAGE_TAR ]]; then
  skip "containers: no test image (node libs/test-images/dist/berth-test-images.mjs small)"
elif ! load=$(dk load -i "$IMAGE_TAR" 2>&1); then
  skip "containers: berth cannot load images yet: $(echo "${load:-no answer in 120 s}" | tail -1)"
elif ! run=$(dk run --rm $IMG echo hi 2>&1); then
  skip "containers: berth cannot run containers yet: $(echo "${run:-no answer in 120 s}" | tail -1)"
else
  [[ $run == hi ]] && pass "docker run --rm $IMG echo hi" || fail "docker run printed '$run'"
  container_checks
fi
echo "--- units after the run"
systemctl list-units --all --no-pager --no-legend 'berth*' | sed 's/^/     /'
for u in berth-docker.socket berth-dockerd.service berth-containerd.service berth-registry.service; do
  echo "     $u: $(systemctl is-active $u)"
done

if [[ $FAILED -gt 0 ]]; then
  echo "--- journal of the berth units (for the failures above)"
  journalctl --no-pager -q -n 60 -u 'berth*' | sed 's/^/     /'
fi

# --- uninstall ---------------------------------------------------------------------------
check "berth uninstall" "$PREFIX/bin/berth" uninstall
check "no berth unit files left" bash -c '! ls /etc/systemd/system/berth* /etc/systemd/system/*/berth* 2>/dev/null | grep -q .'
check "no berth unit known to systemd" bash -c '[[ -z $(systemctl list-units --all --no-legend "berth*") ]]'
AFTER=$(state)
[[ $AFTER == "$BEFORE" ]] && pass "executables and unit files exactly as before install" ||
  fail "left behind or removed: $(diff <(echo "$BEFORE") <(echo "$AFTER") | grep '^[<>]' | tr '\n' ' ')"
check "no API socket left" test ! -e $SOCK
check "no berth process left" bash -c '! pgrep -af "dist/[b]erth-|bin/[b]erth-"'
check "the group berth created is gone" bash -c '! getent group docker'
check "no install manifest left" test ! -e /var/lib/berth/install-manifest.json
finish
