import { z } from 'zod';
import { normalizePhone } from '../domain/phone';

// Cell parsers for canonical CSV columns. Each takes the raw cell text (''
// when empty) and yields the value handed to PostgreSQL as text (null = not
// given), or a reason the cell is invalid. Values are stored verbatim apart
// from the documented normalisations (trimmed, phones to E.164, emails
// lower-cased, enums lower-cased); formula-like text such as '=HYPERLINK(..)'
// is data like any other and is only escaped when exported.

export interface ParseContext {
  phoneCountry: string | null;
  currency: string;
  stages: readonly string[];
  channels: readonly string[];
}

export type CellParser = (raw: string, ctx: ParseContext) => CellResult;
export type CellResult = { ok: true; value: string | null } | { ok: false; reason: string };

const ok = (value: string | null): CellResult => ({ ok: true, value });
const fail = (reason: string): CellResult => ({ ok: false, reason });

export const MAX_TEXT = 1000;
export const MAX_URL = 8192;
export const MIN_YEAR = 1970;
export const MAX_YEAR = 2100;

export function text(max = MAX_TEXT): CellParser {
  return (raw) => {
    const v = raw.trim();
    if (v === '') return ok(null);
    if (v.length > max) return fail(`longer than ${max} characters (${v.length})`);
    if (v.includes('\u0000')) return fail('contains a NUL character');
    return ok(v);
  };
}

/** Like text but lower-cased: UTM values are compared case-insensitively. */
export function lowerText(max = MAX_TEXT): CellParser {
  const base = text(max);
  return (raw, ctx) => {
    const r = base(raw, ctx);
    return r.ok && r.value !== null ? ok(r.value.toLowerCase()) : r;
  };
}

export function integer(min = 0, max = 2_147_483_647): CellParser {
  return (raw) => {
    const v = raw.trim();
    if (v === '') return ok(null);
    if (!/^-?\d+$/.test(v)) return fail('not a whole number');
    const n = Number(v);
    if (n < min) return fail(`must be >= ${min}`);
    if (n > max) return fail(`must be <= ${max}`);
    return ok(String(n));
  };
}

/** Exact decimal with '.' as separator; kept as text so money is never a float. */
export function decimal(min: '0' | null = '0'): CellParser {
  return (raw) => {
    const v = raw.trim();
    if (v === '') return ok(null);
    if (!/^-?\d{1,15}(\.\d{1,6})?$/.test(v)) {
      if (/^-?[\d\s]+,\d+$/.test(v)) return fail('decimal comma: use "." as the decimal separator');
      return fail('not a decimal number (digits with an optional "." and up to 6 decimals)');
    }
    if (min === '0' && v.startsWith('-') && !/^-0+(\.0+)?$/.test(v)) return fail('must be >= 0');
    return ok(v.startsWith('-') ? v.replace(/^-/, '') : v);
  };
}

function isValidCalendarDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

function checkYear(y: number): string | null {
  return y < MIN_YEAR || y > MAX_YEAR ? `year ${y} is out of range (${MIN_YEAR}–${MAX_YEAR})` : null;
}

export function date(): CellParser {
  return (raw) => {
    const v = raw.trim();
    if (v === '') return ok(null);
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    if (!m) return fail('not a date in YYYY-MM-DD form');
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const yearIssue = checkYear(y);
    if (yearIssue) return fail(yearIssue);
    if (!isValidCalendarDate(y, mo, d)) return fail('no such calendar date');
    return ok(v);
  };
}

export function month(): CellParser {
  return (raw) => {
    const v = raw.trim();
    if (v === '') return ok(null);
    const m = /^(\d{4})-(\d{2})$/.exec(v);
    if (!m) return fail('not a month in YYYY-MM form');
    const yearIssue = checkYear(Number(m[1]));
    if (yearIssue) return fail(yearIssue);
    if (Number(m[2]) < 1 || Number(m[2]) > 12) return fail('no such month');
    return ok(`${v}-01`);
  };
}

const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * ISO 8601 timestamp. With an offset or Z it is an instant; without one it is
 * read in the workspace time zone (PostgreSQL does that: the import sets the
 * transaction's TimeZone to the workspace's).
 */
export function timestamp(): CellParser {
  return (raw) => {
    const v = raw.trim();
    if (v === '') return ok(null);
    const m = TIMESTAMP_RE.exec(v);
    if (!m) return fail('not an ISO 8601 timestamp (e.g. 2026-03-01T09:15:00+02:00)');
    const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
    const yearIssue = checkYear(y);
    if (yearIssue) return fail(yearIssue);
    if (!isValidCalendarDate(y, mo, d)) return fail('no such calendar date');
    if (h > 23 || mi > 59 || s > 59) return fail('no such time of day');
    const offset = m[8];
    if (offset && offset.toUpperCase() !== 'Z') {
      const om = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset);
      if (!om || Number(om[2]) > 14 || Number(om[3] ?? 0) > 59) return fail('bad UTC offset');
    }
    return ok(v.replace(' ', 'T'));
  };
}

export function oneOf(values: readonly string[]): CellParser {
  return (raw) => {
    const v = raw.trim().toLowerCase();
    if (v === '') return ok(null);
    if (!values.includes(v)) return fail(`unknown value "${raw.trim()}" (expected one of: ${values.join(', ')})`);
    return ok(v);
  };
}

export function phone(): CellParser {
  return (raw, ctx) => {
    const v = raw.trim();
    if (v === '') return ok(null);
    if (v.length > 40) return fail('too long for a phone number');
    const e164 = normalizePhone(v, ctx.phoneCountry);
    if (!e164) {
      return fail(ctx.phoneCountry
        ? `not a phone number that can be read as E.164 (country ${ctx.phoneCountry})`
        : 'not a phone number in international form (+country code); set the workspace phone country to read national numbers');
    }
    return ok(e164);
  };
}

const emailSchema = z.email();
export function email(): CellParser {
  return (raw) => {
    const v = raw.trim().toLowerCase();
    if (v === '') return ok(null);
    if (v.length > 320 || !emailSchema.safeParse(v).success) return fail('not an email address');
    return ok(v);
  };
}

export function currency(): CellParser {
  return (raw, ctx) => {
    const v = raw.trim().toUpperCase();
    if (v === '') return ok(null);
    if (!/^[A-Z]{3}$/.test(v)) return fail('not an ISO 4217 currency code');
    if (v !== ctx.currency) return fail(`currency ${v} differs from the workspace currency ${ctx.currency} and no FX rate is known`);
    return ok(v);
  };
}

export function stage(): CellParser {
  return (raw, ctx) => {
    const v = raw.trim();
    if (v === '') return ok(null);
    const found = ctx.stages.find((s) => s.toLowerCase() === v.toLowerCase());
    if (!found) return fail(`unknown stage "${v}" (pipeline: ${ctx.stages.join(', ')})`);
    return ok(found);
  };
}

export function channel(): CellParser {
  return (raw, ctx) => {
    const v = raw.trim().toLowerCase();
    if (v === '') return ok(null);
    if (!ctx.channels.includes(v)) return fail(`unknown channel "${raw.trim()}" (channels: ${ctx.channels.join(', ')})`);
    return ok(v);
  };
}
