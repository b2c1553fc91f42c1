/**
 * The conversion rate from sessions to leads, with its uncertainty, as a Beta
 * distribution of the rate a *future period* will have:
 *
 * - mean: the pooled rate over the history, leads / sessions;
 * - spread: the history is cut into 28-day blocks (from the end back); a
 *   beta-binomial fitted to the block counts by the method of moments gives
 *   the intra-class correlation ρ = 1 / (α + β + 1), i.e. how much more the
 *   rate moves from month to month than binomial sampling alone would make
 *   it. The Beta used is the wider of that one and the plain posterior
 *   Beta(1 + leads, 1 + sessions − leads) under a uniform prior, so a short
 *   or steady history still carries the uncertainty of having few leads.
 * Each simulated draw of a calendar month's leads takes one rate from it.
 */
export interface RateDistribution {
  rate: number;
  alpha: number;
  beta: number;
  leads: number;
  sessions: number;
  /** ρ of the beta-binomial; 0 when the blocks vary no more than binomial noise. */
  overdispersion: number;
  blocks: number;
}

export const RATE_BLOCK_DAYS = 28;

export function rateDistribution(sessions: readonly number[], leads: readonly number[]): RateDistribution | null {
  let s = 0;
  let l = 0;
  for (let i = 0; i < sessions.length; i++) {
    s += sessions[i]!;
    l += leads[i]!;
  }
  if (!(s > 0)) return null;
  const leadsIn = Math.min(l, s);
  const rate = leadsIn / s;
  const posterior = { alpha: 1 + leadsIn, beta: 1 + s - leadsIn };

  const blocks: { s: number; l: number }[] = [];
  for (let end = sessions.length; end - RATE_BLOCK_DAYS >= 0; end -= RATE_BLOCK_DAYS) {
    let bs = 0;
    let bl = 0;
    for (let i = end - RATE_BLOCK_DAYS; i < end; i++) {
      bs += sessions[i]!;
      bl += leads[i]!;
    }
    if (bs > 0) blocks.push({ s: bs, l: bl });
  }
  let rho = 0;
  if (blocks.length >= 3 && rate > 0 && rate < 1) {
    let squares = 0;
    let binomial = 0;
    let pairs = 0;
    for (const b of blocks) {
      squares += (b.l - b.s * rate) ** 2;
      binomial += b.s * rate * (1 - rate);
      pairs += b.s * (b.s - 1);
    }
    // Scale the squares by k/(k−1): the pooled rate was estimated from the same blocks.
    squares *= blocks.length / (blocks.length - 1);
    if (pairs > 0) rho = Math.min(0.5, Math.max(0, (squares - binomial) / (rate * (1 - rate) * pairs)));
  }
  const posteriorVar = variance(posterior.alpha, posterior.beta);
  if (rho > 0) {
    const kappa = 1 / rho - 1;
    const alpha = Math.max(rate * kappa, 1e-3);
    const beta = Math.max((1 - rate) * kappa, 1e-3);
    if (variance(alpha, beta) > posteriorVar) return { rate, alpha, beta, leads: l, sessions: s, overdispersion: rho, blocks: blocks.length };
  }
  return { rate, ...posterior, leads: l, sessions: s, overdispersion: rho, blocks: blocks.length };
}

function variance(a: number, b: number): number {
  return (a * b) / ((a + b) ** 2 * (a + b + 1));
}
