declare module '@iabtechlabtcf/stub' {
  /** Installs the queueing `window.__tcfapi` stub. */
  export default function stub(): void;
}
