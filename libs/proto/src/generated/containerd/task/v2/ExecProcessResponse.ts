// Original file: proto/containerd/runtime/task/v2/shim.proto

/**
 * Not returned by any rpc (Exec returns Empty), kept for type parity with upstream.
 */
export interface ExecProcessResponse {}

/**
 * Not returned by any rpc (Exec returns Empty), kept for type parity with upstream.
 */
export interface ExecProcessResponse__Output {}
