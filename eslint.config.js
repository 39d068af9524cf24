import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'cdk.out', '.local', 'test-artifacts', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      // Bundle weight: classic zod is ~450 KB, and `import { z } from 'zod/mini'` keeps all of zod too.
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'zod', message: "Use `import * as z from 'zod/mini'` (bundle size)." }] },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod/mini'] > ImportSpecifier[imported.name='z']",
          message: "Write `import * as z from 'zod/mini'`: the `z` export keeps all of zod in the bundle.",
        },
      ],
    },
  },
  {
    // Shipped code never depends on test code (test/unit/architecture/layering.test.ts checks it too).
    files: ['src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'zod', message: "Use `import * as z from 'zod/mini'` (bundle size)." }],
          patterns: [{ group: ['**/test/**'], message: 'src/ must not import test/: move the code into src/.' }],
        },
      ],
    },
  },
  {
    files: ['bench/**', 'scripts/**', 'src/local/**', 'cdk/**'],
    rules: { 'no-console': 'off' },
  },
);
