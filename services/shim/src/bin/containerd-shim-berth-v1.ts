// containerd-shim-berth-v1: containerd's runtime v2 shim binary. `start` is on containerd's
// critical path and stays tiny; `delete` and the group server load their modules on demand.
import { parseFlags } from '../flags';
import { start } from '../start';

const VERSION = '0.1.0';

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  if (flags.version) {
    process.stdout.write(`containerd-shim-berth-v1:\n  Version: ${VERSION}\n`);
    return;
  }
  switch (flags.action) {
    case 'start':
      return start(flags);
    case 'delete':
      return (await import('../delete')).deleteBundle(flags);
    case 'serve':
      return (await import('../server/main')).serve(flags);
    default:
      throw new Error(`unknown action ${JSON.stringify(flags.action)}: expected start or delete`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
