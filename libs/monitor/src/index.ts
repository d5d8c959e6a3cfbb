// @berth/monitor: the per-process native parent (berth-monitor) and how to drive it.
export { monitorBinary } from './binary';
export { readExitFile, type ExitRecord } from './exit-file';
export {
  RuntimeCommandError,
  spawnMonitor,
  type MonitoredProcess,
  type MonitorPaths,
  type MonitorStdio,
  type ServerRespawn,
  type SpawnMonitorOptions,
} from './spawn';
export { MonitorConnection } from './control';
export { runCaptured, socketPair, type CapturedRun, type RunOptions } from './posix-spawn';
