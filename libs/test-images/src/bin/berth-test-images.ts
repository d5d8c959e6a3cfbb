// berth-test-images: builds the busybox test images, or writes the escaping-layer corpus.
//   berth-test-images [--out DIR] [NAME…]   build into DIR, or into the shared cache
//   berth-test-images escaping DIR          write DIR/<name>.tar and DIR/escaping.json
// Prints what it built as JSON on stdout.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildTestImages, ensureTestImages, escapingLayers, TEST_IMAGE_NAMES } from '../index';

const USAGE = `usage: berth-test-images [--out DIR] [--busybox PATH] [NAME...]
       berth-test-images escaping DIR
images: ${TEST_IMAGE_NAMES.join(', ')} (default: all but big)`;

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      busybox: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals[0] === 'escaping') {
    const dir = positionals[1];
    if (!dir || positionals.length > 2) throw new Error(USAGE);
    await writeEscapingCorpus(dir);
    return;
  }
  const names = positionals.length > 0 ? positionals : undefined;
  const options = values.busybox ? { busybox: values.busybox } : {};
  const images = values.out
    ? await buildTestImages(values.out, names, options)
    : await ensureTestImages(names, options);
  process.stdout.write(`${JSON.stringify(images, null, 2)}\n`);
}

async function writeEscapingCorpus(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const layers = await escapingLayers();
  for (const layer of layers) await writeFile(join(dir, `${layer.name}.tar`), layer.tar);
  const index = layers.map(({ tar: _tar, ...rest }) => ({ ...rest, file: `${rest.name}.tar` }));
  await writeFile(join(dir, 'escaping.json'), `${JSON.stringify(index, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(index, null, 2)}\n`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`berth-test-images: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
