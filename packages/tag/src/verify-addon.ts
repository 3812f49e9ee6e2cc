/**
 * attune-verify.min.js: the bundle signature check (WebCrypto ECDSA P-256), loaded by the tag
 * only when it has a `data-bundle-key` (see load-parts.ts), from its start, beside the cache's
 * read. Handed to the tag through a global.
 */
import { createBundleVerifier } from '@attune/core';

(window as Window & { __attuneVerify?: typeof createBundleVerifier }).__attuneVerify = createBundleVerifier;
