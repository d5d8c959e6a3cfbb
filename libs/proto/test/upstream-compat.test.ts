// Proves proto/ wire-compatible with the real containerd definitions: every message, enum
// and service we declare must equal upstream's field for field, and every definition of
// the upstream files we mirror must exist here.
import { describe, expect, it } from 'vitest';
import { parseOurProtos } from '../scripts/proto-files';
import { describeWireFormat, diffWireListings, filterListing } from '../scripts/wire-listing';
import { missingUpstreamFiles, parseUpstream, parseUpstreamWellKnown } from './upstream-protos';

const missing = missingUpstreamFiles();
const title =
  missing.length === 0
    ? 'proto/ against the upstream definitions'
    : `proto/ against the upstream definitions — SKIPPED: ${missing.length} upstream .proto files ` +
      'absent (apt-get install golang-github-containerd-containerd-dev ' +
      'golang-github-containerd-cgroups-dev golang-github-gogo-protobuf-dev ' +
      'golang-github-gogo-googleapis-dev golang-google-grpc-dev)';

const isWellKnown = (name: string) => name.startsWith('google.protobuf.');
/** berth's own extensions (package berth.*) have no upstream counterpart. */
const isBerthExtension = (name: string) => name.startsWith('berth.');
/** Definitions upstream files pull in through imports that are not wire contracts. */
const isUpstreamTooling = (name: string) =>
  isWellKnown(name) || name.startsWith('gogoproto.') || name.startsWith('containerd.plugin.');

describe.skipIf(missing.length > 0)(title, () => {
  const ours = describeWireFormat(parseOurProtos());
  const oursOwn = filterListing(ours, (name) => !isWellKnown(name) && !isBerthExtension(name));

  it('defines every message, enum and service exactly as upstream does', () => {
    const upstream = describeWireFormat(parseUpstream());
    const upstreamMirrored = filterListing(upstream, (name) => !isUpstreamTooling(name));
    // "added" lines are ours that upstream lacks; "removed" ones, upstream's that we lack.
    expect(diffWireListings(upstreamMirrored, oursOwn)).toEqual([]);
    expect(Object.keys(oursOwn.messages).length).toBeGreaterThan(200);
    expect(Object.keys(oursOwn.services)).toHaveLength(14);
  });

  it('bundles the same well-known types as upstream', () => {
    const used = filterListing(ours, isWellKnown);
    const files = Object.keys(used.messages).map((name) =>
      name
        .replace('google.protobuf.', '')
        .replace(/(?<=.)([A-Z])/g, '_$1')
        .toLowerCase(),
    );
    expect(files.sort()).toEqual(['any', 'empty', 'field_mask', 'timestamp']);
    const upstream = describeWireFormat(parseUpstreamWellKnown(files));
    expect(diffWireListings(upstream, used)).toEqual([]);
  });
});
