// Accept-header negotiation for manifests fetched by tag, as upstream does: a client that
// lists media types and none matching the stored manifest gets MANIFEST_UNKNOWN.
export function acceptedTypes(header: string | string[] | undefined): string[] {
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  return values
    .flatMap((v) => v.split(','))
    .map((t) => t.split(';')[0]?.trim().toLowerCase() ?? '')
    .filter((t) => t.length > 0);
}

export function accepts(header: string | string[] | undefined, mediaType: string): boolean {
  const types = acceptedTypes(header);
  if (types.length === 0) return true;
  const family = `${mediaType.split('/')[0]}/*`;
  return types.some((t) => t === mediaType || t === '*/*' || t === family);
}
