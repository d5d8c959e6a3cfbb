import type { INamespace } from 'protobufjs';
import bundle from './generated/descriptor-bundle.json' with { type: 'json' };

// TypeScript types the JSON literally, narrower than INamespace's unions allow; scripts/gen.ts
// wrote it with protobufjs's own Root.toJSON, so it is an INamespace by construction.
/** protobufjs JSON for all of proto/, written by scripts/gen.ts. */
export const DESCRIPTOR_BUNDLE = bundle as unknown as INamespace;
