// Original file: proto/grpc/health/v1/health.proto

export interface HealthCheckRequest {
  /**
   * Empty asks about the server as a whole.
   */
  service?: string;
}

export interface HealthCheckRequest__Output {
  /**
   * Empty asks about the server as a whole.
   */
  service: string;
}
