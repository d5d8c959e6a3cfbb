// Everything that must not vary between runs or machines lives here, so a change to any of
// it is a visible bump of the generator version (which keys the shared cache).

/** Bump whenever the bytes of any generated image change. */
export const GENERATOR_VERSION = 1;

/** Fixed timestamp for tar headers and image config `created`: 2024-01-01T00:00:00Z. */
export const FIXED_MTIME = new Date(Date.UTC(2024, 0, 1));

/** Every image is published under this registry-like namespace with this tag. */
export const REF_NAMESPACE = 'berth.test';
export const REF_TAG = 'latest';

export const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
