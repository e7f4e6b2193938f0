// @ts-check
import tseslint from 'typescript-eslint';
import { layers } from './eslint.layers.ts';

export default tseslint.config(
  { ignores: ['node_modules/**', '.cache/**', 'contract/**/bin/**', 'dist/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Prettier wraps code at 140 columns but not strings or comments: this holds those to what a reader can see.
      'max-len': ['error', { code: 180, ignoreRegExpLiterals: true, ignoreUrls: true }],
    },
  },
  ...layers,
  {
    files: ['test/**/*.ts'],
    rules: {
      // node:test's describe/it return promises the runner awaits itself.
      '@typescript-eslint/no-floating-promises': 'off',
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
);
