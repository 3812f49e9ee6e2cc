// One build for every package: ESM with preserved modules (so bundlers tree-shake per file)
// plus the script tag as a minified IIFE.
import { fileURLToPath } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { build } from 'esbuild';
import esbuild from 'rollup-plugin-esbuild';

const target = 'es2020';

/** zod 4 ships annotations and cycles rollup warns about; they are harmless, keep every other warning. */
function onwarn(warning, warn) {
  const fromNodeModules = (warning.ids ?? [warning.id ?? '']).some((id) => id?.includes('node_modules'));
  if (fromNodeModules && (warning.code === 'INVALID_ANNOTATION' || warning.code === 'CIRCULAR_DEPENDENCY')) return;
  warn(warning);
}

const core = {
  // The server decider is an entry of its own ('@attune/core/server'): browser imports never carry it.
  // So are the parts a user may want alone: '@attune/core/rules', '/assign', '/adapters' (src/<name>.ts).
  input: ['packages/core/src/index.ts', 'packages/core/src/server/index.ts', ...['rules', 'assign', 'adapters'].map((name) => `packages/core/src/${name}.ts`)],
  external: [/^idb/, /^zod/, /^web-vitals/],
  plugins: [esbuild({ target, tsconfig: 'packages/core/tsconfig.json' })],
  output: {
    dir: 'packages/core/dist',
    format: 'es',
    preserveModules: true,
    preserveModulesRoot: 'packages/core/src',
    entryFileNames: '[name].js',
  },
  onwarn,
};

/**
 * Keeps a module's 'use client' directive at the top of its output file: rollup drops module-level
 * directives, and React Server Components need it to know a client entry point.
 */
function keepUseClient() {
  const marked = new Set();
  return {
    name: 'keep-use-client',
    transform(code, id) {
      if (/^\s*['"]use client['"]/.test(code)) marked.add(id);
      return null;
    },
    renderChunk(code, chunk) {
      return chunk.facadeModuleId && marked.has(chunk.facadeModuleId) ? `'use client';\n${code}` : null;
    },
  };
}

const react = {
  input: 'packages/react/src/index.ts',
  external: [/^react/, /^@attune\/core/],
  plugins: [keepUseClient(), esbuild({ target, tsconfig: 'packages/react/tsconfig.json', jsx: 'automatic' })],
  output: {
    dir: 'packages/react/dist',
    format: 'es',
    preserveModules: true,
    preserveModulesRoot: 'packages/react/src',
    entryFileNames: '[name].js',
  },
  onwarn: (warning, warn) => (warning.code === 'MODULE_LEVEL_DIRECTIVE' ? undefined : onwarn(warning, warn)),
};

/**
 * In the tag, core's client/load-parts.js (dynamic import() for bundlers) becomes the tag's own
 * load-parts.ts: an IIFE cannot import chunks, so the parts are files beside the tag.
 */
function tagParts() {
  const replacement = fileURLToPath(new URL('./packages/tag/src/load-parts.ts', import.meta.url));
  return {
    name: 'tag-parts',
    resolveId: (source, importer) => (source === './load-parts.js' && importer && /core[\\/]dist[\\/]client[\\/]/.test(importer) ? replacement : null),
  };
}

// The tag bundles core and its dependencies: a <script> tag has no module resolution.
const tagPlugins = [
  tagParts(),
  nodeResolve({ browser: true }),
  esbuild({ target, tsconfig: 'packages/tag/tsconfig.json' }),
];

const tagIife = {
  input: 'packages/tag/src/index.ts',
  plugins: tagPlugins,
  output: {
    file: 'packages/tag/dist/attune.min.js',
    format: 'iife',
    name: 'AttuneTag',
    plugins: [terser({ ecma: 2020, module: false })],
  },
  onwarn,
};

/** A file the tag loads from beside itself on demand (an IIFE of its own). */
const tagAddon = (input, file) => ({
  input,
  plugins: tagPlugins,
  output: { file, format: 'iife', plugins: [terser({ ecma: 2020, module: false })] },
  onwarn,
});
// Core Web Vitals capture, loaded by the tag after the page has loaded (kept out of the main tag).
const webVitalsAddon = tagAddon('packages/tag/src/web-vitals-addon.ts', 'packages/tag/dist/attune-web-vitals.min.js');
// The Segment and Snowplow collector formats, loaded by the tag only when data-adapter names one.
const adaptersAddon = tagAddon('packages/tag/src/adapters-addon.ts', 'packages/tag/dist/attune-adapters.min.js');
// Auto-capture of SPA page views, clicks and forms, loaded by the tag once the slots are filled.
const captureAddon = tagAddon('packages/tag/src/capture-addon.ts', 'packages/tag/dist/attune-capture.min.js');
// On-device models (the score operator), loaded by the tag only for bundles with models[].
// Recommendations (catalog checks, ranking), loaded by the tag only when the page asks for a list.
const recommendAddon = tagAddon('packages/tag/src/recommend-addon.ts', 'packages/tag/dist/attune-recommend.min.js');
// Journey triggers, loaded by the tag only for a bundle with triggers[].
const triggersAddon = tagAddon('packages/tag/src/triggers-addon.ts', 'packages/tag/dist/attune-triggers.min.js');
// The bundle signature check, loaded by the tag from its start only when it has a data-bundle-key.
const verifyAddon = tagAddon('packages/tag/src/verify-addon.ts', 'packages/tag/dist/attune-verify.min.js');
// Delivery to the collector, loaded by the tag from its start when it has a data-collector.
const syncAddon = tagAddon('packages/tag/src/sync-addon.ts', 'packages/tag/dist/attune-sync.min.js');
// Hashing of identifiers, loaded by the tag on the first identify() with an email or phone.
const hashAddon = tagAddon('packages/tag/src/hash-addon.ts', 'packages/tag/dist/attune-hash.min.js');
// The IAB TCF listener, loaded by the tag only on pages with a CMP (__tcfapi).
const tcfAddon = tagAddon('packages/tag/src/tcf-addon.ts', 'packages/tag/dist/attune-tcf.min.js');
// The rule operators off the critical path, loaded by the tag only for bundles whose rules use one.
const operatorsAddon = tagAddon('packages/tag/src/operators-addon.ts', 'packages/tag/dist/attune-operators.min.js');
// Experiments, loaded by the tag only for bundles with an experiment.
const experimentsAddon = tagAddon('packages/tag/src/experiments-addon.ts', 'packages/tag/dist/attune-experiments.min.js');
// The Google Consent Mode reader, loaded by the tag only on pages with gtag (a gtag function or a consent command on dataLayer).
const consentModeAddon = tagAddon('packages/tag/src/consent-mode-addon.ts', 'packages/tag/dist/attune-consent-mode.min.js');
// The QA preview overlay, loaded by the tag only for ?attune_debug=1 or attune('preview').
const previewAddon = tagAddon('packages/tag/src/preview-addon.ts', 'packages/tag/dist/attune-preview.min.js');
const modelsAddon = tagAddon('packages/tag/src/models-addon.ts', 'packages/tag/dist/attune-models.min.js');

const tagEsm = {
  input: 'packages/tag/src/index.ts',
  external: [/^@attune\/core/, /^idb/, /^zod/, /^web-vitals/],
  plugins: tagPlugins,
  output: { file: 'packages/tag/dist/attune.esm.js', format: 'es' },
  onwarn,
};

/** A wrapper: ESM per file like core, with core and the framework (`external`) left to the app's bundler. */
const wrapper = (name, external = [/^vue/]) => ({
  input: `packages/${name}/src/index.ts`,
  external: [/^@attune\/core/, ...external],
  plugins: [esbuild({ target, tsconfig: `packages/${name}/tsconfig.json` })],
  output: {
    dir: `packages/${name}/dist`,
    format: 'es',
    preserveModules: true,
    preserveModulesRoot: `packages/${name}/src`,
    entryFileNames: '[name].js',
  },
  onwarn,
});

// The Vue examples' browser code, in one build: Vue's ESM bundler build with the compile-time
// flags Vue's docs ask for (set in Vue's own files by a second esbuild pass); what the entries
// share (Vue, core) is one chunk beside the Vue shop.
const vueFlags = {
  'process.env.NODE_ENV': '"production"',
  __VUE_OPTIONS_API__: 'false',
  __VUE_PROD_DEVTOOLS__: 'false',
  // Hydration mismatches are reported in detail (the e2e tests fail on any).
  __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'true',
};
const vueApps = {
  input: {
    'vue-shop/dist/app': 'examples/vue-shop/src/main.ts',
    'vue-ssr-shop/dist/client': 'examples/vue-ssr-shop/src/entry-client.ts',
    'vue-readme/dist/main': 'examples/vue-readme/main.ts',
    'vue-readme/dist/client': 'examples/vue-readme/client.ts',
  },
  plugins: [
    nodeResolve({ browser: true }),
    esbuild({ target, tsconfig: 'examples/vue-shop/tsconfig.json', minify: true }),
    esbuild({ target, include: /node_modules[\\/](@vue[\\/][^\\/]+|vue)[\\/]dist[\\/].*\.js$/, exclude: [], define: vueFlags }),
  ],
  output: { dir: 'examples', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'vue-shop/dist/shared-[hash].js' },
  onwarn,
};

// The server side of the server-rendered Vue examples: Node loads Vue and the packages itself.
const vueServers = {
  input: {
    'vue-ssr-shop/dist/server': 'examples/vue-ssr-shop/src/entry-server.ts',
    'vue-readme/dist/server': 'examples/vue-readme/server.ts',
  },
  external: [/^@attune\//, /^vue/, /^@vue\//, /^node:/],
  plugins: [esbuild({ target: 'node20', tsconfig: 'examples/vue-ssr-shop/tsconfig.json' })],
  output: { dir: 'examples', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'vue-ssr-shop/dist/shared-[hash].js' },
  onwarn,
};


/**
 * An example app, bundled whole by esbuild (React ships CommonJS, which rollup alone does not
 * read): rollup only writes esbuild's output. Attune's packages come from their sources, so the
 * app always matches them.
 */
const exampleApp = (input, file) => {
  const path = (relative) => fileURLToPath(new URL(relative, import.meta.url));
  let code = '';
  return {
    input,
    plugins: [
      {
        name: 'esbuild-app',
        async buildStart() {
          const result = await build({
            entryPoints: [path(input)],
            bundle: true,
            write: false,
            format: 'esm',
            minify: true,
            target,
            jsx: 'automatic',
            define: { 'process.env.NODE_ENV': '"production"' },
            alias: { '@attune/core': path('packages/core/src/index.ts'), '@attune/react': path('packages/react/src/index.ts') },
            // The packages' 'use client' directives mean nothing in an app bundle.
            logOverride: { 'unsupported-directive': 'silent' },
            logLevel: 'warning',
          });
          code = result.outputFiles[0].text;
          for (const watched of Object.keys(result.metafile?.inputs ?? {})) this.addWatchFile(watched);
        },
        load: (id) => (id === path(input) ? '' : null),
        generateBundle(_options, bundle) {
          for (const name of Object.keys(bundle)) delete bundle[name];
          this.emitFile({ type: 'asset', fileName: file.split('/').pop(), source: code });
        },
      },
    ],
    output: { dir: file.slice(0, file.lastIndexOf('/')), format: 'es' },
    onwarn,
  };
};
const reactShop = exampleApp('examples/react-shop/src/main.tsx', 'examples/react-shop/dist/app.js');

export default [core, react, tagIife, webVitalsAddon, adaptersAddon, captureAddon, modelsAddon, recommendAddon, triggersAddon, previewAddon, verifyAddon, tcfAddon, consentModeAddon, hashAddon, syncAddon, operatorsAddon, experimentsAddon, tagEsm, reactShop, wrapper('vue'), wrapper('openfeature', [/^@openfeature\//]), vueApps, vueServers];
