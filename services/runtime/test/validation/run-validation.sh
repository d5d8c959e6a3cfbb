#!/bin/bash
# Runs the OCI runtime-tools validation suite (github.com/opencontainers/runtime-tools,
# validation/*.t, built with `make runtimetest validation-executables`) against several
# runtimes in one go and prints pass/fail/total per runtime plus every test that fails
# or aborts (an aborting test emits no test points, so totals differ between runtimes).
# usage: run-validation.sh <runtime-tools checkout> <out dir> <runtime binary>...
# e.g.   run-validation.sh /tmp/rtt /tmp/rtt-out /usr/sbin/runc services/runtime/dist/berth-runc.mjs
set -u
RTT=$(realpath "$1"); OUT=$(realpath -m "$2"); shift 2
[ -x "$RTT/runtimetest" ] || { echo "build runtime-tools first: make -C $RTT runtimetest validation-executables" >&2; exit 2; }
for rt in "$@"; do
  bin=$(realpath "$rt"); name=$(basename "$bin" .mjs); dir="$OUT/$name"
  if [[ $bin == *.mjs ]]; then
    # A bundled CLI runs from a copy: a rebuild of its dist/ during the run would pull it away.
    # The copy stays inside the checkout so that its external imports (koffi) and the native
    # launcher are found from it as from dist/.
    copy="$(git -C "$(dirname "$bin")" rev-parse --show-toplevel)/node_modules/.cache/berth-validation/$name"
    rm -rf "$copy"; mkdir -p "$copy"; cp -a "$(dirname "$bin")/." "$copy/"; bin="$copy/$(basename "$bin")"
  fi
  rm -rf "$dir"; mkdir -p "$dir"
  for t in $(cd "$RTT" && find validation -name '*.t' | sort); do
    n=$(basename "$t" .t)
    (cd "$RTT" && RUNTIME=$bin timeout 120 "./$t" >"$dir/$n.tap" 2>"$dir/$n.err")
    echo "exit=$?" >>"$dir/$n.err"
  done
  pass=$(cat "$dir"/*.tap | grep -c '^ok'); fail=$(cat "$dir"/*.tap | grep -c '^not ok')
  echo "$name: pass=$pass fail=$fail total=$((pass + fail))" | tee "$dir/summary"
  for f in "$dir"/*.tap; do
    n=$(basename "$f" .tap); nf=$(grep -c '^not ok' "$f"); rc=$(tail -1 "$dir/$n.err")
    if [ "$nf" != 0 ]; then echo "  $n: $nf failing: $(grep '^not ok' "$f" | cut -c1-100 | paste -sd'|')"; fi
    if [ "$rc" != exit=0 ] && [ "$(grep -c '^ok\|^not ok' "$f")" = 0 ]; then
      echo "  $n: aborted ($rc): $(grep -v '^exit=' "$dir/$n.err" | tail -1 | cut -c1-140)"
    fi
  done | tee -a "$dir/summary"
done
