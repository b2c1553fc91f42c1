/**
 * All money arithmetic of the attribution reports lives here.
 *
 * - Sums of whole amounts are exact: decimal strings are added as scaled
 *   integers (bigint) and come back as decimal strings.
 * - Credit-weighted amounts (revenue × a fractional credit such as 1/3 or a
 *   time-decay weight) are binary floating point on purpose: the credits are
 *   floats already, so an exact split would only dress up a float as exact.
 *   A channel's credited revenue is the float sum of `amount × credit`; across
 *   channels these sum to the exact total within ~1e-12 relative. Format them
 *   at the edge, never sum them back into a ledger figure.
 */

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

interface ScaledDecimal {
  readonly units: bigint;
  readonly scale: number;
}

function parseDecimal(amount: string): ScaledDecimal {
  const match = DECIMAL.exec(amount);
  if (!match) throw new RangeError(`Not a decimal amount: "${amount}"`);
  const [, sign, whole = '0', fraction = ''] = match;
  const units = BigInt(whole + fraction);
  return { units: sign ? -units : units, scale: fraction.length };
}

function formatDecimal({ units, scale }: ScaledDecimal): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`;
}

/** Exact sum of decimal strings (nulls count as nothing), at the largest scale given. */
export function sumMoney(amounts: Iterable<string | null>): string {
  let total = 0n;
  let scale = 0;
  for (const amount of amounts) {
    if (amount === null) continue;
    const parsed = parseDecimal(amount);
    if (parsed.scale > scale) {
      total *= 10n ** BigInt(parsed.scale - scale);
      scale = parsed.scale;
    }
    total += parsed.units * 10n ** BigInt(scale - parsed.scale);
  }
  return formatDecimal({ units: total, scale });
}

/** A decimal string as a float, for charts and model inputs; null is 0. */
export function moneyToNumber(amount: string | null): number {
  if (amount === null) return 0;
  parseDecimal(amount); // validates: Number('') or Number(' 1') would pass silently
  return Number(amount);
}

/** The parts of `amount` that fractional credits earn (floats, see the module comment). */
export function computeCreditedMoney(amount: string | null, credits: readonly number[]): number[] {
  const total = moneyToNumber(amount);
  return credits.map((credit) => total * credit);
}
