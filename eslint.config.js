// The layering of ARCHITECTURE.md §1, checked: arrows point inward (faces → services → domain;
// services → store/mail), SQL lives in src/store alone, and the web app takes nothing of the
// server but the shared schemas. No stylistic rules: tsc and review keep the rest.
import tseslint from 'typescript-eslint';

const DRIVERS = ['kysely', 'pg', 'better-sqlite3'].map((name) => ({ name, message: 'Only src/store talks to the database driver: call a store function.' }));

/** Kysely query builders and raw `sql` templates: SQL is written in src/store and nowhere else. */
const NO_SQL = [
  {
    selector: 'CallExpression[callee.property.name=/^(selectFrom|selectNoFrom|insertInto|replaceInto|updateTable|deleteFrom|mergeInto)$/]',
    message: 'SQL belongs in src/store: add a function there named for what it does.',
  },
  { selector: 'TaggedTemplateExpression[tag.name="sql"]', message: 'SQL belongs in src/store: add a function there named for what it does.' },
];

const layer = (files, patterns, { paths = [], syntax = NO_SQL } = {}) => ({
  files,
  ignores: ['**/*.test.ts'],
  rules: {
    'no-restricted-imports': ['error', { paths, patterns }],
    'no-restricted-syntax': ['error', ...syntax],
  },
});

export default tseslint.config(
  { ignores: ['node_modules/', 'web/dist/', 'test-output/', 'seqflow-data/', 'bench/results/'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  // The domain: pure rules, importing nothing of ours but itself.
  layer(['src/domain/*.ts'], [{ regex: '^\\.\\./', message: 'src/domain imports nothing of ours but the domain.' }], { paths: DRIVERS }),
  layer(['src/domain/*/**/*.ts'], [{ regex: '^\\.\\./\\.\\./', message: 'src/domain imports nothing of ours but the domain.' }], { paths: DRIVERS }),
  // Shared request and response schemas: zod only, so the web app can import them.
  layer(['src/schemas/**/*.ts'], [{ regex: '^(?!zod$|\\./)', message: 'src/schemas imports zod and its own modules only: the web app bundles them.' }]),
  // The HTTP face parses, calls a service and shapes the view.
  layer(
    ['src/http/**/*.ts'],
    [
      { regex: '(^|/)store/', message: 'src/http calls services, never the store.' },
      { regex: '(^|/)mail/', message: 'src/http calls services, never the mail adapters.' },
    ],
    { paths: DRIVERS, syntax: [...NO_SQL, { selector: 'MemberExpression[property.name="kysely"]', message: 'src/http calls services, never the database.' }] },
  ),
  // Application services use the store and the mail adapters, never a face.
  layer(['src/services/**/*.ts'], [{ regex: '(^|/)(http|cli|engine)/', message: 'Services know no face: move what both need into services or domain.' }], { paths: DRIVERS }),
  // The mail adapters know nothing of sequences.
  layer(['src/mail/**/*.ts'], [{ regex: '(^|/)(store|services|engine|http|cli)/', message: 'src/mail adapts the outside world and knows nothing of sequences.' }], { paths: DRIVERS }),
  // The engine and the CLI run services; they may hold the store for claims and leases, but write no SQL.
  layer(['src/engine/**/*.ts', 'src/cli/**/*.ts'], [{ regex: '(^|/)http/', message: 'Faces do not call each other.' }], { paths: DRIVERS }),
  // The store: SQL over the schema, speaking the domain's types.
  layer(['src/store/**/*.ts'], [{ regex: '(^|/)(services|http|engine|cli|mail)/', message: 'src/store knows the domain only.' }], { syntax: [] }),
  // The composition root opens the database and wires everything, but writes no SQL either.
  layer(['src/server.ts'], []),
  // The web app: the only server code it may import is src/schemas.
  layer(['web/src/**/*.ts', 'web/src/**/*.tsx'], [{ regex: '^(\\.\\./)+src/(?!schemas/)', message: 'The web app imports nothing of the server but src/schemas.' }], { syntax: [] }),
);
