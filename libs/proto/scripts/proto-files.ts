// Where the .proto contracts live and how to parse them with protobufjs. Used by the
// generator, the snapshot writer and the tests; services load the generated JSON bundle.
import { readdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

export const PROTO_DIR = fileURLToPath(new URL('../../../proto/', import.meta.url));

/** Every .proto file under dir, as sorted import paths relative to it. */
export function listProtoFiles(dir: string = PROTO_DIR): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.proto'))
    .map((path) => path.split('\\').join('/'))
    .sort();
}

/**
 * Parses files and their imports, keeping field names as written. resolveImport maps an
 * import path to a file on disk; google/protobuf well-known types come from protobufjs.
 */
export function parseProtoFiles(
  files: string[],
  resolveImport: (importPath: string) => string,
): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (isAbsolute(target) ? target : resolveImport(target));
  root.loadSync(files, { keepCase: true }).resolveAll();
  return root;
}

/** Parses our whole proto/ tree. */
export function parseOurProtos(dir: string = PROTO_DIR): protobuf.Root {
  return parseProtoFiles(listProtoFiles(dir), (importPath) => join(dir, importPath));
}
