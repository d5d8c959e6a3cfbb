// Checks API answers against Docker's own swagger definitions (Debian's
// golang-github-docker-docker-dev ships the Engine API 1.41 swagger.yaml).
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';

export const SWAGGER = '/usr/share/gocode/src/github.com/docker/docker/api/swagger.yaml';

interface Schema {
  type?: string;
  $ref?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
}

interface SwaggerDoc {
  definitions: Record<string, Schema>;
  paths: Record<string, Record<string, { responses: Record<string, { schema?: Schema }> }>>;
}

let doc: SwaggerDoc | undefined;
const swagger = () => (doc ??= load(readFileSync(SWAGGER, 'utf8')) as SwaggerDoc);

/** The schema of a definition, or of a path's 200 answer ("GET /images/{name}/history"). */
export function swaggerSchema(name: string): Schema {
  const [method, path] = name.split(' ');
  if (path) return swagger().paths[path]![method!.toLowerCase()]!.responses['200']!.schema!;
  return swagger().definitions[name]!;
}

const typeOf = (value: unknown) =>
  Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;

/**
 * Every way `value` departs from `schema`: a required field missing, or a present, non-null
 * field of another type (null stands for Go's nil slices and maps, which dockerd sends too).
 */
export function swaggerViolations(value: unknown, schema: Schema, at = '$'): string[] {
  const resolved = schema.$ref ? swaggerSchema(schema.$ref.replace('#/definitions/', '')) : schema;
  if (value === null || value === undefined) return [];
  const expected = resolved.type ?? (resolved.properties ? 'object' : undefined);
  const actual = typeOf(value);
  if (expected && actual !== expected && !(expected === 'number' && actual === 'integer'))
    return [`${at}: ${actual}, swagger says ${expected}`];
  if (actual === 'array' && resolved.items)
    return (value as unknown[]).flatMap((v, i) =>
      swaggerViolations(v, resolved.items!, `${at}[${i}]`),
    );
  if (actual !== 'object') return [];
  const record = value as Record<string, unknown>;
  return [
    ...(resolved.required ?? []).filter((k) => !(k in record)).map((k) => `${at}.${k}: missing`),
    ...Object.entries(resolved.properties ?? {}).flatMap(([k, s]) =>
      swaggerViolations(record[k], s, `${at}.${k}`),
    ),
  ];
}
