import { useEffect, useState } from 'react';

/** False in the server render and the hydration pass, true once React runs in the browser. */
export function useIsHydrated(): boolean {
  const [isHydrated, setIsHydrated] = useState(false);
  useEffect(() => setIsHydrated(true), []);
  return isHydrated;
}
