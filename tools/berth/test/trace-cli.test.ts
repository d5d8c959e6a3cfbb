import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTrace } from '../src/trace/cli';
import { bundle, type Bundle } from './trace-fixtures/bundle';

const run = promisify(execFile);

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `berth trace …` in this process with captured output. */
async function trace(
  args: string[],
  tty: { isTTY?: boolean; columns?: number } = {},
): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await runTrace(args, {
    stdout: { write: (t: string) => (stdout += t), ...tty },
    stderr: { write: (t: string) => (stderr += t) },
    env: { ...process.env, BERTH_TRACE_DIR: '/nonexistent/berth-trace-env' },
  });
  return { code, stdout, stderr };
}

const json = async (args: string[]) => {
  const out = await trace([...args, '--json']);
  expect(out.stderr).toBe('');
  expect(out.code).toBe(0);
  return JSON.parse(out.stdout) as unknown;
};

let fixtures: Bundle;
let dir: string;
const PHASES = [
  'dockerd.container.create',
  'dockerd.image.resolve',
  'containerd.tasks.create',
  'shim.task.create',
  'runtime.create',
  'runtime.launch.namespaces',
  'runtime.launch.mounts',
  'runtime.launch.pivot_root',
  'runtime.launch.exec',
];

/** One simulated container start: four processes recording into the store. */
async function start(env: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, [fixtures.stack], {
    env: { ...process.env, BERTH_TRACE_DIR: dir, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const [code] = (await once(child, 'exit')) as [number];
  if (code !== 0) throw new Error(`stack fixture exited with ${code}`);
}

beforeAll(async () => {
  fixtures = await bundle();
  dir = await mkdtemp(join(tmpdir(), 'berth-trace-cli-'));
  await start({ RUNTIME: 'berth', CONTAINER_ID: 'a1'.repeat(32), IMAGE: 'busybox' });
  await start({ RUNTIME: 'berth', CONTAINER_ID: 'a2'.repeat(32), IMAGE: 'busybox' });
  await start({ RUNTIME: 'runc', CONTAINER_ID: 'b1'.repeat(32), IMAGE: 'alpine:3', GAP_MS: '150' });
});

afterAll(async () => {
  await fixtures?.remove();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('berth trace on traces recorded by four processes', () => {
  it('ls lists each start with its container, image, runtime and services', async () => {
    const rows = (await json(['ls', '--dir', dir])) as Record<string, unknown>[];
    expect(rows.map((r) => [r.rootName, r.containerId, r.image, r.runtime, r.spanCount])).toEqual([
      ['dockerd.container.create', 'a1'.repeat(32), 'busybox', 'berth', 9],
      ['dockerd.container.create', 'a2'.repeat(32), 'busybox', 'berth', 9],
      ['dockerd.container.create', 'b1'.repeat(32), 'alpine:3', 'runc', 9],
    ]);
    for (const row of rows) {
      expect(row.services).toEqual(['dockerd', 'containerd', 'shim', 'runtime']);
      expect(row.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(row.totalMs).toBeGreaterThan(10);
    }
    const text = await trace(['ls', '--dir', dir, '--last', '2', '--where', 'image=busybox']);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^TIME +TRACE +ROOT +CONTAINER +IMAGE +RUNTIME +TOTAL +SPANS +SERVICES$/,
    );
    expect(lines.slice(1).map((l) => l.split(/ +/)[4])).toEqual(['a1a1a1a1a1a1', 'a2a2a2a2a2a2']);
  });

  it('show draws a waterfall within the width, names the planted gap, and colours only a TTY', async () => {
    const out = await trace(['show', 'latest', '--dir', dir, '--width', '100']);
    expect(out.code).toBe(0);
    const lines = out.stdout.split('\n');
    expect(lines[0]).toMatch(/^trace [0-9a-f]{32}  dockerd\.container\.create$/);
    expect(out.stdout).toContain('image alpine:3  runtime runc');
    const rows = lines.filter((l) => l.includes('█'));
    expect(rows.map((r) => r.trim().split(/ +/)[1])).toEqual(PHASES);
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(100);
    expect(rows[3]).toMatch(/^ +\+[\d.]+ {6}shim\.task\.create /); // indented by depth
    expect(out.stdout).not.toContain('\x1b[');
    // dockerd waits 150 ms before it calls containerd: the largest unexplained gap.
    const gap = /largest unexplained gaps.*\n +([\d.]+) ms at \+[\d.]+ ms {2}(.*)/.exec(out.stdout);
    expect(Number(gap?.[1])).toBeGreaterThanOrEqual(150);
    expect(gap?.[2]).toBe('after dockerd.image.resolve, before containerd.tasks.create');

    const tty = await trace(['show', 'latest', '--dir', dir], { isTTY: true, columns: 140 });
    expect(tty.stdout).toContain('\x1b[34m'); // dockerd blue
    expect(tty.stdout).toContain('\x1b[35m'); // runtime magenta
  });

  it('show --json: the spans as a tree with offsets and the coverage of the root', async () => {
    const latest = (await json(['ls', '--dir', dir])) as { traceId: string }[];
    const id = latest[2]!.traceId;
    const report = (await json(['show', id.slice(0, 8), '--dir', dir])) as {
      summary: { traceId: string; totalMs: number };
      coverage: {
        ratio: number;
        coveredMs: number;
        rootMs: number;
        gaps: { durationMs: number }[];
      };
      spans: {
        name: string;
        depth: number;
        parentSpanId: string | null;
        startOffsetMs: number;
        durationMs: number;
        service: string;
      }[];
    };
    expect(report.summary.traceId).toBe(id);
    expect(report.spans.map((s) => [s.name, s.depth, s.service])).toEqual(
      PHASES.map((name, i) => [name, [0, 1, 1, 2, 3, 4, 4, 4, 4][i], name.split('.')[0]]),
    );
    expect(report.spans[0]!.parentSpanId).toBeNull();
    expect(report.coverage.rootMs).toBe(report.summary.totalMs);
    const gaps = report.coverage.gaps.reduce((sum, g) => sum + g.durationMs, 0);
    expect(report.coverage.coveredMs + gaps).toBeCloseTo(report.coverage.rootMs, 6);
    expect(report.coverage.ratio).toBeLessThan(1 - 150 / report.coverage.rootMs);
  });

  it('stats gives per-phase count, p50, p95 and max, in the order phases run', async () => {
    const report = (await json(['stats', '--dir', dir])) as {
      traces: number;
      phases: { name: string; count: number; p50Ms: number; p95Ms: number; maxMs: number }[];
    };
    expect(report.traces).toBe(3);
    expect(report.phases.map((p) => p.name)).toEqual(PHASES);
    for (const p of report.phases) {
      expect(p.count).toBe(3);
      expect(p.p50Ms).toBeLessThanOrEqual(p.p95Ms);
      expect(p.p95Ms).toBeLessThanOrEqual(p.maxMs);
    }
    const launch = (await json([
      'stats',
      '--dir',
      dir,
      '--last',
      '2',
      '--name-filter',
      '^runtime\\.launch',
    ])) as typeof report;
    expect(launch.traces).toBe(2);
    expect(launch.phases.map((p) => [p.name, p.count])).toEqual(PHASES.slice(5).map((n) => [n, 2]));
    const text = await trace(['stats', '--dir', dir, '--name-filter', 'shim']);
    expect(text.stdout).toMatch(
      /^3 traces\nPHASE +COUNT +P50 +P95 +MAX\nshim\.task\.create +3 +[\d.]+ ms +[\d.]+ ms +[\d.]+ ms\n$/,
    );
  });

  it('export writes a self-contained SVG and HTML waterfall', async () => {
    const out = await mkdtemp(join(tmpdir(), 'berth-trace-export-'));
    try {
      const svgFile = join(out, 'start.svg');
      const written = (await json(['export', 'latest', '--svg', svgFile, '--dir', dir])) as Record<
        string,
        string
      >;
      expect(written).toMatchObject({ format: 'svg', file: svgFile });
      const svg = await readFile(svgFile, 'utf8');
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>[\s\S]*<\/svg>\n$/);
      expect(XMLValidator.validate(svg)).toBe(true);
      for (const name of PHASES) expect(svg).toContain(`>${name}</text>`);
      expect(svg).toContain('unexplained'); // the planted gap is shaded
      expect(svg).not.toMatch(/(href|src)=/); // nothing fetched from elsewhere
      const htmlFile = join(out, 'start.html');
      expect((await trace(['export', 'latest', '--html', htmlFile, '--dir', dir])).code).toBe(0);
      const html = await readFile(htmlFile, 'utf8');
      expect(html).toMatch(/^<!doctype html>/);
      expect(html).toContain('<svg');
      expect(html).toContain('container.image.name=alpine:3');
      expect(html).not.toMatch(/(href|src)=/);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('compare: two stored trace sets selected by attribute', async () => {
    const report = (await json([
      'compare',
      '--a-traces',
      'runtime=berth',
      '--b-traces',
      'runtime=runc',
      '--dir',
      dir,
    ])) as {
      a: { samples: number; wallMs: number | null };
      b: { samples: number };
      phases: {
        name: string;
        aMs: number;
        bMs: number;
        diffMs: number;
        aSamples: number;
        bSamples: number;
      }[];
    };
    expect(report.a).toMatchObject({ samples: 2, wallMs: null });
    expect(report.b.samples).toBe(1);
    expect(report.phases.map((p) => p.name)).toEqual(PHASES);
    for (const p of report.phases) {
      expect(p.diffMs).toBeCloseTo(p.bMs - p.aMs, 9);
      expect([p.aSamples, p.bSamples]).toEqual([2, 1]);
    }
    // The root phase compares the start totals: the mean of A's two, B's one.
    const rows = (await json(['ls', '--dir', dir])) as { runtime: string; totalMs: number }[];
    const totals = (runtime: string) =>
      rows.filter((r) => r.runtime === runtime).map((r) => r.totalMs);
    const [a1, a2] = totals('berth');
    expect(report.phases[0]!.aMs).toBeCloseTo((a1! + a2!) / 2, 6);
    expect(report.phases[0]!.bMs).toBeCloseTo(totals('runc')[0]!, 6);
  });

  it('compare: runs two commands N times and keeps the traces of each run', async () => {
    const cmd = (runtime: string) =>
      `RUNTIME=${runtime} ${JSON.stringify(process.execPath)} ${JSON.stringify(fixtures.stack)}`;
    const out = await trace([
      'compare',
      '--a',
      cmd('berth'),
      '--b',
      cmd('crun'),
      '-n',
      '2',
      '--settle',
      '0',
      '--dir',
      dir,
    ]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(
      /^A: .*RUNTIME=berth.*\(2 samples, 2 traces\)\nB: .*RUNTIME=crun.*\(2 samples, 2 traces\)\n/,
    );
    expect(out.stdout).toMatch(
      /\n\(command wall time\) +[\d.]+ ms +[\d.]+ ms +[+-][\d.]+ ms +[\d.]+x\n/,
    );
    expect(out.stdout).toMatch(/\nruntime\.launch\.exec +[\d.]+ ms/);
    // The runs recorded into the store the command inherited, one trace each.
    const crun = (await json(['ls', '--dir', dir, '--where', 'runtime=crun'])) as unknown[];
    expect(crun).toHaveLength(2);
  });
});

describe('berth trace on bad input', () => {
  it('unknown or ambiguous ids, empty and missing stores: exit 1 with a message', async () => {
    expect(await trace(['show', 'deadbeef', '--dir', dir])).toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(
        /^berth trace: no trace deadbeef in .* \(\d+ traces; see 'berth trace ls'\)\n$/,
      ),
    });
    // Without --dir the store comes from BERTH_TRACE_DIR.
    expect((await trace(['ls'])).stderr).toBe(
      'berth trace: trace store /nonexistent/berth-trace-env does not exist (is tracing on? set --dir or BERTH_TRACE_DIR)\n',
    );
    const empty = await mkdtemp(join(tmpdir(), 'berth-trace-empty-'));
    try {
      expect(await trace(['show', 'latest', '--dir', empty])).toMatchObject({
        code: 1,
        stderr: `berth trace: no traces in ${empty}\n`,
      });
      expect(await trace(['ls', '--dir', empty])).toMatchObject({ code: 0, stdout: 'no traces\n' });
      expect(await trace(['stats', '--dir', empty])).toMatchObject({ code: 1 });
      expect(
        await trace([
          'compare',
          '--a-traces',
          'runtime=x',
          '--b-traces',
          'runtime=y',
          '--dir',
          empty,
        ]),
      ).toMatchObject({
        code: 1,
        stderr: `berth trace: no traces in ${empty} match runtime=x\n`,
      });
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('usage errors: exit 2 with the usage', async () => {
    for (const args of [
      [],
      ['frobnicate'],
      ['ls', '--bogus'],
      ['ls', '--last', '0'],
      ['show'],
      ['show', 'a', 'b'],
      ['stats', '--name-filter', '('],
      ['export', 'latest'],
      ['export', 'latest', '--svg', 'x', '--html', 'y'],
      ['compare', '--a', 'true'],
      ['compare', '--a', 'true', '--a-traces', 'x=y', '--b', 'true'],
      ['compare', '--a-traces', 'runtime', '--b-traces', 'x=y'],
    ]) {
      const out = await trace([...args, '--dir', dir]);
      expect(out.code, args.join(' ')).toBe(2);
      expect(out.stderr).toMatch(/^berth trace: .*\nusage: berth trace <command>/);
    }
  });

  it('compare: commands that record nothing still compare by wall time, each side its own runs', async () => {
    const report = (await json([
      'compare',
      '--a',
      'true',
      '--b',
      'true',
      '-n',
      '2',
      '--settle',
      '0',
      '--dir',
      dir,
    ])) as {
      a: { samples: number; traces: number; wallMs: number };
      b: { samples: number; traces: number; wallMs: number };
      phases: unknown[];
    };
    expect(report.a).toMatchObject({ samples: 2, traces: 0 });
    expect(report.b).toMatchObject({ samples: 2, traces: 0 });
    expect(report.a.wallMs).toBeGreaterThan(0);
    expect(report.b.wallMs).toBeGreaterThan(0);
    expect(report.phases).toEqual([]);
  });

  it('export to a path it cannot write: exit 1, nothing left behind', async () => {
    const out = await mkdtemp(join(tmpdir(), 'berth-trace-export-'));
    try {
      const file = join(out, 'missing-dir', 'x.svg');
      expect(await trace(['export', 'latest', '--svg', file, '--dir', dir])).toMatchObject({
        code: 1,
        stderr: expect.stringMatching(/^berth trace: cannot write .*x\.svg: ENOENT/),
      });
      expect(await readdir(out)).toEqual([]);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('help goes to stdout with exit 0', async () => {
    expect(await trace(['help'])).toMatchObject({
      code: 0,
      stderr: '',
      stdout: expect.stringMatching(/^usage: berth trace/),
    });
  });

  it('a failing compare command is reported with its output', async () => {
    const out = await trace([
      'compare',
      '--a',
      'echo boom >&2; exit 3',
      '--b',
      'true',
      '-n',
      '1',
      '--dir',
      dir,
    ]);
    expect(out).toMatchObject({
      code: 1,
      stderr: "berth trace: 'echo boom >&2; exit 3' exited with 3:\nboom\n",
    });
  });

  it('torn and malformed records are skipped, with a warning for the malformed ones', async () => {
    const torn = await mkdtemp(join(tmpdir(), 'berth-trace-torn-'));
    try {
      const [segment] = await readdir(dir);
      const text = await readFile(join(dir, segment!), 'utf8');
      const first = text.split('\n')[0]!;
      await appendFile(
        join(torn, segment!),
        `${first}\n${first.slice(0, 60)}\n{"traceId":"${'e'.repeat(32)}","spanId":"1","name":7}\n`,
      );
      const out = await trace(['ls', '--dir', torn, '--json']);
      expect(out.code).toBe(0);
      expect(JSON.parse(out.stdout)).toHaveLength(1);
      expect(out.stderr).toBe(`berth trace: skipped 1 malformed span records in ${torn}\n`);
    } finally {
      await rm(torn, { recursive: true, force: true });
    }
  });
});

describe('the berth executable', () => {
  it('runs trace commands with their exit codes', async () => {
    const berth = (...args: string[]) =>
      run(process.execPath, [fixtures.berth, 'trace', ...args]).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (err: { code: number; stdout: string; stderr: string }) => err,
      );
    const ls = await berth('ls', '--json', '--dir', dir);
    expect(ls.code).toBe(0);
    expect((JSON.parse(ls.stdout) as unknown[]).length).toBeGreaterThanOrEqual(3);
    expect(await berth('show', 'cafe', '--dir', dir)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no trace cafe'),
    });
    expect(await berth('ls', '--nope')).toMatchObject({ code: 2 });
    // Not a terminal: no colour codes.
    expect((await berth('show', 'latest', '--dir', dir)).stdout).not.toContain('\x1b[');
  });
});
