import type { Busybox } from '../busybox';
import type { EntrySource } from '../layer/entries';
import type { TestImageName } from './catalog';

export interface LayerSpec {
  /** Unique across all images: layers with the same id are built once per run and shared. */
  id: string;
  /** Becomes the layer's history entry (`created_by`). */
  description: string;
  entries: (busybox: Busybox) => EntrySource;
  /** zlib level; incompressible content uses a low one so building it stays fast. */
  gzipLevel?: number;
}

export interface ImageSpec {
  name: TestImageName;
  layers: LayerSpec[];
  /** Built only when asked for by name (too large or slow for the default set). */
  onDemand?: boolean;
}
