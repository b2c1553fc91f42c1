import { EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, MOBILE_CODES } from './catalog';
import type { Prng } from './prng';

// Contacts of the people behind leads and calls. Phone numbers are unique per
// person by construction (a bijection of the person index), so the same phone
// in two rows always means the same caller, never a collision.

export type PhoneStyle = 'e164' | 'intl' | 'national' | 'pretty';

const SPACE = MOBILE_CODES.length * 10_000_000;
// Coprime with 2, 3 and 5, hence with SPACE: i -> i*M + salt (mod SPACE) is a bijection.
const SCRAMBLE = 7_368_787;

/** National significant number (9 digits, e.g. '992305767') of person `index`. */
export function phoneOf(index: number, salt: number): string {
  const n = (((index % SPACE) * SCRAMBLE) % SPACE + (salt % SPACE)) % SPACE;
  const code = MOBILE_CODES[n % MOBILE_CODES.length]!;
  return code + String(Math.floor(n / MOBILE_CODES.length)).padStart(7, '0');
}

/** The same Ukrainian number as different systems write it. */
export function formatPhone(national: string, style: PhoneStyle): string {
  switch (style) {
    case 'e164':
      return `+380${national}`;
    case 'intl':
      return `380${national}`;
    case 'national':
      return `0${national}`;
    case 'pretty':
      return `+38 (0${national.slice(0, 2)}) ${national.slice(2, 5)}-${national.slice(5, 7)}-${national.slice(7, 9)}`;
  }
}

/** Call-tracking exports mostly give E.164, but exports and manual edits mix formats. */
export const CALLER_PHONE_STYLES: readonly (readonly [PhoneStyle, number])[] = [
  ['e164', 0.5], ['intl', 0.2], ['national', 0.15], ['pretty', 0.15],
];
/** CRM users type phones by hand. */
export const CRM_PHONE_STYLES: readonly (readonly [PhoneStyle, number])[] = [
  ['pretty', 0.4], ['e164', 0.3], ['national', 0.2], ['intl', 0.1],
];

export interface Name {
  first: string;
  last: string;
}

export function nameOf(rng: Prng): Name {
  return { first: rng.pick(FIRST_NAMES), last: rng.pick(LAST_NAMES) };
}

/** A unique address (the person index is part of it); a few are typed in mixed case. */
export function emailOf(index: number, name: Name, rng: Prng): string {
  const domain = rng.weighted(EMAIL_DOMAINS);
  const style = rng.int(0, 2);
  const local =
    style === 0 ? `${name.first}.${name.last}${index}` : style === 1 ? `${name.last}${index}` : `${name.first}${name.last[0]}${index}`;
  const email = `${local}@${domain}`;
  return rng.bernoulli(0.05) ? email.charAt(0).toUpperCase() + email.slice(1) : email;
}
