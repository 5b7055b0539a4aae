import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDB, type DBSchema, type IDBPDatabase } from '../../../src/idb/index.js';

// crossroute's own IndexedDB wrapper (it replaced the idb package): each call shape crossroute uses.
interface Schema extends DBSchema {
  notes: { key: number; value: { id: number; tag: string }; indexes: { tag: string } };
  meta: { key: string; value: number };
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

async function filled(): Promise<IDBPDatabase<Schema>> {
  const db = await openDB<Schema>('t', 1, {
    upgrade(db) {
      db.createObjectStore('notes', { keyPath: 'id' }).createIndex('tag', 'tag');
      db.createObjectStore('meta');
    },
  });
  const tx = db.transaction('notes', 'readwrite');
  await Promise.all([1, 2, 3, 4].map((id) => tx.store.put({ id, tag: id % 2 ? 'odd' : 'even' })));
  await tx.done;
  return db;
}

describe('openDB (src/idb)', () => {
  it('runs the upgrade with its versionchange transaction, and reads back what a transaction wrote', async () => {
    const db = await filled();
    expect(db.version).toBe(1);
    expect([...db.objectStoreNames].sort()).toEqual(['meta', 'notes']);
    expect(await db.get('notes', 3)).toEqual({ id: 3, tag: 'odd' });
    expect(await db.count('notes')).toBe(4);
    expect((await db.getAllFromIndex('notes', 'tag', 'even')).map((n) => n.id)).toEqual([2, 4]);
    db.close();
  });

  it('the shortcuts write in a transaction of their own and resolve once it committed', async () => {
    const db = await filled();
    expect(await db.put('meta', 7, 'k')).toBe('k');
    expect(await db.get('meta', 'k')).toBe(7);
    await db.delete('notes', 1);
    await db.clear('meta');
    expect([await db.count('notes'), await db.count('meta')]).toEqual([3, 0]);
    db.close();
  });

  it('walks cursors: iterate in both directions, continue and advance, delete and update', async () => {
    const db = await filled();
    const tx = db.transaction('notes', 'readwrite');
    const seen: number[] = [];
    for await (const cursor of tx.store.iterate(null, 'prev')) seen.push(cursor.value.id);
    expect(seen).toEqual([4, 3, 2, 1]);
    const odd: number[] = [];
    for await (const cursor of tx.store.index('tag').iterate('odd')) {
      odd.push(cursor.primaryKey);
      await cursor.update({ ...cursor.value, tag: 'changed' });
    }
    expect(odd).toEqual([1, 3]);
    const cursor = await tx.store.openKeyCursor();
    expect((await cursor?.advance(2))?.key).toBe(3);
    const first = await tx.store.openCursor();
    await first?.delete();
    expect((await first?.continue())?.key).toBe(2);
    await tx.done;
    expect((await db.getAll('notes')).map((n) => `${n.id}:${n.tag}`)).toEqual(['2:even', '3:changed', '4:even']);
    db.close();
  });

  it('gives one store as tx.store only when the transaction has one', async () => {
    const db = await filled();
    expect(db.transaction(['notes', 'meta']).store).toBeUndefined();
    expect(db.transaction(['notes', 'meta']).objectStore('meta').name).toBe('meta');
    db.close();
  });

  it('rejects a failed request with its error and done with the abort', async () => {
    const db = await filled();
    const tx = db.transaction('notes', 'readwrite');
    const done = tx.done.catch((error: DOMException) => error.name);
    await expect(tx.store.add({ id: 1, tag: 'again' })).rejects.toMatchObject({ name: 'ConstraintError' });
    expect(await done).toBe('ConstraintError');
    const aborted = db.transaction('notes');
    aborted.abort();
    await expect(aborted.done).rejects.toMatchObject({ name: 'AbortError' });
    db.close();
  });

  it('reports blocked and blocking upgrades, and an open aborted in its upgrade fails with AbortError', async () => {
    const events: string[] = [];
    const old = await openDB<Schema>('t', 1, { blocking: (current, next) => events.push(`blocking ${current}->${next}`) });
    const next = openDB<Schema>('t', 2, { blocked: (current) => events.push(`blocked by ${current}`) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    old.close();
    (await next).close();
    expect(events).toEqual(['blocking 1->2', 'blocked by 1']);
    const never = openDB<Schema>('new', undefined, { upgrade: (_db, _old, _new, tx) => (tx.done.catch(() => undefined), tx.abort()) });
    await expect(never).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('keeps wrong use out at compile time', async () => {
    const db = await filled();
    const reading = db.transaction('notes');
    // @ts-expect-error a read-only transaction has no put
    expect(() => reading.store.put({ id: 9, tag: 'x' })).toThrow();
    // @ts-expect-error no such store
    expect(() => db.get('nothing', 1)).toThrow();
    // @ts-expect-error no such index
    expect(() => db.transaction('notes').store.index('missing')).toThrow();
    // @ts-expect-error the key of notes is a number
    await expect(db.get('notes', 'one')).resolves.toBeUndefined();
    db.close();
  });
});
