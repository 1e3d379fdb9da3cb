import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// The layers of src/, bottom first (README "Layers"). A folder imports the folders of lower
// layers; of its own layer only those it lists; never a higher layer.
const LAYERS = [
  { diagnostics: [], files: [], errors: ['diagnostics'], api: ['diagnostics'] },
  {
    spec: [],
    config: ['spec'],
    recipients: ['spec'],
    suppressions: ['spec', 'recipients'],
    render: ['spec', 'recipients'],
    compile: ['spec', 'config', 'recipients', 'render'],
  },
  { state: [], transport: [], plan: ['state'] },
  { emulator: [], init: [], report: [], apply: [], watch: [], preview: ['report'] },
  { cli: [], index: [] },
];

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
          '@typescript-eslint/no-restricted-imports': forbidden.length === 0 ? 'off' : [
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
  { ignores: ['dist/', 'node_modules/', 'test/artifacts/', 'bench/data/', '**/*.mjs', '**/*.js'] },
  tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  layerRules(),
);
