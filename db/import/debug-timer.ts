/**
 * Step timings of the derived-table refresh on stderr with LEADPATH_DEBUG set
 * (the import's own phases are in ImportResult.phases); a no-op otherwise.
 */
export function stepTimer(scope: string): (step: string) => void {
  if (!process.env.LEADPATH_DEBUG) return () => {};
  let last = Date.now();
  return (step) => {
    const now = Date.now();
    console.error(`[${scope}] ${step}: ${now - last} ms`);
    last = now;
  };
}
