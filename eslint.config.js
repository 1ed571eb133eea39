// @ts-check
const tseslint = require('typescript-eslint');

/** Workflow code runs in Temporal's deterministic sandbox: only these imports are allowed there. */
const workflowImportRule = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          regex: '^(?!@temporalio/(workflow|common)$|\\.{1,2}/|@temporalio/common/lib/)',
          message: 'Workflow files import only @temporalio/workflow, @temporalio/common, pure modules and types.',
          allowTypeImports: true,
        },
        {
          regex: '^\\.\\./(activities|api|db|providers|temporal|connections|crypto|mime)(/|$)',
          message: 'Workflow files may import only types from IO modules.',
          allowTypeImports: true,
        },
      ],
    },
  ],
};

module.exports = tseslint.config(
  { ignores: ['**/node_modules/**', 'dist/**', 'eslint.config.js', '.mailsync/**', 'packages/*/bin/**'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { project: ['./tsconfig.json'], tsconfigRootDir: __dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['src/workflows/**/*.ts'], ignores: ['src/workflows/**/*.test.ts'], rules: workflowImportRule },
  { files: ['test/**/*.ts', '**/*.test.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
