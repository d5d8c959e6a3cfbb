#!/usr/bin/env bash
# Runs every check and test: formatting, lint (with module boundaries), typecheck, and the
# vitest suite of every package (kernel-tagged tests need root, as in CI). Ends with one
# summary line: "tests: N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
bin=./node_modules/.bin
failed_steps=()

run_step() {
  local name=$1; shift
  printf '\n== %s\n' "$name"
  if ! "$@"; then failed_steps+=("$name"); fi
}

run_step "format" "$bin/prettier" --check --log-level warn .
run_step "lint" "$bin/nx" run-many -t lint --outputStyle=static
run_step "typecheck" "$bin/nx" run-many -t typecheck --outputStyle=static

results=$(mktemp)
run_step "tests" "$bin/vitest" run --reporter=default --reporter=json --outputFile.json="$results"

node -e '
  const fs = require("node:fs");
  let r = {};
  try { r = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch {}
  const passed = r.numPassedTests ?? 0, failed = r.numFailedTests ?? 0;
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$results"
rm -f "$results"

if [ ${#failed_steps[@]} -gt 0 ]; then
  echo "failed: ${failed_steps[*]}"
  exit 1
fi
