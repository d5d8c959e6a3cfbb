// Original file: proto/containerd/services/content/v1/content.proto

export const WriteAction = {
  /**
   * Report the ingest's progress without writing.
   */
  STAT: 'STAT',
  /**
   * Write data at offset.
   */
  WRITE: 'WRITE',
  /**
   * Write any data, then verify size and digest and move the blob into the store.
   */
  COMMIT: 'COMMIT',
} as const;

export type WriteAction =
  /**
   * Report the ingest's progress without writing.
   */
  | 'STAT'
  | 0
  /**
   * Write data at offset.
   */
  | 'WRITE'
  | 1
  /**
   * Write any data, then verify size and digest and move the blob into the store.
   */
  | 'COMMIT'
  | 2;

export type WriteAction__Output = (typeof WriteAction)[keyof typeof WriteAction];
