// Types of berth-stack.mjs for the TypeScript tests that use it.
export declare const REPO: string;
export declare function buildStack(): void;
export interface BerthStack {
  /** docker -H address of berth-dockerd. */
  host: string;
  dir: string;
  /** The store every process of the stack records spans into. */
  traceDir: string;
  pids: Record<string, number | undefined>;
  stop(): Promise<void>;
}
export declare function startBerthStack(options?: {
  tracing?: boolean;
  dockerdArgs?: string[];
}): Promise<BerthStack>;
export declare function timeDockerRun(host: string, image: string, args?: string[]): number;
