// Lint: eslint's and typescript-eslint's recommended rules on the sources, tests and scripts.
// Formatting is prettier's job (`npm run format`); eslint does not check style.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-artifacts/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  { files: ['src/web/**/*.ts'], languageOptions: { globals: { ...globals.browser } } },
  // Tests read JSON bodies of many shapes; `any` there is a reading convenience, not a type hole.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
