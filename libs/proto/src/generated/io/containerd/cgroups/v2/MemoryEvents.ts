// Original file: proto/containerd/cgroups/v2/metrics.proto

import type { Long } from '@grpc/proto-loader';

/**
 * memory.events counters.
 */
export interface MemoryEvents {
  low?: number | string | Long;
  high?: number | string | Long;
  max?: number | string | Long;
  oom?: number | string | Long;
  oom_kill?: number | string | Long;
}

/**
 * memory.events counters.
 */
export interface MemoryEvents__Output {
  low: string;
  high: string;
  max: string;
  oom: string;
  oom_kill: string;
}
