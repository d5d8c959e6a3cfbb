// Lint for the whole workspace. The module-boundary rule is what keeps the process split
// honest: a service reaches another service only through its wire protocol, so a service
// may import libs and nothing else, and a lib may import only other libs.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/build/**',
      '**/node_modules/**',
      '**/.nx/**',
      '**/*.cjs',
      '**/src/generated/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    // Source and tests only: per-package config files legitimately import the root's.
    files: ['**/src/**/*.ts', '**/test/**/*.ts', '**/scripts/**/*.ts', '**/scripts/**/*.mjs'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
);
