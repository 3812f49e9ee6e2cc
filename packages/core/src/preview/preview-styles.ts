/**
 * The overlay's styles, adopted by its shadow root as a constructed stylesheet: page styles do not
 * reach it, and no <style> element or style attribute is needed (a strict CSP allows it).
 */
export const PREVIEW_STYLES = `
:host { all: initial; position: fixed; right: 12px; bottom: 12px; z-index: 2147483647; }
.panel { box-sizing: border-box; width: min(640px, calc(100vw - 24px)); max-height: min(75vh, 720px); overflow: auto;
  font: 13px/1.4 system-ui, sans-serif; color: #111; background: #fff; border: 2px solid #333; border-radius: 8px;
  box-shadow: 0 6px 24px rgba(0,0,0,.3); padding: 8px 12px; }
header { display: flex; gap: 8px; align-items: center; }
h2 { font-size: 15px; margin: 0; flex: 1; }
h3 { font-size: 13px; margin: 12px 0 4px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 3px 6px; border-bottom: 1px solid #ddd; overflow-wrap: break-word; }
th[scope=row] { white-space: nowrap; }
.forced { font-weight: 600; color: #8a3b00; }
.muted { color: #555; }
fieldset { border: 1px solid #ccc; border-radius: 6px; margin: 6px 0; padding: 6px 8px; }
legend { font-weight: 600; padding: 0 4px; }
.controls { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-top: 4px; }
button, select { font: inherit; color: #111; background: #f4f4f4; border: 1px solid #555; border-radius: 4px; padding: 2px 8px; }
button:disabled { opacity: .5; }
h2:focus { outline: none; }
button:focus-visible, select:focus-visible, a:focus-visible { outline: 3px solid #1a5fd0; outline-offset: 2px; }
a { color: #1a5fd0; }
footer { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin-top: 10px; }
[hidden] { display: none !important; }
`;
