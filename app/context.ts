import type { Db } from '../db/client';

// What server/serve.ts hands every loader and action as `context`.
export type LeadpathLoadContext = {
  db: Db;
  /** Per-request CSP nonce; entry.server.tsx puts it on every inline script. */
  cspNonce: string;
  /** Whether the setup page offers to load the demo workspace (`serve --no-demo` turns it off). Default true. */
  offerDemo?: boolean;
  /** The client's address, for login throttling (X-Forwarded-For's client only with LEADPATH_TRUST_PROXY=1). */
  clientIp?: string;
};

declare module '@remix-run/node' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends LeadpathLoadContext {}
}
