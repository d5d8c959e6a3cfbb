// Infers the `typecheck` and `build` targets for every workspace package, so that
// no project.json has to spell them out. `lint` and `test` come from @nx/eslint and
// @nx/vitest. `build` exists only for packages that ship executables (a "bin" map)
// or a native part (a Makefile under native/).
const { dirname, join } = require('node:path');
const { existsSync, readFileSync } = require('node:fs');

const PACKAGE_GLOB = '{libs,services,tools}/*/package.json';

function targetsFor(root, workspaceRoot) {
  const pkg = JSON.parse(readFileSync(join(workspaceRoot, root, 'package.json'), 'utf8'));
  const targets = {};
  if (existsSync(join(workspaceRoot, root, 'tsconfig.json'))) {
    targets.typecheck = {
      command: 'tsc -p tsconfig.json',
      options: { cwd: root },
      cache: true,
      inputs: ['default', '^default'],
    };
  }
  const steps = [];
  if (existsSync(join(workspaceRoot, root, 'native', 'Makefile'))) {
    steps.push(`make -s -C ${root}/native`);
  }
  if (pkg.bin) steps.push(`node scripts/bundle.mjs ${root}`);
  if (steps.length > 0) {
    targets.build = {
      command: steps.join(' && '),
      cache: true,
      inputs: ['production', '^production', '{workspaceRoot}/scripts/bundle.mjs'],
      outputs: ['{projectRoot}/dist', '{projectRoot}/native/build'],
    };
  }
  return targets;
}

module.exports = {
  name: 'berth-targets',
  createNodesV2: [
    PACKAGE_GLOB,
    (files, _options, context) =>
      files.map((file) => {
        const root = dirname(file);
        return [
          file,
          { projects: { [root]: { targets: targetsFor(root, context.workspaceRoot) } } },
        ];
      }),
  ],
};
