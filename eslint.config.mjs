// Lint: typescript-eslint's strict rules over every TypeScript file we write (`npm run lint`, and
// in `npm test`). Two settings differ from the preset, each for a reason:
// - no-non-null-assertion is off: tsconfig's noUncheckedIndexedAccess types every indexed read as
//   possibly undefined, and `!` is the reviewed statement that the index exists (a Map read after
//   `has`, a row the query guarantees). Banning it would mean a cast or a dead branch instead.
// - unused variables may start with `_`, and a destructured property left out of a rest object
//   (`const { secret: _, ...shown } = entry`) is how a field is dropped from a copy.
// prefer-const leaves alone a variable a closure reads before its one assignment (a handle the
// shutdown path may read before start-up set it).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'dist/**', 'console/dist/**', 'bench/results/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.strict,
  {
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
);
