// Original file: proto/containerd/services/tasks/v1/tasks.proto

/**
 * Not returned by any rpc (Exec returns Empty), kept for type parity with upstream.
 */
export interface ExecProcessResponse {}

/**
 * Not returned by any rpc (Exec returns Empty), kept for type parity with upstream.
 */
export interface ExecProcessResponse__Output {}
