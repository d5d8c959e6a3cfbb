// npm run gen -w @berth/proto: regenerates src/generated/ from proto/. Generates into a
// temporary directory first so a failure leaves the committed output untouched, and
// replaces the whole directory so files of removed definitions disappear.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENERATED_DIR, generateInto } from './generate';

const staging = await mkdtemp(join(tmpdir(), 'berth-proto-gen-'));
try {
  await generateInto(staging);
  await rm(GENERATED_DIR, { recursive: true, force: true });
  await cp(staging, GENERATED_DIR, { recursive: true });
} finally {
  await rm(staging, { recursive: true, force: true });
}
console.log(`generated ${GENERATED_DIR}`);
