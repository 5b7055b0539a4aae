import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { CorsKnowledge } from '../../../src/sw/knowledge/cors-knowledge.js';
import { KNOWLEDGE_DB_NAME, openKnowledgeDatabase, type KnowledgeDatabase } from '../../../src/sw/knowledge/knowledge-database.js';

const TILES = 'http://127.0.0.2:8080';
const DAY = 86_400_000;

describe('CorsKnowledge (IndexedDB through fake-indexeddb)', () => {
  const opened: KnowledgeDatabase[] = [];
  const database = async (): Promise<KnowledgeDatabase> => {
    const db = await openKnowledgeDatabase(() => undefined);
    opened.push(db);
    return db;
  };
  let time = 1_000_000;
  const now = (): number => time;
  afterEach(async () => {
    for (const db of opened.splice(0)) db.close();
    await new Promise<void>((resolve) => {
      const request = indexedDB.deleteDatabase(KNOWLEDGE_DB_NAME);
      request.onsuccess = request.onerror = () => resolve();
    });
  });

  it('learns from a probe, and a new instance (a restarted worker) reads it back', async () => {
    const knowledge = new CorsKnowledge(database, now);
    const first = await knowledge.consult(TILES, 'simple', DAY);
    expect(first.verdict).toBe('unknown');
    first.lesson!(false);
    await knowledge.learn('https://api.test', 'credentialed', true);
    await new Promise((resolve) => setTimeout(resolve, 20));

    const restarted = new CorsKnowledge(database, now);
    expect(await restarted.consult(TILES, 'simple', DAY)).toEqual({ verdict: 'refused', learnedAt: time });
    expect((await restarted.consult('https://api.test', 'credentialed', DAY)).verdict).toBe('granted');
    // Nothing is learned from a probe without an answer (an outage).
    const outage = await restarted.consult('https://down.test', 'simple', DAY);
    outage.lesson!(undefined);
    expect((await restarted.consult('https://down.test', 'simple', DAY)).verdict).toBe('unknown');
  });

  it('forgets a fact after the TTL: the next request probes again, and its lesson replaces the fact', async () => {
    const knowledge = new CorsKnowledge(database, now);
    await knowledge.learn(TILES, 'simple', false);
    time += 59_000;
    expect((await knowledge.consult(TILES, 'simple', 60_000)).verdict).toBe('refused');
    time += 2_000;
    const again = await knowledge.consult(TILES, 'simple', 60_000);
    expect(again).toMatchObject({ verdict: 'unknown' });
    again.lesson!(true);
    expect(await knowledge.consult(TILES, 'simple', 60_000)).toEqual({ verdict: 'granted', learnedAt: time });
    // A longer TTL of another policy still sees the old fact as fresh: the TTL is the reader's.
    expect((await new CorsKnowledge(database, now).consult(TILES, 'simple', DAY)).verdict).toBe('granted');
  });

  it('keeps the cases apart, with what one implies for the others', async () => {
    const knowledge = new CorsKnowledge(database, now);
    await knowledge.learn('https://a.test', 'simple', true);
    expect((await knowledge.consult('https://a.test', 'preflighted', DAY)).verdict).toBe('unknown');
    expect((await knowledge.consult('https://a.test', 'credentialed', DAY)).verdict).toBe('unknown');
    // No Allow-Origin on a simple answer: every case's answer lacks it too.
    await knowledge.learn('https://b.test', 'simple', false);
    expect((await knowledge.consult('https://b.test', 'preflighted', DAY)).verdict).toBe('refused');
    expect((await knowledge.consult('https://b.test', 'credentialed', DAY)).verdict).toBe('refused');
    // A granted credentialed request passed the same check a simple one needs, and more.
    await knowledge.learn('https://c.test', 'credentialed', true);
    expect((await knowledge.consult('https://c.test', 'simple', DAY)).verdict).toBe('granted');
    // A case's own fact wins over what others imply.
    await knowledge.learn('https://c.test', 'simple', false);
    expect((await knowledge.consult('https://c.test', 'simple', DAY)).verdict).toBe('refused');
  });

  it('lets one request probe an unknown case while the others wait for its lesson', async () => {
    const knowledge = new CorsKnowledge(database, now);
    const probe = await knowledge.consult(TILES, 'simple', DAY);
    const waiting = Array.from({ length: 20 }, () => knowledge.consult(TILES, 'simple', DAY));
    let settled = 0;
    for (const consultation of waiting) void consultation.then(() => (settled += 1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(0);
    probe.lesson!(false);
    expect((await Promise.all(waiting)).map((c) => c.verdict)).toEqual(Array(20).fill('refused'));
    // Another case of the same origin is probed on its own.
    expect((await knowledge.consult(TILES, 'preflighted', DAY)).verdict).toBe('refused');
  });

  it('writes a repeated fact again only once it is a minute old (one write per tile would be one per request)', async () => {
    const writes: string[] = [];
    const counting = async (): Promise<KnowledgeDatabase> => {
      const db = await database();
      return new Proxy(db, { get: (target, key) => (key === 'transaction' ? (...args: unknown[]) => (args[1] === 'readwrite' && writes.push('write'), (target.transaction as (...a: unknown[]) => unknown)(...args)) : Reflect.get(target, key, target)) });
    };
    const knowledge = new CorsKnowledge(counting, now);
    for (let i = 0; i < 10; i++) await knowledge.learn(TILES, 'simple', true);
    expect(writes).toHaveLength(1);
    time += 61_000;
    await knowledge.learn(TILES, 'simple', true);
    expect(writes).toHaveLength(2);
    await knowledge.learn(TILES, 'simple', false);
    expect(writes).toHaveLength(3);
  });

  it('goes on from memory when IndexedDB cannot be opened', async () => {
    const knowledge = new CorsKnowledge(() => Promise.reject(new Error('IndexedDB broken on purpose')), now);
    await knowledge.learn(TILES, 'simple', false);
    expect((await knowledge.consult(TILES, 'simple', DAY)).verdict).toBe('refused');
  });

  it('keeps at most 1000 origins, forgetting the one learned about longest ago', async () => {
    const knowledge = new CorsKnowledge(database, now);
    for (let i = 0; i <= 1000; i++) {
      time += 1;
      await knowledge.learn(`https://o${i}.test`, 'simple', true);
    }
    expect((await knowledge.consult('https://o0.test', 'simple', DAY)).verdict).toBe('unknown');
    expect((await knowledge.consult('https://o1.test', 'simple', DAY)).verdict).toBe('granted');
    expect(await (await database()).count('origins')).toBe(1000);
  });
});
