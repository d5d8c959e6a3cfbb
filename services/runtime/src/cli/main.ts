// berth-runc: parse the command line, run the command, map failures to runc's exit codes.
import { Runtime } from '@berth/oci';
import { bool, str, UsageError } from './args';
import { parseCommand, type Context } from './commands';
import { logError, logWarning } from './log';
import { traced } from './trace';

export const DEFAULT_ROOT = '/run/berth-runc';

export async function main(argv: string[]): Promise<number> {
  let global = {};
  try {
    const cmd = parseCommand(argv);
    global = cmd.global;
    if (bool(cmd.global, 'systemd-cgroup'))
      throw new UsageError(
        '--systemd-cgroup is not supported: berth-runc manages cgroupfs directly',
      );
    const ctx: Context = {
      runtime: new Runtime({
        root: str(cmd.global, 'root') ?? DEFAULT_ROOT,
        noPivot: bool(cmd.flags, 'no-pivot'),
        warn: logWarning,
      }),
      out: (text) => process.stdout.write(text),
      traced,
    };
    return await cmd.command.run(ctx, cmd.flags, cmd.args);
  } catch (err) {
    await logError(global, (err as Error).message);
    return 1;
  }
}
