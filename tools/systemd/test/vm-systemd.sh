#!/bin/bash
# The berth units under a real systemd (PID 1) on a pure cgroup v2 hierarchy. Run inside the
# guest of /work/shared/vmtest/run-in-vm.sh --systemd (the guest's /etc, /usr/local and /run
# are a throw-away overlay):
#
#   run-in-vm.sh --systemd --timeout 1500 -- bash tools/systemd/test/vm-systemd.sh [CHECKOUT]
#
# CHECKOUT (default: this checkout) must be built (npx nx run-many -t build); qemu/TCG takes
# about 10 minutes. Every check prints PASS, FAIL or SKIP with its reason; a SKIP is taken only
# when a service lacks the capability the check needs (no sd_notify in its bundle) or the test
# image is missing, never unconditionally.
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
# Links a development setup made by hand (possibly to another checkout, possibly dangling)
# are not install's: it leaves them alone and fails. The guest's /usr/local is a throw-away
# overlay, so the test starts from a machine without them.
for link in "$PREFIX"/bin/berth* "$PREFIX"/bin/containerd-shim-berth*; do
  [[ -L $link ]] && rm -f "$link"
done
BEFORE=$(state)
# The guest's root is an overlayfs, and overlayfs refuses an upper dir on overlayfs: the
# snapshotter's container layers need a real filesystem under containerd's root.
mkdir -p /var/lib/berth && mount -t tmpfs -o mode=0711 berth-root /var/lib/berth

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
  # Under qemu/TCG dockerd's start alone takes 50-90 s; the unit allows 180.
  check "first docker command activates berth-dockerd" timeout -k 5 200 docker version
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
  check "the next client re-activates berth-dockerd" timeout -k 5 200 docker version
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

# --- containers ----------------------------------------------------------------------------
# Every docker call is bounded: a daemon that accepts a request and never answers fails the
# check instead of hanging the VM until its timeout; -k because an attached `docker run`
# proxies SIGTERM to the container instead of exiting.
dk() { timeout -k 5 120 docker "$@"; }
UNIT_CG=/sys/fs/cgroup/system.slice/berth-containerd.service
ticks() { dk logs "$1" 2>&1 | grep -c '^tick'; }
container_checks() {
  local cid cpid cg before rc
  check "docker run --rm $IMG echo hi" bash -c "[[ \$(timeout -k 5 120 docker run --rm $IMG echo hi) == hi ]]"
  check "every berth unit is active after a container ran" bash -c \
    '[[ $(systemctl is-active berth-docker.socket berth-dockerd berth-containerd | sort -u) == active ]]'
  # TERM ends the loop with status 3 (a trap, since PID 1 ignores unhandled signals).
  if ! cid=$(dk run -d -m 64m --cpus 0.5 --pids-limit 50 $IMG \
    sh -c 'trap "exit 3" TERM; i=0; while :; do echo tick $i; i=$((i+1)); sleep 1; done') ||
    ! cpid=$(dk inspect -f '{{.State.Pid}}' "$cid") || [[ ! -e /proc/$cpid/cgroup ]]; then
    fail "docker run -d with limits: ${cid:-no container} ${cpid:-no pid}"
    return
  fi
  cg=/sys/fs/cgroup$(sed -n 's/^0:://p' "/proc/$cpid/cgroup")
  echo "     container cgroup: ${cg#/sys/fs/cgroup}"
  check "-m 64m is memory.max" bash -c "[[ \$(cat $cg/memory.max) == 67108864 ]]"
  check "--cpus 0.5 is cpu.max" bash -c "[[ \$(cat $cg/cpu.max) == '50000 100000' ]]"
  check "--pids-limit 50 is pids.max" bash -c "[[ \$(cat $cg/pids.max) == 50 ]]"
  check "the container's cgroup is its own (/docker/<id>), outside every unit" \
    test "$cg" == "/sys/fs/cgroup/docker/$cid"
  check "containerd and the container's shim run in the daemon leaf; the unit's cgroup is empty" \
    bash -c "[[ -z \$(cat $UNIT_CG/cgroup.procs) && \$(wc -l <$UNIT_CG/daemon/cgroup.procs) -ge 2 ]]"
  check "the unit's cgroup hands no controller down, so a restart can re-enter it" \
    bash -c "[[ -z \$(cat $UNIT_CG/cgroup.subtree_control) ]]"
  # The activation and readiness checks above already started dockerd three times, and its
  # unit allows three starts a minute (as Docker's does): this is a new operator action.
  systemctl reset-failed berth-dockerd.service
  check "systemctl restart berth-containerd" systemctl restart berth-containerd
  check "systemctl restart berth-dockerd" systemctl restart berth-dockerd
  check "the container survives both restarts" kill -0 "$cpid"
  check "docker ps still lists it" bash -c "timeout -k 5 120 docker ps -q --no-trunc | grep -qx $cid"
  check "dockerd still reports it running" \
    bash -c "[[ \$(timeout -k 5 120 docker inspect -f '{{.State.Running}}' $cid) == true ]]"
  before=$(ticks "$cid")
  sleep 3
  check "its logs continue after the restarts ($before ticks, then more)" \
    bash -c "(( \$(timeout -k 5 120 docker logs $cid 2>&1 | grep -c '^tick') > $before ))"
  dk kill -s TERM "$cid" >/dev/null
  check "its exit code is reported when it ends" \
    bash -c "[[ \$(timeout -k 5 120 docker wait $cid) == 3 && \$(timeout -k 5 120 docker inspect -f '{{.State.ExitCode}}' $cid) == 3 ]]"
  check "a container that was not OOM-killed has State.OOMKilled false" \
    bash -c "[[ \$(timeout -k 5 120 docker inspect -f '{{.State.OOMKilled}}' $cid) == false ]]"
  dk rm -f "$cid" >/dev/null
  dk run --name oom -m 32m --memory-swap 32m $IMG dd if=/dev/zero of=/dev/null bs=64M count=1
  rc=$?
  [[ $rc == 137 ]] && pass "a container over its memory limit is OOM-killed: exit 137" ||
    fail "OOM container exited $rc, not 137"
  check "docker inspect reports State.OOMKilled true" \
    bash -c "[[ \$(timeout -k 5 120 docker inspect -f '{{.State.OOMKilled}}' oom) == true ]]"
  dk rm -f oom >/dev/null
}
IMAGE_TAR=$(ls /var/lib/berth-test-images/*/small/docker-archive.tar 2>/dev/null | head -1)
IMG=berth.test/small:latest
if ! systemctl is-active -q berth-dockerd || ! systemctl is-active -q berth-containerd; then
  fail "containers: berth-dockerd and berth-containerd are not both running under systemd"
elif [[ -z $IMAGE_TAR ]]; then
  skip "containers: no test image (node libs/test-images/dist/berth-test-images.mjs small)"
elif ! dk load -i "$IMAGE_TAR" >/tmp/check.out 2>&1; then
  fail "docker load -i $IMAGE_TAR: $(tail -3 /tmp/check.out)"
else
  pass "docker load -i $IMAGE_TAR"
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
