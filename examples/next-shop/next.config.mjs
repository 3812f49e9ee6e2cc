import { fileURLToPath } from 'node:url';

// The repository is one npm workspace: Next reads @attune/* from its root node_modules.
const root = fileURLToPath(new URL('../..', import.meta.url));

/** @type {import('next').NextConfig} */
export default {
  turbopack: { root },
  outputFileTracingRoot: root,
  poweredByHeader: false,
  reactStrictMode: true,
};
