import { BASE_LAYER } from './base';
import { BIG } from './big';
import { HOSTILE_UNPACK } from './hostile';
import { MANY } from './many';
import { MULTI } from './multi';
import type { ImageSpec } from './spec';

const SMALL: ImageSpec = { name: 'small', layers: [BASE_LAYER] };

export const IMAGE_SPECS: readonly ImageSpec[] = [SMALL, MULTI, BIG, MANY, HOSTILE_UNPACK];

export const TEST_IMAGE_NAMES = ['small', 'multi', 'big', 'many', 'hostile-unpack'] as const;
export type TestImageName = (typeof TEST_IMAGE_NAMES)[number];

/** Every image that is cheap to build; `big` must be asked for by name. */
export const DEFAULT_IMAGE_NAMES: readonly TestImageName[] = TEST_IMAGE_NAMES.filter(
  (name) => !imageSpec(name).onDemand,
);

export function imageSpec(name: string): ImageSpec {
  const spec = IMAGE_SPECS.find((candidate) => candidate.name === name);
  if (!spec) throw new Error(`unknown test image "${name}"; known: ${TEST_IMAGE_NAMES.join(', ')}`);
  return spec;
}
