import { readdirSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { LayerTar } from './layer-tar';
import { isOpaque, isWhiteout } from './merged';

/**
 * The tar of an overlay upper directory's changes against its lowers, in OCI layer form:
 * overlay whiteouts (char 0:0) become `.wh.<name>` entries and opaque directories get a
 * `.wh..wh..opq` entry; hard links inside the layer stay hard links. Entries are sorted
 * so that the same tree always yields the same tar.
 */
export function changesTar(upper: string): Readable {
  const out = new LayerTar();
  const emit = async (rel: string): Promise<void> => {
    for (const name of readdirSync(join(upper, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      const abs = join(upper, path);
      const st = lstatSync(abs);
      if (isWhiteout(st)) {
        await out.whiteout(path, st.mtime);
        continue;
      }
      await out.add(path, abs, st);
      if (st.isDirectory()) {
        if (isOpaque(abs)) await out.opaque(path, st.mtime);
        await emit(path);
      }
    }
  };
  return out.stream(emit(''));
}
