import { launch } from '../test/helpers/browser.js';
import { startStack } from '../test/helpers/stack.js';
import { controlledPages, load, median, timeFetches, writerPage } from './log-shared.js';

/**
 * An experiment, not a product measure (issue 17): how much of the outcome log's write cost is its
 * six indexes. The log's database is created by the bench (bench/fixtures/log-writer-page.ts) with
 * (a) all six indexes, (b) only `time`, (c) `time` + `url-time`, and marked current, so the log
 * opens it as it is. In one run, interleaved, medians:
 * 1. a burst of 10,000 outcomes in one task: the naive writer (a transaction per outcome), the
 *    IndexedDB floor (transactions of 200) and OutcomeLog's default (a transaction per task) on each
 *    schema; ratios against the naive writer on the same schema and on the full one;
 * 2. an intercepted fetch with the default log vs an in-memory sink, while the log's database has
 *    (a) or (b), alternating in phases (the worker reopens the database after each switch);
 * 3. what the missing indexes cost queries: queryOutcomes over 10,000 outcomes, newest page of 100.
 */
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const RECORDS = 10_000;
const PHASES = Number(process.env.PHASES ?? 6);
const FETCHES = Number(process.env.FETCHES ?? 60);
const WARM_UP = 3;
const SAMPLE = 10;
const QUERY_RECORDS = 10_000;
const QUERY_REPEAT = 9;

const schemas = {
  '(a) all six': ['time', 'origin-time', 'policy-time', 'kind-time', 'url-time', 'beacon-time'],
  '(b) time': ['time'],
  '(c) time + url-time': ['time', 'url-time'],
} as const;
type Schema = keyof typeof schemas;
const schemaNames = Object.keys(schemas) as Schema[];
const variants = ['naive', 'floor', 'log:0'] as const;

const same = (a: readonly string[], b: readonly string[]): boolean => [...a].sort().join() === [...b].sort().join();

console.log(`load average at start: ${load()}`);
const stack = await startStack();
const browser = await launch('chromium');
try {
  const writer = await writerPage(browser, stack);
  /** Fails the run when something (ensureSchema) added the indexes the schema leaves out. */
  const check = async (schema: Schema): Promise<void> => {
    const names = await writer.evaluate(() => window.logBench.indexNames());
    if (!same(names, schemas[schema])) throw new Error(`the store holds ${names.join(', ')}, not the indexes of ${schema}`);
  };

  console.log(`burst of ${RECORDS} in one task, records/s, median of ${ROUNDS} interleaved rounds (${browser.engine} ${browser.version})`);
  const rates = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (let s = 0; s < schemaNames.length; s++) {
      const schema = schemaNames[(round + s) % schemaNames.length]!;
      for (const variant of variants) {
        const indexes = [...schemas[schema]];
        const rate = await writer.evaluate(({ variant, count, indexes }) => window.logBench.run(variant, count, 'loop', indexes), { variant, count: RECORDS, indexes });
        await check(schema);
        const key = `${schema}|${variant}`;
        rates.set(key, [...(rates.get(key) ?? []), rate]);
      }
    }
  }
  const rate = (schema: Schema, variant: string): number => median(rates.get(`${schema}|${variant}`)!);
  const fullNaive = rate(schemaNames[0]!, 'naive');
  console.log(`  ${'schema'.padEnd(22)} ${'writer'.padEnd(6)} ${'records/s'.padStart(10)}  / naive same schema  / naive (a)`);
  for (const schema of schemaNames) {
    for (const variant of variants) {
      const r = rate(schema, variant);
      console.log(`  ${schema.padEnd(22)} ${variant.padEnd(6)} ${r.toFixed(0).padStart(10)}  ${`${(r / rate(schema, 'naive')).toFixed(1)}x`.padStart(18)}  ${`${(r / fullNaive).toFixed(1)}x`.padStart(10)}   all: ${rates.get(`${schema}|${variant}`)!.map((x) => x.toFixed(0)).join(' ')}`);
    }
  }

  // Latency: the writer page switches the database's schema between phases; the worker's log closes
  // its connection on the delete and opens the new database on its next batch.
  const rules = [{ match: { origin: stack.lab.origin }, policy: 'passthrough' as const }];
  const sinks = { 'in-memory sink': {}, 'IndexedDB log (default)': { log: {} } };
  const sinkNames = Object.keys(sinks) as Array<keyof typeof sinks>;
  const pages = await controlledPages(browser, stack, Object.fromEntries(sinkNames.map((name) => [name, { rules, ...sinks[name] }])));
  const latencySchemas = schemaNames.slice(0, 2);
  const timings = new Map<string, number[]>();
  for (let phase = 0; phase < PHASES; phase++) {
    const schema = latencySchemas[phase % latencySchemas.length]!;
    await writer.evaluate((indexes) => window.logBench.useSchema(indexes), [...schemas[schema]]);
    for (let i = 0; i < FETCHES; i++) {
      for (let j = 0; j < sinkNames.length; j++) {
        const name = sinkNames[(i + j) % sinkNames.length]!;
        const ms = await timeFetches(pages.get(name)!, `${stack.lab.origin}/cors?p=${phase}&i=${i}`, SAMPLE);
        const key = `${schema}|${name}`;
        if (i >= WARM_UP) timings.set(key, [...(timings.get(key) ?? []), ms]);
      }
    }
    await check(schema);
  }
  for (const page of pages.values()) await page.close();
  console.log(`\nintercepted fetch latency, median of ${(FETCHES - WARM_UP) * (PHASES / 2)} samples of ${SAMPLE} fetches per schema and sink, ${PHASES} alternating phases`);
  const latency: Record<string, number> = {};
  for (const schema of latencySchemas) {
    const base = median(timings.get(`${schema}|${sinkNames[0]}`)!);
    const log = median(timings.get(`${schema}|${sinkNames[1]}`)!);
    latency[schema] = log / base;
    console.log(`  ${schema.padEnd(22)} in-memory ${base.toFixed(2)} ms, log ${log.toFixed(2)} ms: ${(log / base).toFixed(3)}x`);
  }

  // What a missing index costs a query: queryOutcomes then walks the time index and filters.
  const queries = {
    'newest 100, no filter': {},
    'origin, 1 in 9': { targetOrigin: 'http://o1.example' },
    'origin, 1 in 100': { targetOrigin: 'http://rare.example' },
    'policy, 1 in 4': { policy: 'beacon' },
    'kind, 1 in 3': { kind: 'network-error' as const },
    'url, 1 record': { url: 'http://o5.example/x?i=5000' },
  };
  const queryMs = new Map<Schema, Record<string, number>>();
  for (const schema of schemaNames) {
    queryMs.set(schema, await writer.evaluate(({ indexes, count, queries, repeat }) => window.logBench.query(indexes, count, queries, repeat), { indexes: [...schemas[schema]], count: QUERY_RECORDS, queries, repeat: QUERY_REPEAT }));
  }
  console.log(`\nqueryOutcomes over ${QUERY_RECORDS} outcomes, newest page of 100, ms, median of ${QUERY_REPEAT}`);
  console.log(`  ${'query'.padEnd(24)} ${schemaNames.map((s) => s.padStart(20)).join(' ')}`);
  for (const name of Object.keys(queries)) console.log(`  ${name.padEnd(24)} ${schemaNames.map((s) => queryMs.get(s)![name]!.toFixed(2).padStart(20)).join(' ')}`);

  console.log(`\nindex cost, one run (${browser.engine} ${browser.version}); load average at the end: ${load()}`);
  for (const schema of schemaNames) {
    console.log(`  ${schema.padEnd(22)} log / naive same schema ${(rate(schema, 'log:0') / rate(schema, 'naive')).toFixed(1)}x, / naive (a) ${(rate(schema, 'log:0') / fullNaive).toFixed(1)}x (>= 15x); floor / naive same ${(rate(schema, 'floor') / rate(schema, 'naive')).toFixed(1)}x${latency[schema] === undefined ? '' : `; intercepted fetch ${latency[schema]!.toFixed(3)}x (<= 1.02x)`}`);
  }
} finally {
  await browser.close();
  await stack.close();
}
