import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApiToken } from '../../../app/auth/api-tokens.server';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { makeWorkspace } from '../../support/import';
import { startApiServer, type ApiServer } from './api-server';

// The per-token limit, configured small for this file (LEADPATH_API_RATE /
// LEADPATH_API_BURST are read when the process's limiter is first used):
// a burst of 3, refilled at one request per 100 s, so the 4th request in a
// row is refused whatever the speed of this machine.
process.env.LEADPATH_API_BURST = '3';
process.env.LEADPATH_API_RATE = '0.01';

let t: TestDatabase;
let api: ApiServer;
let sent = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  api = await startApiServer(t.db);
});
afterAll(async () => {
  await api?.close();
  await t?.drop();
});

test('past the burst a token gets 429 with Retry-After; another token is not held back', async () => {
  const ws = await makeWorkspace(t.db, 'acme');
  const busy = (await createApiToken(t.db, { workspaceId: ws.id, name: 'busy', scope: 'ingest' })).token;
  const calm = (await createApiToken(t.db, { workspaceId: ws.id, name: 'calm', scope: 'ingest' })).token;
  const send = (token: string) =>
    fetch(`${api.url}/api/v1/identify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ anonymousId: 'v1', messageId: `m-${++sent}`, timestamp: '2026-03-01T10:00:00Z', traits: {} }),
    });
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++) statuses.push((await send(busy)).status);
  const limited = await send(busy);
  // Retry-After: the one missing request at 0.01/s takes ceil(1 / 0.01) = 100 s.
  expect([...statuses, limited.status, limited.headers.get('retry-after')]).toEqual([200, 200, 200, 429, '100']);
  expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  expect((await send(calm)).status).toBe(200);
});
