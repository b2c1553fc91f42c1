import { DEFAULT_PIPELINE } from '../app/domain/pipeline';
import { JUNK_REASONS, LOSS_REASONS_EARLY, LOSS_REASONS_LATE, PRODUCTS, type Manager, type Product } from './catalog';
import type { Prng } from './prng';
import { DAY_MS, weekdayOf, type ZonedClock } from './zoned-time';

// What happens to a lead after it is created: first contact, the stages it
// passes (some skipped), and how it closes. The whole future is simulated at
// creation; `asOf` then cuts it at "now", which leaves recent leads open, so
// the dashboard shows cohorts maturing.

export type Stage = (typeof DEFAULT_PIPELINE)[number];
export type Temperature = 'cold' | 'warm' | 'hot';
export type Outcome = 'open' | 'won' | 'lost' | 'junk';

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Office hours by weekday (Monday first); Sunday closed. */
const WORKING_HOURS: readonly (readonly [open: number, close: number] | null)[] = [
  [9, 19], [9, 19], [9, 19], [9, 19], [9, 19], [10, 16], null,
];

export function isWorkingTime(clock: ZonedClock, instant: number): boolean {
  const wall = clock.toWall(instant);
  const day = Math.floor(wall / DAY_MS);
  const hours = (wall - day * DAY_MS) / HOUR;
  const w = WORKING_HOURS[weekdayOf(day)];
  return !!w && hours >= w[0] && hours < w[1];
}

/** `instant` itself if the office is open, else the next opening. */
export function nextWorkingTime(clock: ZonedClock, instant: number): number {
  const wall = clock.toWall(instant);
  let day = Math.floor(wall / DAY_MS);
  let seconds = (wall - day * DAY_MS) / 1000;
  for (let i = 0; i < 8; i++) {
    const w = WORKING_HOURS[weekdayOf(day)];
    if (w) {
      if (seconds < w[0] * 3600) return clock.toInstant(day, w[0] * 3600);
      if (seconds < w[1] * 3600) return instant;
    }
    day++;
    seconds = 0;
  }
  throw new Error('no working hours in a week');
}

/** Work that lands outside office hours waits for the next opening (plus the time to get to it). */
function atWork(clock: ZonedClock, rng: Prng, instant: number): number {
  const next = nextWorkingTime(clock, instant);
  return next === instant ? instant : next + rng.uniform(3, 50) * MINUTE;
}

export interface StageEntry {
  stage: Stage;
  at: number;
  /** Who moved the lead; none when the system created it. */
  manager: string | undefined;
}

export interface Lifecycle {
  stages: StageEntry[];
  outcome: Outcome;
  lossReason?: string;
  /** Whole UAH, won leads only. */
  amount?: number;
  closedAt?: number;
}

export interface LifecycleInput {
  createdAt: number;
  manager: Manager;
  temperature: Temperature;
  product: Product;
  isRepeat: boolean;
  /** Chance the lead turns out to be junk (depends on the channel). */
  junkRate: number;
  /** Known junk, e.g. a double form submission. */
  forcedJunk?: string;
  /** An answered call is the first contact. */
  contactedAt?: number;
  /** The manager created the lead by hand (trade show, walk-in). */
  createdByManager: boolean;
}

const WIN_RATE: Record<Temperature, number> = { cold: 0.045, warm: 0.15, hot: 0.38 };
const PACE: Record<Temperature, number> = { cold: 1.6, warm: 1.0, hot: 0.6 };

export function simulateLifecycle(input: LifecycleInput, rng: Prng, clock: ZonedClock): Lifecycle {
  const { manager, temperature } = input;
  const who = manager.name;
  const stages: StageEntry[] = [{ stage: 'new', at: input.createdAt, manager: input.createdByManager ? who : undefined }];
  const pace = PACE[temperature];
  const gap = (medianHours: number, sigma: number): number => rng.lognormal(medianHours * pace, sigma) * HOUR;

  const contactedAt = Math.max(
    input.createdAt + MINUTE,
    input.contactedAt ??
      atWork(clock, rng, nextWorkingTime(clock, input.createdAt) + rng.lognormal(manager.responseMedianMin, 0.9) * MINUTE),
  );
  const responseHours = (contactedAt - input.createdAt) / HOUR;

  const junkChance = input.forcedJunk
    ? 1
    : input.junkRate * (temperature === 'cold' ? 1.3 : temperature === 'hot' ? 0.55 : 1);
  if (rng.bernoulli(junkChance)) {
    const reason = input.forcedJunk ?? rng.weighted(JUNK_REASONS);
    // Obvious junk (duplicates, tests, spam forms) is closed without a call.
    const callsFirst = !input.forcedJunk && (reason === 'wrong_number' || rng.bernoulli(0.45));
    if (callsFirst) {
      stages.push({ stage: 'contacted', at: contactedAt, manager: who });
      return { stages, outcome: 'junk', lossReason: reason, closedAt: contactedAt + rng.uniform(1, 40) * MINUTE };
    }
    return { stages, outcome: 'junk', lossReason: reason, closedAt: atWork(clock, rng, input.createdAt + rng.uniform(5, 240) * MINUTE) };
  }

  // Speed to lead matters: the same manager wins more when the call comes fast.
  const speed = responseHours <= 0.25 ? 1.15 : responseHours <= 2 ? 1.0 : responseHours <= 24 ? 0.85 : 0.7;
  const winChance = Math.min(
    0.9,
    WIN_RATE[temperature] * manager.winFactor * PRODUCTS[input.product].winFactor * speed * (input.isRepeat ? 1.4 : 1),
  );
  const roll = rng.next();
  const fate: 'won' | 'lost' | 'stalled' = roll < winChance ? 'won' : roll < winChance + 0.035 ? 'stalled' : 'lost';

  // The furthest stage before closing; lost and stalled leads stop somewhere on the way.
  const lastIndex =
    fate === 'won'
      ? DEFAULT_PIPELINE.length - 1
      : rng.weighted<number>([[1, 0.36], [2, 0.22], [3, 0.27], [4, 0.15]]);

  const skipChance: Partial<Record<Stage, number>> = {
    contacted: input.contactedAt !== undefined ? 0 : 0.04,
    qualified: 0.15,
    negotiation: 0.3,
  };
  // Qualifying call, measurement visit and quote, haggling, signing: windows take weeks.
  const medianHoursInto: Record<Stage, number> = { new: 0, contacted: 0, qualified: 24, proposal: 96, negotiation: 96, won: 120 };

  let at = input.createdAt;
  for (let i = 1; i <= lastIndex; i++) {
    const stage = DEFAULT_PIPELINE[i]!;
    const isLast = i === lastIndex;
    const skipped = !isLast && rng.bernoulli(skipChance[stage] ?? 0);
    // Even when nobody records 'contacted', later stages follow the first contact.
    at = stage === 'contacted' ? contactedAt : Math.max(at + MINUTE, atWork(clock, rng, at + gap(medianHoursInto[stage], 0.85)));
    if (!skipped) stages.push({ stage, at, manager: who });
  }

  if (fate === 'won') {
    return { stages, outcome: 'won', amount: dealAmount(input.product, input.isRepeat, rng), closedAt: at };
  }
  if (fate === 'stalled') return { stages, outcome: 'open' };
  const reason = rng.weighted(lastIndex <= 1 ? LOSS_REASONS_EARLY : LOSS_REASONS_LATE);
  return { stages, outcome: 'lost', lossReason: reason, closedAt: atWork(clock, rng, at + gap(120, 1.0)) };
}

function dealAmount(product: Product, isRepeat: boolean, rng: Prng): number {
  const { median, sigma } = PRODUCTS[product];
  // Returning customers mostly order smaller add-ons (a door, a balcony window).
  const m = isRepeat ? median * 0.7 : median;
  for (let i = 0; i < 20; i++) {
    const value = Math.round(rng.lognormal(m, sigma) / 10) * 10;
    if (value >= 8_000 && value <= 120_000) return value;
  }
  return Math.round(m / 10) * 10;
}

/** The lifecycle as the CRM shows it at `now`: later stage entries and a later close are not known yet. */
export function asOf(lifecycle: Lifecycle, now: number): Lifecycle {
  const stages = lifecycle.stages.filter((s) => s.at < now);
  if (lifecycle.closedAt !== undefined && lifecycle.closedAt < now) return { ...lifecycle, stages };
  return { stages, outcome: 'open' };
}
