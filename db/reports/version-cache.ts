import type { Db } from '../client';
import type { Workspace } from '../schema';
import { LruCache } from '../../app/reports/lru-cache';
import { getDataVersion } from '../queries/attribution';

// Results that depend only on a workspace's data and the request's
// parameters, kept in process memory per (workspace, data_version, key): every
// import and rebuild bumps data_version, so a repeated request is answered
// from memory until the data changes (old keys then age out of the LRU).
// Entries are promises: concurrent requests for the same key share one
// computation; a failed one is not remembered.

const caches = new WeakMap<Db, Map<string, LruCache<string, Promise<unknown>>>>();

function cacheOf(db: Db, name: string, capacity: number): LruCache<string, Promise<unknown>> {
  let byName = caches.get(db);
  if (!byName) {
    byName = new Map();
    caches.set(db, byName);
  }
  let cache = byName.get(name);
  if (!cache) {
    cache = new LruCache(capacity);
    byName.set(name, cache);
  }
  return cache;
}

/** `compute()`, or its remembered result for the workspace's current data_version and `key` (JSON-able). */
export async function cachedByDataVersion<T>(
  db: Db,
  ws: Pick<Workspace, 'id'>,
  name: string,
  key: unknown,
  compute: () => Promise<T>,
  { capacity = 32 } = {},
): Promise<{ value: T; cached: boolean }> {
  // The version is read each time: the Workspace object a caller holds may predate an import.
  const dataVersion = await getDataVersion(db, ws);
  const cacheKey = JSON.stringify([ws.id, dataVersion, key]);
  const cache = cacheOf(db, name, capacity);
  const hit = cache.get(cacheKey) as Promise<T> | undefined;
  if (hit) return { value: await hit, cached: true };
  const pending = compute();
  cache.set(cacheKey, pending);
  try {
    return { value: await pending, cached: false };
  } catch (error) {
    cache.delete(cacheKey);
    throw error;
  }
}
