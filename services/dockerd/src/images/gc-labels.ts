// containerd's garbage-collection references: labels on a manifest or index naming the blobs
// it needs, so that containerd keeps them while the parent is kept.

export function manifestGcLabels(manifest: {
  config: { digest: string };
  layers: readonly { digest: string }[];
}): Record<string, string> {
  const labels: Record<string, string> = {
    'containerd.io/gc.ref.content.config': manifest.config.digest,
  };
  manifest.layers.forEach(
    (layer, i) => (labels[`containerd.io/gc.ref.content.l.${i}`] = layer.digest),
  );
  return labels;
}

export function indexGcLabels(index: {
  manifests: readonly { digest: string }[];
}): Record<string, string> {
  const labels: Record<string, string> = {};
  index.manifests.forEach((m, i) => (labels[`containerd.io/gc.ref.content.m.${i}`] = m.digest));
  return labels;
}
