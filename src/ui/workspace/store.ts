/**
 * The saved workspace, in IndexedDB: one experiment per preset or lesson (see experiment.ts),
 * so a reload restores the world (by replaying its inputs) and the lesson's progress.
 */
import type { Experiment } from './experiment';

const DB_NAME = 'halab';
const STORE = 'workspaces';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run<T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

export async function saveWorkspace(key: string, e: Experiment): Promise<void> {
  await run('readwrite', (s) => s.put(e, key));
}

export async function loadWorkspace(key: string): Promise<Experiment | null> {
  try {
    return ((await run('readonly', (s) => s.get(key))) as Experiment | undefined) ?? null;
  } catch {
    return null;
  }
}

export async function clearWorkspace(key: string): Promise<void> {
  await run('readwrite', (s) => s.delete(key));
}
