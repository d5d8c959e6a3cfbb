import type { Descriptor } from '../core/metadata/images';
import type { Mount } from '../core/snapshots/overlay/overlay';

// Conversions between core records and the snake_case messages proto-loader produces.

interface DescriptorMsg {
  media_type: string;
  digest: string;
  size: string | number;
  annotations: Record<string, string>;
}

export const descriptorFromMsg = (d: DescriptorMsg | null | undefined): Descriptor => ({
  mediaType: d?.media_type ?? '',
  digest: d?.digest ?? '',
  size: Number(d?.size ?? 0),
  annotations: d?.annotations ?? {},
});

export const descriptorToMsg = (d: Descriptor) => ({
  media_type: d.mediaType,
  digest: d.digest,
  size: d.size,
  annotations: d.annotations,
});

export const mountToMsg = (m: Mount) => ({
  type: m.type,
  source: m.source,
  target: m.target ?? '',
  options: m.options,
});

export const mountFromMsg = (m: {
  type: string;
  source: string;
  target: string;
  options: string[];
}): Mount => ({
  type: m.type,
  source: m.source,
  target: m.target,
  options: m.options,
});

export const anyToMsg = (a: { typeUrl: string; value: Uint8Array } | undefined) =>
  a ? { type_url: a.typeUrl, value: Buffer.from(a.value) } : null;

export const anyFromMsg = (a: { type_url: string; value: Buffer } | null | undefined) =>
  a ? { typeUrl: a.type_url, value: a.value } : undefined;
