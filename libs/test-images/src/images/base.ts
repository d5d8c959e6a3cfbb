import { dir, file, symlink, type LayerEntry } from '../layer/entries';
import type { Busybox } from '../busybox';
import type { LayerSpec } from './spec';

export const INDEX_HTML = '<html><body>berth test image</body></html>\n';

const PASSWD =
  'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n';
const GROUP = 'root:x:0:\nnobody:x:65534:\n';

function* baseEntries(busybox: Busybox): Iterable<LayerEntry> {
  yield dir('bin');
  yield file('bin/busybox', busybox.bytes, 0o755);
  for (const applet of busybox.applets) yield symlink(`bin/${applet}`, 'busybox');
  yield dir('dev');
  yield dir('etc');
  yield file('etc/group', GROUP);
  yield file('etc/passwd', PASSWD);
  yield dir('proc');
  yield dir('root', 0o700);
  yield dir('sys');
  yield dir('tmp', 0o1777);
  yield dir('var');
  yield dir('var/www');
  yield file('var/www/index.html', INDEX_HTML);
}

/** The single layer of `small`, and the bottom layer of every image built on it. */
export const BASE_LAYER: LayerSpec = {
  id: 'base',
  description: 'busybox with applet links, passwd/group (root, nobody), /tmp, /var/www',
  entries: baseEntries,
};
