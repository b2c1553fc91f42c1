import { useCallback, useState, type KeyboardEvent } from 'react';

/**
 * Which item of a chart (a day, a bar) is highlighted, by pointer or by
 * keyboard: the chart takes focus with Tab, arrows move, Escape clears.
 */
export function useActiveIndex(count: number) {
  const [active, setActive] = useState<number | null>(null);
  const clamp = useCallback((i: number) => Math.max(0, Math.min(count - 1, i)), [count]);
  const onKeyDown = (event: KeyboardEvent) => {
    const moves: Record<string, (i: number) => number> = {
      ArrowRight: (i) => i + 1,
      ArrowDown: (i) => i + 1,
      ArrowLeft: (i) => i - 1,
      ArrowUp: (i) => i - 1,
      Home: () => 0,
      End: () => count - 1,
    };
    if (event.key === 'Escape') {
      setActive(null);
      return;
    }
    const move = moves[event.key];
    if (!move || count === 0) return;
    event.preventDefault();
    setActive((i) => clamp(move(i ?? -1)));
  };
  return {
    active: active === null || active >= count ? null : active,
    setActive,
    keyboardProps: {
      tabIndex: 0,
      onKeyDown,
      onFocus: () => setActive((i) => i ?? (count > 0 ? 0 : null)),
      onBlur: () => setActive(null),
    },
  };
}
