// Type-aware lint rules that catch what matters here: promises nobody awaits, switches that miss a case.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import layers from './eslint/folder-layers.mjs';

/**
 * The layers of src/, lowest first: a folder imports only from folders in lower layers (see eslint/folder-layers.mjs).
 * Folders in one layer are peers and do not import each other.
 */
export const SRC_LAYERS = [
  ['core'],
  ['links'],
  ['checklist'],
  ['site', 'auth'],
  ['cases'],
  ['letters'],
  ['strikes'],
  ['notifiers'],
  ['agencies'],
  ['notices'],
  ['takedowns'],
  ['counter-notices'],
  ['complaints'],
  ['email-intake', 'status', 'triage', 'reconcile'],
  ['privacy'],
  ['staff-ui'],
];

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      'test-output/',
      'migrations/',
      '**/*.js',
      '**/*.mjs',
      'test/support/jest/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { layers },
    rules: {
      'layers/folder-layers': ['error', { root: 'src', layers: SRC_LAYERS, exempt: ['core/database/entities.ts'] }],
    },
  },
  {
    // Tests read loosely typed JSON answers and rows; the app's own code may not.
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
