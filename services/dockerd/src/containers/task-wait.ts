// Tasks.Wait that outlives a containerd restart. The shim keeps the task while containerd is
// away (KillMode=process under systemd), so a wait cut by the restart is not an exit: it is
// asked again once containerd answers, as moby's libcontainerd re-waits after reconnecting.
import { grpcCode, type ContainerdConnection } from '../containerd/connection';

// A stopping containerd cancels its calls (CANCELLED: dockerd never cancels a Wait itself);
// while it is away the connection is UNAVAILABLE.
const CUT = new Set([1, 14]);
const RETRY_MS = 1000;

export async function waitTaskExit(
  connection: ContainerdConnection,
  containerId: string,
  retryMs = RETRY_MS,
): Promise<number> {
  for (;;) {
    try {
      const res = await connection.call<{ exit_status: number }>(
        'tasks',
        'Wait',
        { container_id: containerId },
        { deadlineMs: 0 },
      );
      return res.exit_status;
    } catch (err) {
      if (!CUT.has(grpcCode(err) ?? 0)) throw err;
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }
}
