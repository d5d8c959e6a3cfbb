// The image filters of `docker images` and `docker image prune`, as Docker's containerd image
// store applies them: to each image record (one per name, or the nameless record of a dangling
// image), so that an image is listed with just the names that pass.
import { invalidParameter } from '../api/errors';
import { globMatcher, type Filters } from '../api/filters';
import { parseTimestamp } from '../events/timestamps';
import { familiarName } from './reference';
import type { Image } from './store';

export const LIST_FILTERS = [
  'dangling',
  'label',
  'label!',
  'reference',
  'before',
  'since',
  'until',
];
export const PRUNE_FILTERS = ['dangling', 'label', 'label!', 'until'];

/** One image record: the image under one of its names, or under none when dangling. */
export interface ImageRecordView {
  image: Image;
  name?: string;
}

export type RecordFilter = (record: ImageRecordView) => boolean;

/** Docker's strconv.ParseBool, as filters.GetBoolOrDefault reads "dangling". */
export function filterBoolean(key: string, value: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw invalidParameter(`invalid filter '${key}=${value}'`);
}

/**
 * Builds the predicate for `filters`; `resolve` finds the images `before` and `since` name
 * (its "No such image" error is the request's answer, as in Docker).
 */
export async function recordFilter(
  filters: Filters,
  resolve: (ref: string) => Promise<Image>,
  nowMs = Date.now(),
): Promise<RecordFilter> {
  const checks: RecordFilter[] = [];
  for (const ref of filters.get('before') ?? []) {
    const bound = created(await resolve(ref));
    checks.push(({ image }) => created(image) < bound);
  }
  for (const ref of filters.get('since') ?? []) {
    const bound = created(await resolve(ref));
    checks.push(({ image }) => created(image) > bound);
  }
  for (const value of filters.get('until') ?? []) {
    const untilMs = parseTimestamp(value, nowMs) / 1e6;
    checks.push(({ image }) => image.tagged.getTime() < untilMs);
  }
  const labels = labelChecks(filters);
  if (labels.length > 0) {
    checks.push(({ image }) => {
      const present = image.config.config?.Labels ?? {};
      return labels.every((check) => check(present));
    });
  }
  const dangling = filters.get('dangling');
  if (dangling?.length) {
    const wanted = filterBoolean('dangling', dangling[0]!);
    checks.push(({ name }) => (name === undefined) === wanted);
  }
  const patterns = (filters.get('reference') ?? []).map(globMatcher);
  if (patterns.length > 0)
    checks.push(({ name }) => name !== undefined && matchesAny(patterns, name));
  return (record) => checks.every((check) => check(record));
}

/** reference.FamiliarMatch: the pattern against "name:tag", then against the name alone. */
function matchesAny(patterns: RegExp[], name: string): boolean {
  const familiar = familiarName(name);
  const repository = familiar.replace(/@.*$/, '').replace(/:[^:/]*$/, '');
  return patterns.some((p) => p.test(familiar) || p.test(repository));
}

type LabelCheck = (labels: Record<string, string>) => boolean;

/** label=k, label=k=v, label!=k, label!=k=v (and "k!=v" inside label, which negates too). */
function labelChecks(filters: Filters): LabelCheck[] {
  const checks: LabelCheck[] = [];
  for (const [filter, negated] of [
    ['label', false],
    ['label!', true],
  ] as const) {
    for (const expr of filters.get(filter) ?? []) {
      const eq = expr.indexOf('=');
      let key = eq < 0 ? expr : expr.slice(0, eq);
      let negate = negated;
      if (key.endsWith('!')) {
        key = key.slice(0, -1);
        negate = !negate;
      }
      if (eq < 0) checks.push((labels) => key in labels !== negate);
      else {
        const value = expr.slice(eq + 1);
        checks.push((labels) => key in labels && (labels[key] === value) !== negate);
      }
    }
  }
  return checks;
}

function created(image: Image): number {
  return Date.parse(image.config.created ?? '') || 0;
}

/** Every record of the images: one per name, or the nameless one of a dangling image. */
export function imageRecords(images: readonly Image[]): ImageRecordView[] {
  return images.flatMap((image) =>
    image.names.length > 0 ? image.names.map((name) => ({ image, name })) : [{ image }],
  );
}

/** The images with a record that passes, each with just its passing names. */
export function selectImages(images: readonly Image[], filter: RecordFilter): Image[] {
  const selected = new Map<string, Image>();
  for (const record of imageRecords(images)) {
    if (!filter(record)) continue;
    const image = selected.get(record.image.id) ?? { ...record.image, names: [] };
    if (record.name !== undefined) image.names.push(record.name);
    selected.set(image.id, image);
  }
  return [...selected.values()];
}
