import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The layers of src/, bottom first (README "Layers"). A folder imports the folders of lower
// layers; of its own layer only those it lists; never a higher layer.
const LAYERS = [
  { diagnostics: [], files: [], errors: ['diagnostics'], api: ['diagnostics'] },
  {
    'message-spec': [],
    catalogue: ['message-spec'],
    rates: ['message-spec', 'catalogue', 'recipients'],
    recipients: ['message-spec'],
    suppressions: ['message-spec', 'recipients'],
    config: ['message-spec', 'catalogue', 'rates', 'recipients', 'suppressions'],
    render: ['message-spec', 'recipients'],
    compile: ['message-spec', 'catalogue', 'config', 'recipients', 'render'],
  },
  { state: [], transport: [], plan: ['state'] },
  { emulator: [], init: [], report: ['apply'], apply: [], watch: ['report'], preview: ['report'] },
  { cli: [], index: [] },
];

// A folder the table does not place would be checked neither way.
const unplaced = readdirSync(new URL('./src', import.meta.url))
  .map((entry) => entry.replace(/\.ts$/, ''))
  .filter((name) => !LAYERS.some((layer) => Object.hasOwn(layer, name)));
if (unplaced.length > 0)
  throw new Error(`eslint.config.js: place src/${unplaced.join(', src/')} in LAYERS`);

// A relative import reaching src/<name>/ (or src/<name>.ts) from src/ itself or from any depth below.
const reaches = (name, fromRoot) => `^${fromRoot ? '\\./' : '(\\.\\./)+'}${name}(/|\\.js$)`;

function layerRules() {
  return LAYERS.flatMap((layer, level) =>
    Object.entries(layer).map(([name, siblings]) => {
      const allowed = new Set([...LAYERS.slice(0, level).flatMap(Object.keys), ...siblings, name]);
      const root = name === 'errors' || name === 'index';
      const forbidden = LAYERS.flatMap(Object.keys).filter((other) => !allowed.has(other));
      return {
        files: root ? [`src/${name}.ts`] : [`src/${name}/**/*.ts`],
        rules: {
          '@typescript-eslint/no-restricted-imports':
            forbidden.length === 0
              ? 'off'
              : [
                  'error',
                  {
                    patterns: forbidden.map((other) => ({
                      regex: reaches(other, root),
                      message: `src/${name} may not import src/${other} (see "Layers" in the README).`,
                    })),
                  },
                ],
        },
      };
    }),
  );
}

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'test/artifacts/', 'bench/data/', 'test/fixtures/'] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // Numbers print plainly in a message; `${n}` is how counts and positions are printed.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        {
          allowNumber: true,
          allowAny: false,
          allowBoolean: false,
          allowNever: false,
          allowNullish: false,
          allowRegExp: false,
        },
      ],
      // `return send(...)` as an early exit is an idiom here; tsc already refuses using a void value.
      '@typescript-eslint/no-confusing-void-expression': 'off',
      // TS keeps narrowing across awaits and callbacks (an aborted signal, a flag set by a handler),
      // and handlebars' AST types omit optional fields: nearly all it found was false.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // Node types isTTY as boolean though it is undefined off a terminal; Number() in HTML keeps
      // anything but a number out whatever the types say.
      '@typescript-eslint/no-unnecessary-type-conversion': 'off',
      // Interface methods stay async without an await, so that a throw is still a rejection.
      '@typescript-eslint/require-await': 'off',
      // Finding and escaping control characters in untrusted text is what these patterns are for.
      'no-control-regex': 'off',
    },
  },
  {
    // Scripts and benchmarks are plain JavaScript for Node: no types to check them with.
    files: ['**/*.mjs', '**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
  layerRules(),
);
