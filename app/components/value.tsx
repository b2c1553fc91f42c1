import { useFormat } from '../i18n/i18n';
import { MISSING, type Formatter } from '../lib/format';

// The shared cell formatters: one kind per kind of figure, so a CPL looks the
// same in a card, a table cell, a totals row and a tooltip.

export type ValueKind = 'text' | 'count' | 'number' | 'money' | 'percent' | 'change';

/** Kinds whose values are numbers (or decimal strings): right-aligned, sorted as numbers. */
export function isNumericKind(kind: ValueKind | undefined): boolean {
  return kind !== undefined && kind !== 'text';
}

export function formatValue(f: Formatter, kind: ValueKind, value: unknown): string {
  if (value === null || value === undefined || value === '') return kind === 'text' ? '' : MISSING;
  switch (kind) {
    case 'text':
      return String(value);
    case 'count':
      return f.count(Number(value));
    case 'number':
      return f.number(Number(value));
    case 'money':
      return f.money(typeof value === 'number' ? value : String(value));
    case 'percent':
      return f.percent(Number(value));
    case 'change':
      return f.change(Number(value));
  }
}

/** A value formatted for the user's locale and the workspace currency. */
export function Value({ kind, value }: { kind: ValueKind; value: unknown }) {
  return <>{formatValue(useFormat(), kind, value)}</>;
}
