import type { OutcomeStats, StoredOutcome } from '../client/index.js';
import { FAMILIES, familyOf } from './kind-family.js';
import { svg } from './svg.js';

const WIDTH = 300;
const HEIGHT = 64;
const AXIS = 12;
const BUCKETS = 30;

/** The time span the charts share: the oldest outcome shown to now, at least a minute. */
export interface TimeSpan {
  from: number;
  to: number;
}

/**
 * Requests over time, stacked by kind family, as an SVG bar chart. Its accessible name says what a
 * screen reader cannot see: the count per kind and the span.
 */
export function timelineChart(outcomes: readonly StoredOutcome[], span: TimeSpan, stats: OutcomeStats): SVGSVGElement {
  const width = (span.to - span.from) / BUCKETS;
  const counts = Array.from({ length: BUCKETS }, () => new Map<string, number>());
  for (const outcome of outcomes) {
    const bucket = Math.min(BUCKETS - 1, Math.max(0, Math.floor((outcome.time - span.from) / width)));
    const family = familyOf(outcome.kind);
    counts[bucket]!.set(family, (counts[bucket]!.get(family) ?? 0) + 1);
  }
  const tallest = Math.max(1, ...counts.map((bucket) => [...bucket.values()].reduce((a, b) => a + b, 0)));
  const plot = HEIGHT - AXIS;
  const step = WIDTH / BUCKETS;
  const bars: SVGElement[] = [];
  counts.forEach((bucket, index) => {
    let y = plot;
    for (const { family } of FAMILIES) {
      const n = bucket.get(family) ?? 0;
      if (n === 0) continue;
      const h = (n / tallest) * (plot - 2);
      y -= h;
      bars.push(svg('rect', { class: family, x: (index * step + 0.5).toFixed(1), y: y.toFixed(1), width: (step - 1).toFixed(1), height: h.toFixed(1) }));
    }
  });
  const kinds = Object.entries(stats.byKind).map(([kind, n]) => `${kind} ${n}`).join(', ');
  const label = `${stats.count} requests from ${clock(span.from)} to ${clock(span.to)}: ${kinds}; tallest bar ${tallest}`;
  return svg(
    'svg',
    { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': label, class: 'timeline' },
    svg('line', { x1: 0, x2: WIDTH, y1: plot, y2: plot, stroke: 'currentColor', 'stroke-opacity': 0.4 }),
    ...bars,
    svg('text', { x: 0, y: HEIGHT - 1 }, document.createTextNode(clock(span.from))),
    svg('text', { x: WIDTH, y: HEIGHT - 1, 'text-anchor': 'end' }, document.createTextNode(clock(span.to))),
    svg('text', { x: 0, y: 9 }, document.createTextNode(`max ${tallest}`)),
  );
}

/** Latency p50 and p95 as two bars on a scale shared by every group (`scaleMs`, the largest p95). */
export function latencyChart(stats: OutcomeStats, scaleMs: number): SVGSVGElement {
  const row = (name: 'p50' | 'p95', y: number): SVGElement[] => {
    const value = stats[name];
    const w = scaleMs > 0 ? Math.max(1, (value / scaleMs) * (WIDTH - 110)) : 1;
    return [
      svg('text', { x: 0, y: y + 9 }, document.createTextNode(name)),
      svg('rect', { class: name, x: 28, y, width: w.toFixed(1), height: 10, rx: 2 }),
      svg('text', { x: 32 + w, y: y + 9 }, document.createTextNode(`${ms(value)}`)),
    ];
  };
  return svg(
    'svg',
    { viewBox: `0 0 ${WIDTH} 30`, role: 'img', 'aria-label': `latency p50 ${ms(stats.p50)}, p95 ${ms(stats.p95)}`, class: 'latency' },
    ...row('p50', 2),
    ...row('p95', 17),
  );
}

/** Milliseconds as the charts print them. */
export function ms(value: number): string {
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}

/** A time of day, to the second. */
export function clock(time: number): string {
  return new Date(time).toLocaleTimeString();
}
