/**
 * The panel's stylesheet, scoped by its shadow root. Colors come in pairs through light-dark(): the
 * host follows the page's prefers-color-scheme, or `scheme="light" | "dark"` forces one. Text pairs
 * have a contrast of at least 4.5:1, chart colors at least 3:1 against their background.
 */
export const PANEL_STYLE = `
:host { display: block; color-scheme: light dark; --bg: light-dark(#fff, #0d1117); --fg: light-dark(#1f2328, #e6edf3);
  --muted: light-dark(#59636e, #9198a1); --line: light-dark(#d1d9e0, #3d444d); --panel: light-dark(#f6f8fa, #151b23);
  --accent: light-dark(#0550ae, #79c0ff); --success: light-dark(#1a7f37, #3fb950); --cache: light-dark(#0969da, #58a6ff);
  --beacon: light-dark(#8250df, #a371f7); --failed: light-dark(#cf222e, #f85149);
  background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, sans-serif; min-width: 0; }
:host([scheme="light"]) { color-scheme: light; }
:host([scheme="dark"]) { color-scheme: dark; }
* { box-sizing: border-box; }
.panel { padding: .75rem; display: grid; gap: 1rem; }
h2 { font-size: 1.15rem; margin: 0; } h3 { font-size: 1rem; margin: 0 0 .5rem; }
section { min-width: 0; }
.bar { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
.bar > h2 { margin-right: auto; }
.muted, .live { color: var(--muted); }
button, select, input { font: inherit; color: var(--fg); background: var(--panel); border: 1px solid var(--muted); border-radius: 4px; padding: .25rem .5rem; min-height: 2rem; }
button { cursor: pointer; }
a { color: var(--accent); }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
label { display: inline-flex; flex-direction: column; font-size: .85rem; color: var(--muted); min-width: 0; }
label > * { color: var(--fg); }
.filters { display: flex; flex-wrap: wrap; gap: .5rem; margin-bottom: .5rem; }
.filters input { width: 12rem; max-width: 100%; }
.legend { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; padding: 0; margin: 0 0 .5rem; font-size: .85rem; }
.legend span, .kind::before { display: inline-block; width: .75rem; height: .75rem; border-radius: 2px; margin-right: .3rem; vertical-align: -1px; }
.success { --c: var(--success); } .cache { --c: var(--cache); } .beacon { --c: var(--beacon); } .failed { --c: var(--failed); }
.legend span { background: var(--c); }
.groups { display: grid; gap: .75rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 19rem), 1fr)); }
figure { margin: 0; padding: .5rem; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); min-width: 0; }
figcaption { font-size: .85rem; overflow-wrap: anywhere; }
figcaption strong { display: block; font-size: .9rem; }
svg { display: block; width: 100%; height: auto; margin-top: .25rem; }
svg text { fill: var(--muted); font-size: 10px; }
rect.success, rect.cache, rect.beacon, rect.failed { fill: var(--c); }
rect.p50 { fill: var(--accent); } rect.p95 { fill: var(--muted); }
ol { list-style: none; padding: 0; margin: 0; }
.legend li { border: 0; }
li { border-bottom: 1px solid var(--line); }
summary { cursor: pointer; padding: .35rem .25rem; display: flex; flex-wrap: wrap; gap: .15rem .6rem; align-items: baseline; }
summary .url { flex: 1 1 12rem; overflow-wrap: anywhere; min-width: 0; }
.kind { font-weight: 600; white-space: nowrap; }
.kind::before { content: ""; background: var(--c); }
dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .15rem .75rem; margin: 0 0 .5rem; padding: 0 .25rem .25rem; font-size: .9rem; }
dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; }
.diagnosis { border-left: 3px solid var(--failed); padding: .35rem .6rem; margin: 0 .25rem .5rem; background: var(--panel); }
.diagnosis p { margin: .15rem 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; padding: .25rem .4rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td { overflow-wrap: anywhere; }
caption { text-align: left; }
th { color: var(--muted); font-weight: 600; }
meter { width: 100%; min-width: 4rem; }
.stats { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; margin: 0 0 .5rem; }
.stats div { display: flex; flex-direction: column; } .stats dt { font-size: .8rem; } .stats dd { font-weight: 600; }
`;
