// berth: the operator tool. `berth up` starts the stack on its defaults, `berth down`
// stops it, `berth status` shows each service; `berth install` and `berth uninstall` put the
// stack under systemd and take it away again.
import { parseArgs } from 'node:util';
import { INSTALL_USAGE, installCommand, uninstallCommand } from '../install/command';
import { down, status, up, type ServiceStatus } from '../stack/stack';
import { DEFAULT_DIRS } from '../stack/supervise';

const USAGE = `usage: berth <command> [options]

commands:
  up [--timeout SECONDS]   start every installed service in the background and wait until each answers
  down                     stop the services that 'berth up' started
  status [--json]          show each service, its pid and its endpoint
  trace <ls|show|stats|export|compare> …   read container-start traces ('berth trace help')
${INSTALL_USAGE}`;

function printStatus(rows: ServiceStatus[]) {
  const table = [['SERVICE', 'STATE', 'PID', 'ENDPOINT']].concat(
    rows.map((r) => [r.name, r.state, r.pid?.toString() ?? '-', r.endpoint]),
  );
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table)
    console.log(
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'install') return installCommand(rest);
  if (command === 'uninstall') return uninstallCommand(rest);
  const { values } = parseArgs({
    // `trace` parses its own sub-commands and options.
    args: command === 'trace' ? [] : rest,
    options: { json: { type: 'boolean' }, timeout: { type: 'string', default: '30' } },
    allowPositionals: false,
  });
  switch (command) {
    case 'up': {
      const timeoutMs = Number(values.timeout) * 1000;
      if (!(timeoutMs > 0)) throw new Error(`--timeout must be a positive number of seconds`);
      const result = await up(DEFAULT_DIRS, timeoutMs);
      if (result.notInstalled.length > 0) {
        console.error(`not installed (run scripts/setup.sh): ${result.notInstalled.join(', ')}`);
      }
      printStatus(await status(DEFAULT_DIRS));
      return 0;
    }
    case 'down': {
      const stopped = await down(DEFAULT_DIRS);
      console.log(stopped.length > 0 ? `stopped: ${stopped.join(', ')}` : 'nothing to stop');
      return 0;
    }
    case 'status': {
      const rows = await status(DEFAULT_DIRS);
      if (values.json) console.log(JSON.stringify(rows, null, 2));
      else printStatus(rows);
      return rows.every((r) => r.state === 'ready' || r.state === 'not installed') ? 0 : 3;
    }
    case 'trace': {
      const { runTrace } = await import('../trace/cli');
      return runTrace(rest, { stdout: process.stdout, stderr: process.stderr, env: process.env });
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`berth: unknown command '${command}'\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`berth: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
