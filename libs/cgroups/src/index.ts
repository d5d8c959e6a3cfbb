export type * from './spec';
export type * from './stats';
export { MAX_UINT64 } from './stats';
export { CgroupError } from './errors';
export { NodeCgroupFs, type CgroupFs, type DirEntry } from './fs';
export { FakeCgroupFs, type FakeCgroupFsOptions } from './fake-fs';
export {
  detectHost,
  hierarchyDir,
  parseMountInfo,
  parseProcCgroup,
  type CgroupHost,
  type CgroupMode,
  type HierarchyLocation,
  type HierarchyMount,
  type MountInfoEntry,
} from './host';
export {
  DEFAULT_TIMING,
  nodeProcessControl,
  type CgroupManager,
  type FreezerState,
  type ProcessControl,
  type Timing,
} from './manager';
export { blkioWeightToIoWeight, cpuMax, cpuSharesToWeight, memorySwapToV2 } from './convert';
export { parseFlatKeyed, parseNestedKeyed } from './parse';
export { resolveCgroupPath } from './paths';
export { V2Manager } from './v2/manager';
export { V1Manager } from './v1/manager';
export { FakeManager } from './fake-manager';
export { createManager, managerFor, type ManagerOptions } from './factory';
