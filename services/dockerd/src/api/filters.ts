// The `filters` query parameter: JSON {"key": {"value": true}} (or the legacy
// {"key": ["value"]}), read into key → values.
import { invalidParameter } from './errors';

export type Filters = Map<string, string[]>;

export function parseFilters(raw: unknown, accepted: readonly string[]): Filters {
  const filters: Filters = new Map();
  if (typeof raw !== 'string' || raw === '') return filters;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidParameter(`invalid filter '${raw}'`);
  }
  if (parsed === null || typeof parsed !== 'object')
    throw invalidParameter(`invalid filter '${raw}'`);
  for (const [key, value] of Object.entries(parsed)) {
    if (!accepted.includes(key)) throw invalidParameter(`invalid filter '${key}'`);
    filters.set(key, Array.isArray(value) ? value.map(String) : Object.keys(value as object));
  }
  return filters;
}

/** Docker's label filter: "key" requires the label, "key=value" its value. */
export function matchesLabels(
  filters: Filters,
  labels: Record<string, string> | null | undefined,
): boolean {
  return (filters.get('label') ?? []).every((expr) => {
    const eq = expr.indexOf('=');
    const key = eq < 0 ? expr : expr.slice(0, eq);
    if (!labels || !(key in labels)) return false;
    return eq < 0 || labels[key] === expr.slice(eq + 1);
  });
}

/** Docker's "label!" filter: true when the labels carry one of the excluded labels (or values). */
export function excludedByLabels(
  filters: Filters,
  labels: Record<string, string> | null | undefined,
): boolean {
  return (filters.get('label!') ?? []).some((expr) =>
    matchesLabels(new Map([['label', [expr]]]), labels),
  );
}

/** A shell-style glob (*, ?) matcher, as path.Match is used by Docker's reference filter. */
export function globMatcher(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${escaped}$`);
}

export function booleanQuery(value: unknown): boolean {
  return value === '1' || value === 'true' || value === 'True';
}
