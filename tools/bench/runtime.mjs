#!/usr/bin/env node
// Benchmarks berth's OCI runtime against runc and crun in one run: the latency of `run` and
// of create+start+delete for a minimal spec and a Docker-like spec (Docker's 14 default
// capabilities, masked/readonly paths, the default seccomp profile). berth is measured twice:
// the bundled berth-runc CLI, and @berth/oci's Runtime called from this already running
// Node process. Prints medians (ms) and ratios, the median of each launcher phase of the library
// path (where its time goes) and the load average before and after; --out writes them as JSON.
//
//   node tools/bench/runtime.mjs [--runs 20] [--out tools/bench/results/runtime.json]
//
// Needs root, runc, crun, busybox-static, a built CLI (node scripts/bundle.mjs services/runtime)
// and launcher (make -C libs/oci/native). crun refuses a hybrid cgroup host, so the whole bench
// re-runs itself in a private mount namespace (unshare -m) where /sys/fs/cgroup/unified is
// unmounted; the host's own mounts are never touched. Every runtime then runs there on the same
// (v1) cgroup layout, and the runtimes take turns run by run, so that a busy machine slows
// them alike and the ratios stay meaningful.
import { execFileSync, spawn } from 'node:child_process';
import {
  chmod,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  rmdir,
  symlink,
  copyFile,
  cp,
  writeFile,
} from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { median } from './lib/common.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI_DIST = join(repoRoot, 'services/runtime/dist');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    out: { type: 'string' },
    // Internal: set once the bench runs in its private mount namespace.
    isolated: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const CGROUP_PARENT = 'berth-bench';

const DOCKER_CAPS = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

/** Docker's seccomp profile format (archMap, includes/excludes) to the OCI form for amd64. */
function dockerSeccomp(profile, caps) {
  const arch = profile.archMap.find((a) => a.architecture === 'SCMP_ARCH_X86_64');
  const applies = (rule) => {
    const inc = rule.includes ?? {};
    const exc = rule.excludes ?? {};
    if (inc.arches && !inc.arches.includes('amd64')) return false;
    if (exc.arches?.includes('amd64')) return false;
    if (inc.caps && !inc.caps.every((c) => caps.includes(c))) return false;
    if (exc.caps?.some((c) => caps.includes(c))) return false;
    return true;
  };
  return {
    defaultAction: profile.defaultAction,
    defaultErrnoRet: profile.defaultErrnoRet,
    architectures: [arch.architecture, ...arch.subArchitectures],
    syscalls: profile.syscalls.filter(applies).map((r) => ({
      names: r.names,
      action: r.action,
      ...(r.errnoRet === undefined ? {} : { errnoRet: r.errnoRet }),
      ...(r.args?.length ? { args: r.args } : {}),
    })),
  };
}

function minimalSpec(rootfs) {
  return {
    ociVersion: '1.0.2',
    process: {
      user: { uid: 0, gid: 0 },
      args: ['/bin/true'],
      env: ['PATH=/bin'],
      cwd: '/',
    },
    root: { path: rootfs },
    mounts: [{ destination: '/proc', type: 'proc', source: 'proc' }],
    linux: {
      namespaces: [
        { type: 'pid' },
        { type: 'mount' },
        { type: 'ipc' },
        { type: 'uts' },
        { type: 'network' },
      ],
      cgroupsPath: `${CGROUP_PARENT}/minimal`,
    },
  };
}

function dockerSpec(rootfs) {
  const seccomp = dockerSeccomp(
    JSON.parse(readFileSync('/usr/share/containers/seccomp.json', 'utf8')),
    DOCKER_CAPS,
  );
  return {
    ociVersion: '1.0.2',
    process: {
      user: { uid: 0, gid: 0 },
      args: ['/bin/true'],
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOSTNAME=bench'],
      cwd: '/',
      capabilities: { bounding: DOCKER_CAPS, effective: DOCKER_CAPS, permitted: DOCKER_CAPS },
      noNewPrivileges: false,
      oomScoreAdj: 0,
    },
    root: { path: rootfs },
    hostname: 'bench',
    mounts: [
      {
        destination: '/proc',
        type: 'proc',
        source: 'proc',
        options: ['nosuid', 'noexec', 'nodev'],
      },
      {
        destination: '/dev',
        type: 'tmpfs',
        source: 'tmpfs',
        options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
      },
      {
        destination: '/dev/pts',
        type: 'devpts',
        source: 'devpts',
        options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
      },
      {
        destination: '/sys',
        type: 'sysfs',
        source: 'sysfs',
        options: ['nosuid', 'noexec', 'nodev', 'ro'],
      },
      {
        destination: '/sys/fs/cgroup',
        type: 'cgroup',
        source: 'cgroup',
        options: ['ro', 'nosuid', 'noexec', 'nodev'],
      },
      {
        destination: '/dev/mqueue',
        type: 'mqueue',
        source: 'mqueue',
        options: ['nosuid', 'noexec', 'nodev'],
      },
      {
        destination: '/dev/shm',
        type: 'tmpfs',
        source: 'shm',
        options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=67108864'],
      },
    ],
    linux: {
      namespaces: [
        { type: 'mount' },
        { type: 'network' },
        { type: 'uts' },
        { type: 'pid' },
        { type: 'ipc' },
      ],
      cgroupsPath: `${CGROUP_PARENT}/docker`,
      resources: { devices: [{ allow: false, access: 'rwm' }] },
      seccomp,
      maskedPaths: [
        '/proc/asound',
        '/proc/acpi',
        '/proc/kcore',
        '/proc/keys',
        '/proc/latency_stats',
        '/proc/timer_list',
        '/proc/timer_stats',
        '/proc/sched_debug',
        '/proc/scsi',
        '/sys/firmware',
        '/sys/devices/virtual/powercap',
      ],
      readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
    },
  };
}

async function makeWorkdir() {
  const work = await mkdtemp(join(tmpdir(), 'berth-bench-runtime-'));
  await chmod(work, 0o755);
  const rootfs = join(work, 'rootfs');
  await mkdir(join(rootfs, 'bin'), { recursive: true });
  await copyFile('/bin/busybox', join(rootfs, 'bin/busybox'));
  for (const a of execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).split('\n'))
    if (a && a !== 'busybox') await symlink('busybox', join(rootfs, 'bin', a));
  for (const d of ['proc', 'sys', 'dev', 'tmp']) await mkdir(join(rootfs, d));
  for (const [name, spec] of [
    ['minimal', minimalSpec(rootfs)],
    ['docker', dockerSpec(rootfs)],
  ]) {
    await mkdir(join(work, name));
    await writeFile(join(work, name, 'config.json'), JSON.stringify(spec));
  }
  return work;
}

// No pipes: a created container inherits the runtime's stdio and would hold them open.
const exec = (cmd, args) =>
  new Promise((res, rej) =>
    spawn(cmd, args, { stdio: 'ignore' }).on('exit', (code) =>
      code === 0 ? res() : rej(new Error(`${cmd} ${args.join(' ')}: exit ${code}`)),
    ),
  );

/** The library path: @berth/oci bundled once with esbuild and imported into this process. */
async function loadLibrary() {
  // Under node_modules so that its external imports (koffi) resolve as from the repo.
  const out = join(repoRoot, 'node_modules/.cache/berth-bench/oci.mjs');
  await build({
    stdin: {
      contents: "export { Runtime } from '@berth/oci';",
      resolveDir: repoRoot,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile: out,
    external: ['koffi'],
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  // The bundle lives outside the repo; point it at the launcher explicitly.
  process.env.BERTH_NATIVE_DIR = join(repoRoot, 'libs/oci/native/build');
  return (await import(pathToFileURL(out).href)).Runtime;
}

/** The CLI runs from a copy: a rebuild of dist/ while the bench runs would pull it away. The
 * copy stays inside the checkout so that koffi and the launcher are found as from dist/. */
async function copyCli() {
  const dir = join(repoRoot, 'node_modules/.cache/berth-bench/cli');
  await rm(dir, { recursive: true, force: true });
  await cp(CLI_DIST, dir, { recursive: true });
  return join(dir, 'berth-runc.mjs');
}

/** Each runtime as two operations on a bundle: `run`, and create+start+delete. The library's
 * launches hand their phase stamps to `onLaunch`. */
async function drivers(work, onLaunch) {
  const cli = (bin, root, pre = []) => ({
    run: (id, bundle) => exec(bin, [...pre, '--root', root, 'run', '--bundle', bundle, id]),
    cycle: async (id, bundle) => {
      await exec(bin, [...pre, '--root', root, 'create', '--bundle', bundle, id]);
      await exec(bin, [...pre, '--root', root, 'start', id]);
      await exec(bin, [...pre, '--root', root, 'delete', '--force', id]);
    },
  });
  const Runtime = await loadLibrary();
  // As a long-lived caller (the shim) uses it: every launch from one sealed launcher copy.
  const lib = new Runtime({ root: join(work, 'state-lib'), sealedLauncher: true });
  const stdio = ['ignore', 'ignore', 'ignore'];
  return {
    'berth-cli': cli(await copyCli(), join(work, 'state-cli')),
    'berth-lib': {
      run: async (id, bundle) => {
        const launched = await lib.run(id, { bundle, stdio });
        onLaunch(launched.times);
        await launched.exited;
      },
      cycle: async (id, bundle) => {
        onLaunch((await lib.create(id, { bundle, stdio })).times);
        await lib.start(id);
        await lib.delete(id, true);
      },
    },
    runc: cli('runc', join(work, 'state-runc')),
    crun: cli('crun', join(work, 'state-crun')),
  };
}

/** Collects launcher phase durations (ms) per phase; a phase ends at its stamp, begins at the
 * previous one. `medians()` rounds each to 0.01 ms. */
function phaseRecorder() {
  const byPhase = new Map();
  return {
    record(times) {
      for (let i = 1; i < times.length; i++) {
        const ms = Number(times[i].ns - times[i - 1].ns) / 1e6;
        byPhase.set(times[i].phase, [...(byPhase.get(times[i].phase) ?? []), ms]);
      }
    },
    medians() {
      return Object.fromEntries(
        [...byPhase].map(([phase, ms]) => [phase, Number(median(ms).toFixed(2))]),
      );
    },
  };
}

/** Medians per runtime of each spec and operation, the runtimes taking turns run by run, and
 * the library's launcher phases. */
async function measure(work) {
  let recorder = phaseRecorder();
  const runtimes = await drivers(work, (times) => recorder.record(times));
  const result = Object.fromEntries(Object.keys(runtimes).map((name) => [name, {}]));
  const phases = {};
  for (const spec of ['minimal', 'docker']) {
    const bundle = join(work, spec);
    for (const op of ['run', 'cycle']) {
      const times = Object.fromEntries(Object.keys(runtimes).map((name) => [name, []]));
      // page cache, seccomp cache
      for (const driver of Object.values(runtimes)) await driver[op](`warm-${spec}-${op}`, bundle);
      recorder = phaseRecorder();
      for (let i = 0; i < runs; i++) {
        for (const [name, driver] of Object.entries(runtimes)) {
          const t0 = performance.now();
          await driver[op](`b-${spec}-${op}-${i}`, bundle);
          times[name].push(performance.now() - t0);
        }
      }
      for (const [name, ts] of Object.entries(times))
        result[name][`${spec}.${op}`] = Number(median(ts).toFixed(1));
      phases[`${spec}.${op}`] = recorder.medians();
      console.error(
        spec,
        op,
        Object.fromEntries(Object.keys(times).map((n) => [n, result[n][`${spec}.${op}`]])),
      );
    }
  }
  return { result, phases };
}

/** Runs this script again in a private mount namespace without the hybrid cgroup2 mount. */
function runIsolated() {
  const script =
    'if mountpoint -q /sys/fs/cgroup/unified; then umount /sys/fs/cgroup/unified; fi; ' +
    'exec node "$0" --isolated "$@"';
  const argv = [fileURLToPath(import.meta.url), ...process.argv.slice(2)];
  return new Promise((res, rej) =>
    spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, ...argv], {
      stdio: 'inherit',
    }).on('exit', (code) => (code === 0 ? res() : rej(new Error(`isolated bench exited ${code}`)))),
  );
}

async function removeCgroups() {
  for (const line of (await readFile('/proc/self/cgroup', 'utf8')).split('\n')) {
    const [, controllers, path] = line.split(':');
    if (controllers === undefined || path === undefined) continue;
    const mount = controllers === '' ? 'unified' : controllers.replace(/^name=/, '');
    const dir = join('/sys/fs/cgroup', mount, path, CGROUP_PARENT);
    // runc and crun may resolve the relative path from the hierarchy root instead.
    for (const base of [dir, join('/sys/fs/cgroup', mount, CGROUP_PARENT)]) {
      for (const leaf of ['minimal', 'docker'])
        await rmdir(join(base, leaf)).catch(() => undefined);
      await rmdir(base).catch(() => undefined);
    }
  }
}

if (!values.isolated) {
  await runIsolated();
} else {
  const work = await makeWorkdir();
  try {
    const loadBefore = loadavg();
    const { result: results, phases } = await measure(work);
    const load = { before: loadBefore, after: loadavg() };
    const ratios = {};
    for (const key of Object.keys(results.runc)) {
      ratios[key] = {
        'cli/runc': Number((results['berth-cli'][key] / results.runc[key]).toFixed(2)),
        'lib/crun': Number((results['berth-lib'][key] / results.crun[key]).toFixed(2)),
      };
    }
    const report = {
      runs,
      unit: 'ms (median)',
      results,
      ratios,
      libPhases: phases,
      load,
      date: new Date().toISOString(),
    };
    console.log(JSON.stringify(report, null, 2));
    if (values.out) await writeFile(values.out, `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await rm(work, { recursive: true, force: true });
    await removeCgroups();
  }
}
