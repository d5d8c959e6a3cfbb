import { dir, file, whiteout } from '../layer/entries';
import { BASE_LAYER } from './base';
import type { ImageSpec } from './spec';

export const MULTI_CHANGED_INDEX_HTML = '<html><body>changed by the multi image</body></html>\n';

/** Base plus three layers: add files, change a file of the base, delete an added file. */
export const MULTI: ImageSpec = {
  name: 'multi',
  layers: [
    BASE_LAYER,
    {
      id: 'multi-add',
      description: 'add /srv/kept.txt and /srv/removed.txt',
      entries: () => [
        dir('srv'),
        file('srv/kept.txt', 'kept by the multi image\n'),
        file('srv/removed.txt', 'removed by a later layer\n'),
      ],
    },
    {
      id: 'multi-change',
      description: 'change /var/www/index.html',
      entries: () => [
        dir('var'),
        dir('var/www'),
        file('var/www/index.html', MULTI_CHANGED_INDEX_HTML),
      ],
    },
    {
      id: 'multi-delete',
      description: 'delete /srv/removed.txt with a whiteout',
      entries: () => [dir('srv'), whiteout('srv/removed.txt')],
    },
  ],
};
