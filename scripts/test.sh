#!/usr/bin/env bash
# Runs every check and test: formatting, lint (with module boundaries), typecheck, the vitest
# suite of every package on this host (kernel-tagged tests need root, as in CI), and the
# suites that need a pure cgroup v2 kernel, in the vmtest guest. Ends with one summary line
# over all of them: "tests: N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
bin=./node_modules/.bin
reports=$(mktemp -d)
failed_steps=()

run_step() {
  local name=$1; shift
  printf '\n== %s\n' "$name"
  if ! "$@"; then failed_steps+=("$name"); fi
}

run_step "format" "$bin/prettier" --check --log-level warn .
run_step "lint" "$bin/nx" run-many -t lint --outputStyle=static
run_step "typecheck" "$bin/nx" run-many -t typecheck --outputStyle=static
run_step "tests (host)" "$bin/vitest" run --reporter=default --reporter=json \
  --outputFile.json="$reports/host.json"

# Suites that need a pure cgroup v2 kernel run in the vmtest guest (../shared/vmtest).
if [[ -x ../shared/vmtest/run-in-vm.sh ]]; then
  run_step "tests (cgroup v2 guest): cgroups" libs/cgroups/test/vm/run-v2.sh --report "$reports/cgroups-v2.json"
  run_step "tests (cgroup v2 guest): shim" libs/cgroups/test/vm/run-shim-v2.sh --report "$reports/shim-v2.json"
  # berth-containerd + containerd-shim-runc-v2 + crun (crun refuses this hybrid host).
  run_step "crun leg (cgroup v2 guest)" scripts/vmtest.sh --timeout 900 -- bash libs/cgroups/test/vm/crun-legs.sh
else
  echo "== cgroup v2 guest suites not run: ../shared/vmtest is not beside this clone"
  failed_steps+=("vmtest missing")
fi

node -e '
  const fs = require("node:fs"), path = require("node:path");
  let passed = 0, failed = 0, skipped = 0;
  for (const f of fs.readdirSync(process.argv[1])) {
    let r;
    try { r = JSON.parse(fs.readFileSync(path.join(process.argv[1], f), "utf8")); }
    catch { console.log(`no readable report: ${f}`); failed++; continue; }
    passed += r.numPassedTests ?? 0;
    failed += r.numFailedTests ?? 0;
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  }
  console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$reports"
rm -rf "$reports"

if [ ${#failed_steps[@]} -gt 0 ]; then
  echo "failed: ${failed_steps[*]}"
  exit 1
fi
