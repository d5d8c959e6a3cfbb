export {
  buildTestImages,
  type BuildOptions,
  type TestImage,
  type TestImageLayer,
  type TestImages,
} from './build';
export { DEFAULT_CACHE_DIR, ensureTestImages, type EnsureOptions } from './cache';
export {
  ESCAPE_VICTIM,
  escapingLayers,
  type EscapeViolation,
  type EscapingLayer,
} from './escaping';
export { DEFAULT_IMAGE_NAMES, TEST_IMAGE_NAMES, type TestImageName } from './images/catalog';
export { INDEX_HTML } from './images/base';
export { MULTI_CHANGED_INDEX_HTML } from './images/multi';
export { MANY_EXTRA_LAYERS } from './images/many';
export { BIG_FILE_PATH, BIG_FILE_SIZE } from './images/big';
export { HOSTILE_LONG_PATH, NET_BIND_SERVICE_CAPABILITY } from './images/hostile';
export { GENERATOR_VERSION } from './reproducible';
