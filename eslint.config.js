// ESLint (flat config) with typescript-eslint's type-aware recommended rules, tuned to report real problems.
// Formatting and import order are Prettier's (.prettierrc.json), so no stylistic rule is enabled here.
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'results/', 'data/', '**/fixtures/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // One program for sources and tests (tsconfig.test.json includes both), so every rule sees real types.
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: fileURLToPath(new URL('.', import.meta.url)) },
    },
    rules: {
      // A cast the type checker already proves is noise that hides the casts that matter.
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      // `any` is written on purpose as the existential type argument (Env<any, any>, Agent<any, any>); what is a
      // problem is an `any` value flowing into typed code, which the no-unsafe-* rules report.
      '@typescript-eslint/no-explicit-any': 'off',
      // Errors put spaces, envs and ids in messages through their own toString(); no-base-to-string still
      // reports the real mistake, an object printed as '[object Object]'.
      '@typescript-eslint/restrict-template-expressions': 'off',
      // An async method that satisfies a Promise-returning contract (a heuristic's learn/save) needs no await.
      '@typescript-eslint/require-await': 'off',
      // Option parsers throw an OptionProblem (core/options.ts), which parseOptions turns into an OptionError.
      '@typescript-eslint/only-throw-error': ['error', { allow: [{ from: 'file', name: 'OptionProblem' }] }],
      // Leading underscore: deliberately unused (an interface's parameter, a destructured field left out).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Published coefficients (e.g. Wichura's AS241) are transcribed with all their digits on purpose.
      'no-loss-of-precision': 'off',
    },
  },
  {
    // Tests read JSON written by the CLI and mock untyped callbacks; a wrong field there fails the test itself.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // expect(obj.method) and vi.spyOn pass methods without calling them.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
  },
);
