// The "Components" of GET /version that live behind the daemon: containerd, as it reports
// itself over its Version API.
import type { ContainerdConnection } from './connection';

export interface ComponentVersion {
  Name: string;
  Version: string;
  Details?: Record<string, string>;
}

export async function containerdComponent(
  connection: ContainerdConnection,
): Promise<ComponentVersion[]> {
  try {
    const { version, revision } = await connection.version();
    return [{ Name: 'containerd', Version: version, Details: { GitCommit: revision } }];
  } catch {
    // Docker omits a component it cannot reach rather than failing /version.
    return [];
  }
}
