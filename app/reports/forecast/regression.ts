import { dayOfMonth, monthOf, weekdayOf } from './calendar';
import { solveSpd } from './linear-algebra';

/**
 * The forecasting model: a log-linear seasonal regression on daily counts,
 * fitted as a penalised quasi-Poisson GLM (IRLS):
 *
 *   log E[y_d] = level + trend·τ_d + weekday_{w(d)} + Σ_k (a_k cos 2πkd/Y + b_k sin 2πkd/Y) + holiday_d
 *
 * τ is time in years from the last day of history, Y = 365.2425 days, w(d)
 * the weekday (effects coded: the seven effects sum to zero), and holiday_d
 * two fixed-date windows (24–31 December, 1–7 January) fitted only when the
 * history holds them.
 *
 * Why this and not Holt-Winters (docs/decisions/005-forecast-model.md):
 * traffic is multiplicative (growth × season × weekday), and the log link
 * makes each of those one term whose value can be read and tested; daily
 * data needs two seasonal periods (7 and 365.25 days), which Holt-Winters
 * does not take without a second model bolted on; counts of 0 are fine for a
 * Poisson likelihood where a log transform is not; a fit is one small
 * p × p solve per iteration (p ≤ 16), so a rolling-origin backtest of dozens
 * of refits stays in milliseconds.
 *
 * The penalties are Gaussian priors on the coefficients (ridge, scaled by the
 * estimated dispersion): the yearly terms shrink towards no seasonality and
 * the trend towards no growth when the history cannot tell them apart (under
 * a year of data, a rising half-season looks like growth).
 */
export interface RegressionOptions {
  /** Fourier pairs of the yearly cycle (0 = none). */
  yearlyOrder: number;
  /** Fit the year-end holiday windows when the history has them. */
  holidays: boolean;
  /** Prior standard deviations on the log scale. */
  priorSd: { trend: number; yearly: number; holiday: number; weekday: number };
}

export const DEFAULT_REGRESSION: RegressionOptions = {
  yearlyOrder: 2,
  holidays: true,
  priorSd: { trend: 0.15, yearly: 0.15, holiday: 0.5, weekday: 1 },
};

export interface SeasonalRegressionFit {
  /** Expected count on `day` (a day number). */
  predict(day: number): number;
  /** Multiplicative growth per year: 0.18 = +18% a year. */
  growthPerYear: number;
  /** Multiplier of each weekday, Monday first (geometric mean 1). */
  weekdayFactors: number[];
  /** Multiplier of the yearly cycle on `day` (1 when no yearly terms). */
  yearlyFactor(day: number): number;
  /** Multipliers of the year-end windows (1 when not fitted). */
  holidayFactors: { christmas: number; newYear: number };
  /** Pearson dispersion (1 = Poisson). */
  dispersion: number;
  /** Columns of the design, for the decision record and tests. */
  terms: string[];
}

const YEAR = 365.2425;

type Holiday = 'christmas' | 'newYear';
function holidayOf(day: number): Holiday | null {
  const m = monthOf(day);
  const d = dayOfMonth(day);
  if (m === 12 && d >= 24) return 'christmas';
  if (m === 1 && d <= 7) return 'newYear';
  return null;
}

interface Design {
  terms: string[];
  penalty: number[];
  row(day: number, out: Float64Array): void;
}

function design(firstDay: number, lastDay: number, opts: RegressionOptions): Design {
  const terms = ['level', 'trend'];
  const penalty = [0, 1 / opts.priorSd.trend ** 2];
  for (let w = 1; w < 7; w++) {
    terms.push(`weekday${w}`);
    penalty.push(1 / opts.priorSd.weekday ** 2);
  }
  for (let k = 1; k <= opts.yearlyOrder; k++) {
    terms.push(`cos${k}`, `sin${k}`);
    penalty.push(1 / opts.priorSd.yearly ** 2, 1 / opts.priorSd.yearly ** 2);
  }
  const holidays: Holiday[] = [];
  if (opts.holidays) {
    const seen = { christmas: 0, newYear: 0 };
    for (let d = firstDay; d <= lastDay; d++) {
      const h = holidayOf(d);
      if (h) seen[h]++;
    }
    for (const h of ['christmas', 'newYear'] as const) {
      if (seen[h] >= 4) {
        holidays.push(h);
        terms.push(h);
        penalty.push(1 / opts.priorSd.holiday ** 2);
      }
    }
  }
  const yearlyOrder = opts.yearlyOrder;
  return {
    terms,
    penalty,
    row(day, out) {
      let i = 0;
      out[i++] = 1;
      out[i++] = (day - lastDay) / YEAR;
      const w = weekdayOf(day);
      for (let j = 1; j < 7; j++) out[i++] = w === j ? 1 : w === 0 ? -1 : 0;
      for (let k = 1; k <= yearlyOrder; k++) {
        const angle = (2 * Math.PI * k * day) / YEAR;
        out[i++] = Math.cos(angle);
        out[i++] = Math.sin(angle);
      }
      const h = holidays.length > 0 ? holidayOf(day) : null;
      for (const name of holidays) out[i++] = h === name ? 1 : 0;
    },
  };
}

/**
 * Fits the regression to `values` (one count per day, the first on `firstDay`).
 * Returns null when the series has nothing to fit (all zeros or fewer than 14 days).
 */
export function fitSeasonalRegression(values: readonly number[], firstDay: number, opts: RegressionOptions = DEFAULT_REGRESSION): SeasonalRegressionFit | null {
  const n = values.length;
  if (n < 14) return null;
  let total = 0;
  for (const v of values) total += v;
  if (!(total > 0)) return null;
  const lastDay = firstDay + n - 1;
  const d = design(firstDay, lastDay, opts);
  const p = d.terms.length;
  const x = new Float64Array(n * p);
  const row = new Float64Array(p);
  for (let t = 0; t < n; t++) {
    d.row(firstDay + t, row);
    x.set(row, t * p);
  }

  let beta: Float64Array = new Float64Array(p);
  beta[0] = Math.log(total / n);
  const eta = new Float64Array(n);
  const mu = new Float64Array(n);
  const linear = (b: Float64Array) => {
    for (let t = 0; t < n; t++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += x[t * p + j]! * b[j]!;
      eta[t] = Math.min(s, 50);
      mu[t] = Math.exp(eta[t]!);
    }
  };
  // Penalised negative log-likelihood (quasi-Poisson, divided by the dispersion).
  const objective = (phi: number) => {
    let s = 0;
    for (let t = 0; t < n; t++) s += (mu[t]! - values[t]! * eta[t]!) / phi;
    for (let j = 0; j < p; j++) s += 0.5 * d.penalty[j]! * beta[j]! ** 2;
    return s;
  };

  let phi = 1;
  linear(beta);
  for (let round = 0; round < 2; round++) {
    let prev = objective(phi);
    for (let iter = 0; iter < 50; iter++) {
      const xtwx = new Float64Array(p * p);
      const xtwz = new Float64Array(p);
      for (let t = 0; t < n; t++) {
        const w = mu[t]! / phi;
        const z = eta[t]! + (values[t]! - mu[t]!) / Math.max(mu[t]!, 1e-9);
        const off = t * p;
        for (let i = 0; i < p; i++) {
          const xi = x[off + i]!;
          if (xi === 0) continue;
          xtwz[i] = xtwz[i]! + w * xi * z;
          for (let j = 0; j <= i; j++) xtwx[i * p + j] = xtwx[i * p + j]! + w * xi * x[off + j]!;
        }
      }
      for (let i = 0; i < p; i++) {
        for (let j = 0; j < i; j++) xtwx[j * p + i] = xtwx[i * p + j]!;
        xtwx[i * p + i] = xtwx[i * p + i]! + d.penalty[i]! + 1e-9;
      }
      const next = solveSpd(xtwx, xtwz, p);
      if (!next) break;
      // Step halving keeps each iteration an improvement of the penalised objective.
      const old = beta;
      let step = 1;
      let candidate = next;
      let value = Infinity;
      for (let half = 0; half < 20; half++) {
        beta = candidate;
        linear(beta);
        value = objective(phi);
        if (value <= prev + 1e-12) break;
        step /= 2;
        candidate = old.map((b, j) => b + step * (next[j]! - b));
      }
      const converged = Math.abs(prev - value) < 1e-9 * (1 + Math.abs(value));
      prev = value;
      if (converged) break;
    }
    // Pearson dispersion, then one refit so the priors weigh against the data's real noise.
    let pearson = 0;
    for (let t = 0; t < n; t++) pearson += (values[t]! - mu[t]!) ** 2 / Math.max(mu[t]!, 1e-9);
    phi = Math.max(1, pearson / Math.max(1, n - p));
  }

  const coef = (name: string) => {
    const i = d.terms.indexOf(name);
    return i < 0 ? 0 : beta[i]!;
  };
  const weekdayEffects = [0, 1, 2, 3, 4, 5, 6].map((w) => (w === 0 ? -[1, 2, 3, 4, 5, 6].reduce((s, j) => s + coef(`weekday${j}`), 0) : coef(`weekday${w}`)));
  const fitted = beta;
  const predictRow = new Float64Array(p);
  return {
    predict(day) {
      d.row(day, predictRow);
      let s = 0;
      for (let j = 0; j < p; j++) s += predictRow[j]! * fitted[j]!;
      return Math.exp(Math.min(s, 50));
    },
    growthPerYear: Math.exp(coef('trend')) - 1,
    weekdayFactors: weekdayEffects.map(Math.exp),
    yearlyFactor(day) {
      let s = 0;
      for (let k = 1; k <= opts.yearlyOrder; k++) {
        const angle = (2 * Math.PI * k * day) / YEAR;
        s += coef(`cos${k}`) * Math.cos(angle) + coef(`sin${k}`) * Math.sin(angle);
      }
      return Math.exp(s);
    },
    holidayFactors: { christmas: Math.exp(coef('christmas')), newYear: Math.exp(coef('newYear')) },
    dispersion: phi,
    terms: d.terms,
  };
}
