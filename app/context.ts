import type { Db } from '../db/client';

// What server/serve.ts hands every loader and action as `context`.
export type LeadpathLoadContext = {
  db: Db;
  /** Per-request CSP nonce; entry.server.tsx puts it on every inline script. */
  cspNonce: string;
};

declare module '@remix-run/node' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends LeadpathLoadContext {}
}
