import type { Context } from '@opentelemetry/api';
import { errorOf, invalidArgument } from '../errdefs';
import type { Labels } from './db';

/** What every namespaced operation carries: from the containerd-namespace and -lease metadata. */
export interface OpContext {
  namespace: string;
  lease?: string;
  /** The call's trace context, handed down explicitly: the daemon's context manager does not
   * follow async code (berth-containerd.ts). Absent for work no call asked for. */
  trace?: Context;
}

const IDENTIFIER = /^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$/;
const MAX_IDENTIFIER = 76;
const MAX_LABEL = 4096;

/** Upstream's identifiers.Validate for namespaces, container ids and lease ids. */
export function validateIdentifier(id: string): void {
  if (id === '') throw invalidArgument('identifier must not be empty');
  if (id.length > MAX_IDENTIFIER) {
    throw invalidArgument(
      `identifier ${JSON.stringify(id)} greater than maximum length (${MAX_IDENTIFIER} characters)`,
    );
  }
  if (!IDENTIFIER.test(id)) {
    throw invalidArgument(`identifier ${JSON.stringify(id)} must match ${IDENTIFIER.source}`);
  }
}

export function requireNamespace(ns: string | undefined): string {
  if (!ns) throw errorOf('FailedPrecondition', 'namespace is required');
  validateIdentifier(ns);
  return ns;
}

export function validateLabels(labels: Labels): void {
  for (const [k, v] of Object.entries(labels)) {
    if (Buffer.byteLength(k) + Buffer.byteLength(v) > MAX_LABEL) {
      throw invalidArgument(
        `label key and value greater than maximum size (${MAX_LABEL} bytes), key: ${k.slice(0, 10)}`,
      );
    }
  }
}

/**
 * Applies an update's field paths as upstream does: no paths replaces everything the
 * update may change; `labels` replaces all labels; `labels.<key>` sets or (when the new
 * value is empty/absent) removes one label.
 */
export function applyLabelPaths(
  current: Labels,
  next: Labels,
  paths: readonly string[],
  onOther: (path: string) => void,
): Labels {
  if (paths.length === 0) return { ...next };
  const out = { ...current };
  for (const path of paths) {
    if (path === 'labels') {
      for (const k of Object.keys(out)) delete out[k];
      Object.assign(out, next);
    } else if (path.startsWith('labels.')) {
      const key = path.slice('labels.'.length);
      const v = next[key];
      if (v === undefined || v === '') delete out[key];
      else out[key] = v;
    } else onOther(path);
  }
  return out;
}
