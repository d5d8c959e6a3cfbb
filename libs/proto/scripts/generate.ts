// The generation pipeline: proto/ -> typed TypeScript (proto-loader-gen-types), a type
// barrel by proto package, and one protobufjs JSON bundle that services load at start
// without parsing any .proto. Output is prettier-formatted so it is committed as is.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { LOADER_OPTIONS } from '../src/loader-options';
import { listProtoFiles, parseOurProtos, PROTO_DIR } from './proto-files';
import { renderTypeBarrel } from './type-barrel';

const REPO_ROOT = dirname(PROTO_DIR.replace(/\/$/, ''));
export const GENERATED_DIR = fileURLToPath(new URL('../src/generated/', import.meta.url));
export const BUNDLE_FILE = 'descriptor-bundle.json';
export const TYPE_BARREL_FILE = 'types.ts';

/** The generator names its root file after this one: berth.ts exports ProtoGrpcType. */
const INDEX_PROTO = 'berth.proto';

const require = createRequire(import.meta.url);
const TYPE_GENERATOR = require.resolve('@grpc/proto-loader/build/bin/proto-loader-gen-types.js');

/** Writes every generated file into outDir (which must be empty or absent). */
export async function generateInto(outDir: string): Promise<void> {
  await generateTypes(listProtoFiles(), outDir);
  const root = parseOurProtos();
  await writeFile(join(outDir, BUNDLE_FILE), JSON.stringify(root.toJSON()));
  await writeFile(join(outDir, TYPE_BARREL_FILE), renderTypeBarrel(root));
  await finishTree(outDir);
}

/**
 * Runs proto-loader-gen-types once over an index file importing every proto, so all
 * services land in a single ProtoGrpcType (the tool otherwise writes one root file per
 * input basename, and several of ours share one: events.proto, metrics.proto, task.proto).
 */
async function generateTypes(files: string[], outDir: string): Promise<void> {
  const indexDir = await mkdtemp(join(tmpdir(), 'berth-proto-index-'));
  try {
    const imports = files.map((file) => `import "${file}";`);
    await writeFile(join(indexDir, INDEX_PROTO), ['syntax = "proto3";', ...imports, ''].join('\n'));
    // Run from the repo root with a relative include so "Original file:" comments are stable.
    execFileSync(
      process.execPath,
      [
        TYPE_GENERATOR,
        ...generatorFlags(),
        '--includeComments',
        '--grpcLib=@grpc/grpc-js',
        '-I',
        'proto',
        '-I',
        indexDir,
        '-O',
        outDir,
        INDEX_PROTO,
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
    );
  } finally {
    await rm(indexDir, { recursive: true, force: true });
  }
}

/** The generator's command-line spelling of LOADER_OPTIONS. */
function generatorFlags(): string[] {
  return Object.entries(LOADER_OPTIONS).map(([name, value]) =>
    value === true ? `--${name}` : `--${name}=${value.name}`,
  );
}

/**
 * Formats every file with prettier (configured for the committed location, which a temporary
 * outDir is not, so files are formatted as if there). Lint ignores src/generated/: generated
 * code follows the generator's conventions, not ours.
 */
async function finishTree(dir: string): Promise<void> {
  const config = await prettier.resolveConfig(join(GENERATED_DIR, TYPE_BARREL_FILE));
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile());
  await Promise.all(
    files.map(async (entry) => {
      const path = join(entry.parentPath, entry.name);
      const committedPath = join(GENERATED_DIR, relative(dir, path));
      const source = await readFile(path, 'utf8');
      await writeFile(path, await prettier.format(source, { ...config, filepath: committedPath }));
    }),
  );
}
