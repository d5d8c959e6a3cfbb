// The upstream definitions proto/ mirrors, read from Debian's golang-github-containerd-*-dev
// packages at test time (never copied into the repo). Imports resolve the way protoc's
// include path would for the Go source tree.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import protobufjs from 'protobufjs';
import type protobuf from 'protobufjs';
import { parseProtoFiles } from '../scripts/proto-files';

export const GOCODE = '/usr/share/gocode/src';

const CONTAINERD = 'github.com/containerd/containerd';
const CONTAINERD_API = `${CONTAINERD}/api`;

/** Every upstream file with definitions we mirror, relative to GOCODE. */
export const UPSTREAM_FILES = [
  ...['descriptor', 'metrics', 'mount', 'platform', 'task/task'].map(
    (name) => `${CONTAINERD_API}/types/${name}.proto`,
  ),
  ...['container', 'content', 'image', 'namespace', 'snapshot', 'task'].map(
    (name) => `${CONTAINERD_API}/events/${name}.proto`,
  ),
  ...[
    'containers/v1/containers',
    'content/v1/content',
    'diff/v1/diff',
    'events/v1/events',
    'images/v1/images',
    'introspection/v1/introspection',
    'leases/v1/leases',
    'namespaces/v1/namespace',
    'snapshots/v1/snapshots',
    'tasks/v1/tasks',
    'ttrpc/events/v1/events',
    'version/v1/version',
  ].map((name) => `${CONTAINERD_API}/services/${name}.proto`),
  `${CONTAINERD}/runtime/v2/task/shim.proto`,
  `${CONTAINERD}/runtime/v2/runc/options/oci.proto`,
  'github.com/containerd/cgroups/stats/v1/metrics.proto',
  'github.com/containerd/cgroups/v2/stats/metrics.proto',
  'github.com/gogo/googleapis/google/rpc/status.proto',
  'google.golang.org/grpc/debian/missing-sources/grpc/grpc-proto/master/grpc/health/v1/health.proto',
];

/** The protobuf well-known types as upstream ships them (gogo's copy of google/protobuf). */
export const UPSTREAM_WELL_KNOWN_DIR = 'github.com/gogo/protobuf/protobuf/google/protobuf';

/** Where upstream's imports are found, like protoc -I flags. */
const INCLUDE_DIRS = [
  GOCODE,
  join(GOCODE, 'github.com/gogo/protobuf'),
  join(GOCODE, 'github.com/gogo/protobuf/protobuf'),
  join(GOCODE, 'github.com/gogo/googleapis'),
];

/** Upstream files that are not installed; empty when the Debian packages are present. */
export function missingUpstreamFiles(): string[] {
  return UPSTREAM_FILES.filter((file) => !existsSync(join(GOCODE, file)));
}

export function parseUpstream(files: string[] = UPSTREAM_FILES): protobuf.Root {
  return parseProtoFiles(
    files.map((file) => join(GOCODE, file)),
    (importPath) =>
      INCLUDE_DIRS.map((dir) => join(dir, importPath)).find((path) => existsSync(path)) ??
      importPath,
  );
}

/**
 * Parses upstream's copies of the given well-known type files (e.g. "any"). They are fed to
 * the parser directly: loading them by path would substitute protobufjs's bundled copies,
 * which are exactly what we want to check.
 */
export function parseUpstreamWellKnown(names: string[]): protobuf.Root {
  const root = new protobufjs.Root();
  for (const name of names) {
    const source = readFileSync(join(GOCODE, UPSTREAM_WELL_KNOWN_DIR, `${name}.proto`), 'utf8');
    protobufjs.parse(source, root, { keepCase: true });
  }
  root.resolveAll();
  return root;
}
