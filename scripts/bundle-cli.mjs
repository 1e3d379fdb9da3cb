// After tsc and build-validators: bundles the CLI that tsc wrote (dist/cli/main.js) into a few
// files, so a command's start-up reads a handful of modules instead of some 230 (about half of
// `waspec validate`'s start-up was Node's module loader resolving, reading and linking them).
//
// - Inlined: our code and the packages every command's start-up loads (listed in INLINE). The
//   other dependencies stay external: each command imports them when it uses them (pg, got,
//   chokidar, ajv, the CSV and XLSX readers...), and some have optional native parts.
// - Each command's module stays a chunk of its own, imported when that command runs; chunks are
//   written beside main.js (dist/cli/bundle-*.js), so paths relative to a module
//   (`../../schemas/`, `../validators/`, `../../package.json`, `./phone-worker.js`) still hold.
// - The library (dist/index.js) and every other file tsc wrote are left as they are.
import { build } from 'esbuild';
import { copyFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);
const cli = new URL('cli/', dist);
const INLINE = [
  'commander',
  'countries-and-timezones',
  'diff',
  'handlebars',
  'libphonenumber-js',
  'picocolors',
  'yaml',
];

const { dependencies } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
);
const missing = INLINE.filter((name) => !(name in dependencies));
if (missing.length > 0) throw new Error(`bundle-cli: not dependencies: ${missing.join(', ')}`);

const BANNER =
  "import { createRequire as __waspecCreateRequire } from 'node:module';\nconst require = __waspecCreateRequire(import.meta.url);";

// tsc's main.js is kept as main.tsc.js, the bundle's input: run again without tsc, this script
// bundles the same input instead of its own output.
const main = new URL('main.js', cli);
const input = new URL('main.tsc.js', cli);
if (!readFileSync(main, 'utf8').includes(BANNER)) copyFileSync(main, input);

// Chunks of an earlier build (their names carry a hash).
for (const name of readdirSync(cli)) if (name.startsWith('bundle-')) rmSync(new URL(name, cli));

/**
 * handlebars requires source-map when it can (11 modules), for source maps of compiled templates,
 * which waspec never asks for; its code generator falls back to its own string builder when the
 * require throws, as it does here.
 */
const withoutSourceMap = {
  name: 'without-source-map',
  setup(build) {
    build.onResolve({ filter: /^source-map$/ }, () => ({ path: 'source-map', namespace: 'none' }));
    build.onLoad({ filter: /.*/, namespace: 'none' }, () => ({
      contents: "throw new Error('source-map is left out of the waspec bundle');",
      loader: 'js',
    }));
  },
};

/**
 * libphonenumber-js is shipped compiled by Babel, whose object-spread helper copies each options
 * object through property descriptors: a quarter of the time of parsing one number (some 1.2 µs of
 * 4.7). Every use of it in the package spreads plain options objects (odd arguments) and `{}` (even
 * ones), for which copying the own enumerable keys gives the same object; that loop replaces the
 * helper in the bundle. A version of the package that defines the helper otherwise fails the build,
 * so that this is looked at again (test/build/bundled-phone.test.ts compares the bundle's numbers
 * with the package's).
 */
const BABEL_SPREAD =
  'function _objectSpread(e) { for (var r = 1; r < arguments.length; r++) { var t = null != arguments[r] ? arguments[r] : {}; r % 2 ? ownKeys(Object(t), !0).forEach(function (r) { _defineProperty(e, r, t[r]); }) : Object.getOwnPropertyDescriptors ? Object.defineProperties(e, Object.getOwnPropertyDescriptors(t)) : ownKeys(Object(t)).forEach(function (r) { Object.defineProperty(e, r, Object.getOwnPropertyDescriptor(t, r)); }); } return e; }';
const PLAIN_SPREAD =
  'function _objectSpread(e) { for (var r = 1; r < arguments.length; r++) { var t = arguments[r]; if (t == null) continue; for (var k in t) if (Object.prototype.hasOwnProperty.call(t, k)) e[k] = t[k]; } return e; }';
const plainSpread = {
  name: 'plain-spread',
  setup(build) {
    build.onLoad({ filter: /[\\/]libphonenumber-js[\\/].*\.js$/ }, ({ path }) => {
      const source = readFileSync(path, 'utf8');
      if (!source.includes('function _objectSpread(')) return undefined;
      if (!source.includes(BABEL_SPREAD))
        throw new Error(
          `bundle-cli: ${path} defines _objectSpread otherwise than expected: see plainSpread in scripts/bundle-cli.mjs`,
        );
      return { contents: source.replace(BABEL_SPREAD, PLAIN_SPREAD), loader: 'js' };
    });
  },
};

await build({
  entryPoints: {
    main: input.pathname,
    // The phone-number worker thread, where phone-pool's chunk looks for it.
    'phone-worker': new URL('../recipients/phone-worker.js', cli).pathname,
    // The compile pool's worker threads, where compile-pool's chunk looks for them.
    'compile-worker': new URL('../compile/compile-worker.js', cli).pathname,
  },
  outdir: cli.pathname,
  chunkNames: 'bundle-[name]-[hash]',
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: Object.keys(dependencies).filter((name) => !INLINE.includes(name)),
  plugins: [withoutSourceMap, plainSpread],
  // Inlined CommonJS packages call require() for Node's own modules.
  banner: { js: BANNER },
  logLevel: 'warning',
});
