// npm run snapshot -w @berth/proto: accepts the current wire format of proto/ by rewriting
// proto/descriptor.snapshot.json. Run it only for an intended change, and review the diff.
import { writeFile } from 'node:fs/promises';
import { renderSnapshot, SNAPSHOT_FILE } from './descriptor-snapshot';
import { parseOurProtos } from './proto-files';
import { describeWireFormat } from './wire-listing';

await writeFile(SNAPSHOT_FILE, renderSnapshot(describeWireFormat(parseOurProtos())));
console.log(`wrote ${SNAPSHOT_FILE}`);
