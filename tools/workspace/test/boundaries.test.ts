// The module-boundary rule is what keeps services talking only through wire protocols.
// These tests make sure the lint configuration still rejects the imports it must reject.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const WORKSPACE = new URL('../../..', import.meta.url).pathname;

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: WORKSPACE });
  const [result] = await eslint.lintText(code, { filePath: `${WORKSPACE}${filePath}` });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@nx/enforce-module-boundaries')
    .map((m) => m.message);
}

describe('module boundaries', () => {
  it('rejects a service reaching into another service', async () => {
    const errors = await boundaryErrors(
      'services/dockerd/src/probe.ts',
      "import { x } from '../../registry/src/config';\nexport const y = x;\n",
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it('rejects a lib reaching into a service', async () => {
    const errors = await boundaryErrors(
      'libs/oci/src/probe.ts',
      "import { x } from '../../../services/runtime/src/cli';\nexport const y = x;\n",
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it('accepts a service importing a lib by its package name', async () => {
    const errors = await boundaryErrors(
      'services/dockerd/src/probe.ts',
      "import { createLogger } from '@berth/telemetry';\nexport const log = createLogger;\n",
    );
    expect(errors).toEqual([]);
  });
});
