/**
 * crossroute/panel: `<crossroute-panel>`, the outcome log with charts, the beacon outbox and the
 * cache budgets in one custom element (shadow DOM, no framework). Importing it defines nothing:
 * call definePanel() (or customElements.define with your own name).
 * @module
 */
import { CrossroutePanel } from './crossroute-panel.js';

export { CrossroutePanel };

/** Defines the element as `name` (default `crossroute-panel`) unless that name is taken; returns its class. */
export function definePanel(name = 'crossroute-panel'): CustomElementConstructor {
  if (!customElements.get(name)) customElements.define(name, class extends CrossroutePanel {});
  return customElements.get(name)!;
}
