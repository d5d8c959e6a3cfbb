import { dir, file } from '../layer/entries';
import { BASE_LAYER } from './base';
import type { ImageSpec, LayerSpec } from './spec';

export const MANY_EXTRA_LAYERS = 100;

const manyFile = (index: number) => `many/file-${String(index).padStart(3, '0')}`;

function manyLayer(index: number): LayerSpec {
  return {
    id: `many-${index}`,
    description: `add /${manyFile(index)}`,
    entries: () => [dir('many'), file(manyFile(index), `layer ${index}\n`)],
  };
}

/** Base plus 100 one-file layers: exercises per-layer overheads (pulls, snapshots, mounts). */
export const MANY: ImageSpec = {
  name: 'many',
  layers: [BASE_LAYER, ...Array.from({ length: MANY_EXTRA_LAYERS }, (_, i) => manyLayer(i + 1))],
};
