import { useEffect, useRef, useState, type RefObject } from 'react';

/**
 * The rendered width of an element, kept up to date by a ResizeObserver.
 * The server and the first client render use `fallback`, so hydration
 * matches; the real width arrives in an effect right after.
 */
export function useElementWidth<T extends HTMLElement>(fallback: number): [RefObject<T>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const update = (w: number) => setWidth((old) => (Math.abs(old - w) >= 1 ? Math.floor(w) : old));
    update(element.getBoundingClientRect().width);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => {
      const entry = entries[0];
      if (entry) update(entry.contentRect.width);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}
