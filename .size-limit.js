// Size budgets (brotli), checked by npm test: one per file the tag can load and per public entry point.
// A budget is never raised to fit.

/**
 * Keeps dynamic import()s (the parts createAttune loads only when a bundle or the page needs them)
 * out of the measured download, as bundlers that split chunks do; each part has a budget of its own.
 */
const lazyPartsExcluded = {
  name: 'lazy-parts-excluded',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined));
  },
};
const initialDownload = (config) => ({ ...config, plugins: [...(config.plugins ?? []), lazyPartsExcluded] });

export default [
  {
    name: "@attune/tag — attune.min.js (the whole SDK for a <script> tag)",
    path: "packages/tag/dist/attune.min.js",
    limit: "40 kB",
    disablePlugins: [
      "@size-limit/esbuild"
    ]
  },
  {
    name: "@attune/tag — attune-web-vitals.min.js (loaded after page load when web vitals are captured)",
    path: "packages/tag/dist/attune-web-vitals.min.js",
    limit: "4 kB",
    disablePlugins: [
      "@size-limit/esbuild"
    ]
  },
  {
    name: "@attune/tag — attune-adapters.min.js (loaded when data-adapter is segment or snowplow)",
    path: "packages/tag/dist/attune-adapters.min.js",
    limit: "2.5 kB",
    disablePlugins: [
      "@size-limit/esbuild"
    ]
  },
  {
    name: "@attune/tag — attune-capture.min.js (auto-capture of SPA page views, clicks, forms: loaded once the slots are filled)",
    path: "packages/tag/dist/attune-capture.min.js",
    limit: "1.5 kB",
    disablePlugins: [
      "@size-limit/esbuild"
    ]
  },
  {
    name: "@attune/tag — attune-models.min.js (the score operator, on-device models and bandits: loaded only for bundles with models[] or a bandit)",
    path: "packages/tag/dist/attune-models.min.js",
    limit: "4 kB",
    disablePlugins: [
      "@size-limit/esbuild"
    ]
  },  {
    name: "@attune/tag — attune-recommend.min.js (recommendations and their lists' rendering: loaded only when the page asks for a list)",
    path: "packages/tag/dist/attune-recommend.min.js",
    limit: "5.5 kB",
    disablePlugins: [
      "@size-limit/esbuild"
    ]
  },  {
    name: "@attune/tag — attune-preview.min.js (the QA preview overlay: loaded only for ?attune_debug=1 or attune('preview'))",
    path: "packages/tag/dist/attune-preview.min.js",
    limit: "3.5 kB",
    disablePlugins: [
      "@size-limit/esbuild"
    ]
  },  {
    name: "@attune/tag — attune-verify.min.js (the bundle signature check: loaded from the start only with data-bundle-key)",
    path: "packages/tag/dist/attune-verify.min.js",
    limit: "1 kB",
    disablePlugins: [
      "@size-limit/esbuild"
    ]
  },  {
    name: "@attune/tag — attune-operators.min.js (rule operators off the critical path: arithmetic, arrays, strings, text, time; loaded only for bundles whose rules use one)",
    path: "packages/tag/dist/attune-operators.min.js",
    limit: "3 kB",
    disablePlugins: [
      "@size-limit/esbuild"
    ]
  },  {
    name: "@attune/tag — attune-experiments.min.js (experiments: assignment by hash, sticky assignments, holdouts, multivariate; loaded only for bundles with an experiment)",
    path: "packages/tag/dist/attune-experiments.min.js",
    limit: "1.5 kB",
    disablePlugins: [
      "@size-limit/esbuild"
    ]
  },  {
    name: "@attune/tag — attune-tcf.min.js (the IAB TCF listener: loaded only on pages with a CMP)",
    path: "packages/tag/dist/attune-tcf.min.js",
    limit: "0.5 kB",
    disablePlugins: [
      "@size-limit/esbuild"
    ]
  },  {
    name: "@attune/tag — attune-consent-mode.min.js (the Google Consent Mode reader: loaded only on pages with gtag)",
    path: "packages/tag/dist/attune-consent-mode.min.js",
    limit: "0.65 kB",
    disablePlugins: [
      "@size-limit/esbuild"
    ]
  },  {
    name: "@attune/tag — attune-hash.min.js (hashing of email and phone: loaded on the first identify() with one)",
    path: "packages/tag/dist/attune-hash.min.js",
    limit: "0.75 kB",
    disablePlugins: [
      "@size-limit/esbuild"
    ]
  },  {
    name: "@attune/tag — attune-sync.min.js (delivery to the collector: loaded from the start with data-collector, off the critical path)",
    path: "packages/tag/dist/attune-sync.min.js",
    limit: "3 kB",
    disablePlugins: [
      "@size-limit/esbuild"
    ]
  },  {
    name: "@attune/tag — attune-triggers.min.js (journey triggers: loaded only for bundles with triggers[])",
    path: "packages/tag/dist/attune-triggers.min.js",
    limit: "2 kB",
    disablePlugins: [
      "@size-limit/esbuild"
    ]
  },


  {
    name: "@attune/core — import { createAttune }",
    path: "packages/core/dist/index.js",
    modifyEsbuildConfig: initialDownload,
    import: "{ createAttune }",
    limit: "38 kB"
  },
  {
    name: "@attune/core — import { modelsPart } (scores and bandits: createAttune loads it only for bundles with models[] or a bandit; counted with murmur3, which createAttune shares)",
    path: "packages/core/dist/index.js",
    modifyEsbuildConfig: initialDownload,
    import: "{ modelsPart }",
    limit: "4.5 kB"
  },
  {
    name: "@attune/core — import { recommendPart } (recommendations: createAttune loads it on the first list asked for)",
    path: "packages/core/dist/index.js",
    modifyEsbuildConfig: initialDownload,
    import: "{ recommendPart }",
    limit: "5.5 kB"
  },
  {
    name: "@attune/core — import { startTriggers } (journey triggers: createAttune loads it only for bundles with triggers[])",
    path: "packages/core/dist/index.js",
    modifyEsbuildConfig: initialDownload,
    import: "{ startTriggers }",
    limit: "2 kB"
  },
  {
    name: "@attune/core — import { createBundleVerifier } (the bundle signature check: createAttune loads it only with a bundleKey)",
    path: "packages/core/dist/index.js",
    modifyEsbuildConfig: initialDownload,
    import: "{ createBundleVerifier }",
    limit: "1 kB"
  },
  {
    name: "@attune/core — import { compileRule }",
    path: "packages/core/dist/index.js",
    modifyEsbuildConfig: initialDownload,
    import: "{ compileRule }",
    limit: "3.5 kB"
  },
  {
    name: "@attune/core — import { assignVariant } (includes murmur3_x86_32)",
    path: "packages/core/dist/index.js",
    modifyEsbuildConfig: initialDownload,
    import: "{ assignVariant }",
    limit: "900 B"
  },
  {
    name: "@attune/core — import { segmentAdapter }",
    path: "packages/core/dist/index.js",
    modifyEsbuildConfig: initialDownload,
    import: "{ segmentAdapter }",
    limit: "1 kB"
  },
  {
    name: "@attune/core — import { snowplowAdapter }",
    path: "packages/core/dist/index.js",
    modifyEsbuildConfig: initialDownload,
    import: "{ snowplowAdapter }",
    limit: "1.25 kB"
  },
  {
    name: "@attune/core — import { startAutoCapture } (includes web-vitals)",
    path: "packages/core/dist/index.js",
    modifyEsbuildConfig: initialDownload,
    import: "{ startAutoCapture }",
    limit: "5 kB"
  },
  {
    name: "@attune/core/rules — import { compileRule } (the rule compiler alone, as the subpath entry serves it)",
    path: "packages/core/dist/rules.js",
    import: "{ compileRule }",
    limit: "3.5 kB"
  },
  {
    name: "@attune/core/rules — every export (compileRule with Attune's operators and AttuneError)",
    path: "packages/core/dist/rules.js",
    import: "{ compileRule, truthy, attuneOperators, EMPTY_RULE_HOST, AttuneError }",
    limit: "6.5 kB"
  },
  {
    name: "@attune/core/assign — every export (assignVariant, assignFactors, murmur3_x86_32)",
    path: "packages/core/dist/assign.js",
    import: "{ assignVariant, assignFactors, murmur3_x86_32 }",
    limit: "1.1 kB"
  },
  {
    name: "@attune/core/adapters — every export (the json, Segment and Snowplow formats)",
    path: "packages/core/dist/adapters.js",
    import: "{ jsonAdapter, segmentAdapter, snowplowAdapter }",
    limit: "1.9 kB"
  },
  {
    name: "@attune/vue — what the wrapper adds beyond @attune/core and vue (every export)",
    path: "packages/vue/dist/index.js",
    modifyEsbuildConfig: initialDownload,
    import: "{ createAttunePlugin, useAttune, useDecision, useConsent, useProfile, AttuneSlot, personalizedText }",
    ignore: [
      "@attune/core",
      "vue"
    ],
    limit: "1.5 kB"
  },
  {
    name: "@attune/react — the whole wrapper: provider, hooks, slot (beyond @attune/core and React)",
    path: "packages/react/dist/index.js",
    modifyEsbuildConfig: initialDownload,
    import: "{ AttuneProvider, AttuneSlot, useAttune, useConsent, useDecision, useProfile }",
    ignore: [
      "@attune/core",
      "react",
      "react-dom"
    ],
    limit: "1.5 kB"
  },
  {
    name: "@attune/openfeature — the OpenFeature provider (beyond @attune/core and @openfeature/web-sdk, its peers)",
    path: "packages/openfeature/dist/index.js",
    import: "{ AttuneProvider }",
    ignore: [
      "@attune/core",
      "@openfeature/web-sdk",
      "@openfeature/core"
    ],
    limit: "1.5 kB"
  }
];
