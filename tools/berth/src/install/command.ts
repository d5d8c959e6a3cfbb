// The `berth install` and `berth uninstall` commands: flags, the real host, output.
import { parseArgs } from 'node:util';
import { systemHost, type InstallHost } from './host';
import { install } from './install';
import { findCheckout, readLayout } from './layout';
import { uninstall } from './uninstall';

export const INSTALL_USAGE = `  install [--prefix DIR] [--no-enable] [--source CHECKOUT]
                           link the built executables into DIR/bin (default /usr/local), put the
                           systemd units in /etc/systemd/system, create the docker group if absent,
                           reload systemd and enable berth.target and its units
  uninstall                stop and disable the units, remove every file 'berth install' put in place
`;

const log = (line: string) => console.log(line);

export async function installCommand(args: string[], host: InstallHost = systemHost) {
  const { values } = parseArgs({
    args,
    options: {
      prefix: { type: 'string', default: '/usr/local' },
      'no-enable': { type: 'boolean', default: false },
      source: { type: 'string' },
    },
    allowPositionals: false,
  });
  if (!values.prefix.startsWith('/')) throw new Error(`--prefix must be an absolute path`);
  const source = readLayout(values.source ?? findCheckout());
  await install({ prefix: values.prefix, enable: !values['no-enable'], source }, host, log);
  if (values['no-enable']) log('units installed, not enabled');
  else log('start the stack: systemctl start berth.target');
  return 0;
}

export async function uninstallCommand(args: string[], host: InstallHost = systemHost) {
  parseArgs({ args, options: {}, allowPositionals: false });
  await uninstall(host, log);
  return 0;
}
