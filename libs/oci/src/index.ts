export type * from './spec/types';
export { configSchema } from './spec/schema';
export { SpecError, validateSpec } from './spec/validate';
export { defaultSpec, SPEC_VERSION } from './spec/defaults';
export type * from './plan/types';
export { buildExecPlan, buildInitPlan, type HostInfo, type InitOptions } from './plan/build';
export { encodePlan } from './plan/encode';
export { readHostInfo } from './plan/host';
export { CAPABILITIES } from './plan/process';
export { seccompSource } from './plan/seccomp';
export { MS, parseMountOptions, type ParsedOptions } from './plan/mount-options';
export {
  launch,
  launchPhases,
  launchSpans,
  LaunchError,
  type Launched,
  type LaunchPhase,
  type PhaseStamp,
  type SpawnedLauncher,
  type SpawnLauncher,
} from './launch/launcher';
export { HookError } from './launch/hooks';
export { ContainerNotFound, type OciState, type Status } from './state/store';
export {
  Runtime,
  RuntimeError,
  type CreateOptions,
  type ExecOptions,
  type RuntimeOptions,
} from './runtime';
