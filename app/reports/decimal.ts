// Exact decimal arithmetic for money held as strings ('1234.56'): values are
// scaled BigInts, so sums and differences never pass through a float.
// Divisions (CPL = spend / leads) round half away from zero at `scale`.

const SCALE = 6;
const FACTOR = 10n ** BigInt(SCALE);

function toScaled(value: string | number): bigint {
  const s = typeof value === 'number' ? numberToDecimal(value) : value.trim();
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) throw new RangeError(`not a decimal: ${s}`);
  const frac = (m[3] ?? '').padEnd(SCALE + 1, '0');
  let scaled = BigInt(m[2]!) * FACTOR + BigInt(frac.slice(0, SCALE));
  if (Number(frac[SCALE]) >= 5) scaled += 1n;
  return m[1] ? -scaled : scaled;
}

function numberToDecimal(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  return n.toFixed(SCALE + 1);
}

function fromScaled(v: bigint, scale: number): string {
  // Round from SCALE to `scale` decimals, half away from zero.
  const drop = 10n ** BigInt(SCALE - scale);
  const negative = v < 0n;
  let abs = negative ? -v : v;
  abs = (abs + drop / 2n) / drop;
  const unit = 10n ** BigInt(scale);
  const int = abs / unit;
  const frac = abs % unit;
  const text = scale > 0 ? `${int}.${frac.toString().padStart(scale, '0')}` : `${int}`;
  return negative && abs !== 0n ? `-${text}` : text;
}

export function addDecimal(...values: (string | null | undefined)[]): string {
  let total = 0n;
  for (const v of values) if (v !== null && v !== undefined) total += toScaled(v);
  return fromScaled(total, 2);
}

export function subtractDecimal(a: string, b: string): string {
  return fromScaled(toScaled(a) - toScaled(b), 2);
}

/** a / b rounded to `scale` decimals; null when b is zero or missing (a division by zero shows as empty). */
export function divideDecimal(a: string | null, b: string | number | null, scale = 2): string | null {
  if (a === null || b === null) return null;
  const divisor = toScaled(b);
  if (divisor === 0n) return null;
  const numerator = toScaled(a) * FACTOR;
  // Round half away from zero at SCALE, then to `scale`.
  const q = numerator / divisor;
  const r = numerator % divisor;
  const bump = 2n * (r < 0n ? -r : r) >= (divisor < 0n ? -divisor : divisor) ? (numerator < 0n !== divisor < 0n ? -1n : 1n) : 0n;
  return fromScaled(q + bump, scale);
}

export function compareDecimal(a: string, b: string): number {
  const d = toScaled(a) - toScaled(b);
  return d === 0n ? 0 : d < 0n ? -1 : 1;
}

export function isZeroDecimal(a: string): boolean {
  return toScaled(a) === 0n;
}

/** A plain ratio of counts; null when the denominator is 0. */
export function ratio(numerator: number | null, denominator: number | null, digits = 4): number | null {
  if (numerator === null || denominator === null || denominator === 0) return null;
  const f = 10 ** digits;
  return Math.round((numerator / denominator) * f) / f;
}
