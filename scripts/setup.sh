#!/usr/bin/env bash
# Sets up berth on a fresh Debian 12 machine, as root: the real peers and build tools from
# apt, npm packages, the native build and the bundles, the executables on PATH, the test
# images, and the cgroup-v2 test guest. Then, unless --no-start, starts the stack.
#
#   scripts/setup.sh              set up and start the stack (berth up)
#   scripts/setup.sh --no-start   set up only (CI)
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$(pwd)
START=1
for arg in "$@"; do
  case "$arg" in
    --no-start) START=0 ;;
    *) echo "setup: unknown option $arg" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "setup: run as root (containers need it)" >&2; exit 1; }

step() { printf '\n== %s\n' "$*"; }

# Real peers the tests run against, kernel tools, and what the native build links to.
APT_PACKAGES=(
  build-essential pkg-config libseccomp-dev       # the native launcher and seccomp
  libjansson-dev nettle-dev                       # the shim's native front (JSON, sha256)
  docker.io containerd runc crun skopeo podman docker-registry  # upstream peers
  golang-github-containerd-containerd-dev         # upstream .proto files for the wire-format check
  golang-github-docker-docker-dev                 # the Engine API swagger.yaml the dockerd tests check answers against
  busybox-static                                  # the test images and test rootfs
  iproute2 iptables containernetworking-plugins   # networking
  uidmap kmod jq sqlite3 tini openssl python3 tar  # test tools
  zstd curl procps util-linux                      # layer tests, the systemd VM script, docker top, pty tests
)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "apt: ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# `npm install` with the committed lock, not `npm ci`: npm 11 writes lockfiles without the
# other platforms' optional packages (rollup's, esbuild's) and `npm ci` then refuses them.
step "npm install (from package-lock.json)"
npm install --no-audit --no-fund

export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
step "build (native parts and bundles)"
./node_modules/.bin/nx run-many -t build --outputStyle=static

step "executables on PATH (/usr/local/bin)"
for pkg in libs/* services/* tools/*; do
  [ -f "$pkg/package.json" ] || continue
  # A native front (package.json "berth": {"native": {name: file}}) stands in for its bundle.
  node -e '
    const dir = process.argv[1];
    const p = require(dir + "/package.json");
    const native = p.berth?.native ?? {};
    for (const [name, file] of Object.entries(p.bin ?? {})) {
      const front = native[name];
      const use = front && require("fs").existsSync(dir + "/" + front) ? front : file;
      console.log(name + " " + use);
    }
  ' "$REPO/$pkg" | while read -r name file; do
    ln -sfn "$REPO/$pkg/$file" "/usr/local/bin/$name"
    echo "  $name -> $pkg/$file"
  done
done

step "test images (built locally from busybox-static)"
berth-test-images >/dev/null

if [ -x ../shared/vmtest/run-in-vm.sh ]; then
  step "cgroup v2 test guest (../shared/vmtest)"
  scripts/vmtest.sh --install >/dev/null
fi

if [ "$START" = 1 ]; then
  step "berth up"
  berth up
  step "first container"
  export DOCKER_HOST=unix:///run/berth/docker.sock
  docker image inspect berth.test/small >/dev/null 2>&1 ||
    docker load -i "$(berth-test-images small | jq -r .small.dockerArchive)"
  timeout 120 docker run --rm berth.test/small echo "hello from berth"
fi
