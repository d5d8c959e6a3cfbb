#!/bin/bash
# @berth/systemd under a real systemd (PID 1, pure cgroup v2), independent of the services:
# a fixture daemon (test/fixtures/vm-daemon.ts, bundled) runs as a socket-activated
# Type=notify unit. Usage inside run-in-vm.sh --systemd: lib-under-systemd.sh BUNDLE NODE_PATH
set -u
BUNDLE=$1 NODE_MODULES=$2
SOCK=/run/berth-fixture.sock
PASSED=0 FAILED=0
pass() { echo "PASS $*"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL $*"; FAILED=$((FAILED + 1)); }
check() {
  local what=$1; shift
  if "$@" >/tmp/check.out 2>&1; then pass "$what"; else fail "$what: $(tail -3 /tmp/check.out)"; fi
}
# The first request waits in the socket's backlog while node starts (slow in the guest).
answers() { [[ $(curl -sf --max-time "$1" --unix-socket $SOCK http://fixture/) == OK ]]; }
prop() { systemctl show -P "$1" berth-fixture.service; }

cat >/etc/systemd/system/berth-fixture.socket <<UNIT
[Socket]
ListenStream=$SOCK
SocketMode=0660
UNIT
cat >/etc/systemd/system/berth-fixture.service <<UNIT
[Service]
Type=notify
Environment=NODE_PATH=$NODE_MODULES
ExecStart=/usr/bin/node $BUNDLE
Delegate=yes
UNIT
systemctl daemon-reload

check "start the socket" systemctl start berth-fixture.socket
check "the first request activates the daemon and is answered" answers 60
check "systemctl restart returns only once the daemon serves (it waits 3 s to listen; curl allows 2 s)" \
  bash -c 'systemctl restart berth-fixture.service && curl -sf --max-time 2 --unix-socket '$SOCK' http://fixture/'
check "STATUS= from notifyReady is the unit's status" bash -c '[[ $(systemctl show -P StatusText berth-fixture.service) == serving ]]'
pid=$(prop MainPID)
check "the main process moved itself into the daemon leaf" \
  grep -qx '0::/system.slice/berth-fixture.service/daemon' "/proc/$pid/cgroup"
check "the unit's controllers are handed to its children" \
  bash -c 'grep -qw memory /sys/fs/cgroup/system.slice/berth-fixture.service/cgroup.subtree_control && grep -qw pids /sys/fs/cgroup/system.slice/berth-fixture.service/cgroup.subtree_control'
entry=$(journalctl -q --no-pager -o json _SYSTEMD_UNIT=berth-fixture.service _TRANSPORT=journal MESSAGE='fixture listening' | tail -1)
check "the log line is a native journal entry with its fields" node -e '
  const e = JSON.parse(process.argv[1]);
  const ok = e.PRIORITY === "4" && e.SYSLOG_IDENTIFIER === "berth-fixture" && e.TRACE_ID === "abc123"
    && e.LEAF === "/system.slice/berth-fixture.service/daemon" && e._PID === process.argv[2];
  if (!ok) { console.error(process.argv[1]); process.exit(1); }' "$entry" "$pid"
check "systemctl stop: STOPPING=1, clean exit" \
  bash -c 'systemctl stop berth-fixture.service && [[ $(systemctl show -P Result berth-fixture.service) == success ]]'
systemctl stop berth-fixture.socket
rm -f /etc/systemd/system/berth-fixture.*
systemctl daemon-reload
echo "$PASSED passed, $FAILED failed, 0 skipped"
[[ $FAILED -eq 0 ]]
