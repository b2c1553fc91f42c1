import { createContext, useContext } from 'react';

// The CSP nonce reaches <Scripts> through React context: entry.server.tsx
// provides it per request; in the browser it is '' (browsers hide nonces from
// the DOM, and hydration does not need it).
const NonceContext = createContext('');

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string {
  return useContext(NonceContext);
}
