import { CHANNELS } from '../app/domain/channels';
import type { PlanRow } from './factories';
import type { Prng } from './prng';
import { addMonths, formatMonth, monthStart } from './zoned-time';

// Monthly plans as a marketing team would have set them: close to what the
// business actually did, with some optimism and noise, so the plan-vs-actual
// report shows months ahead of and behind plan. Actuals are collected while the
// rows are written; the plans are derived from them at the end.

interface Totals {
  leads: number;
  sales: number;
  /** Whole UAH. */
  revenue: number;
  spendCents: number;
}

const empty = (): Totals => ({ leads: 0, sales: 0, revenue: 0, spendCents: 0 });

interface MonthActuals {
  total: Totals;
  channels: Map<string, Totals>;
  managers: Map<string, Totals>;
}

export class PlanActuals {
  private readonly months = new Map<string, MonthActuals>();

  private month(month: string): MonthActuals {
    let m = this.months.get(month);
    if (!m) {
      m = { total: empty(), channels: new Map(), managers: new Map() };
      this.months.set(month, m);
    }
    return m;
  }

  private slice(map: Map<string, Totals>, key: string): Totals {
    let t = map.get(key);
    if (!t) {
      t = empty();
      map.set(key, t);
    }
    return t;
  }

  get(month: string): MonthActuals | undefined {
    return this.months.get(month);
  }

  addLead(month: string, channel: string | undefined): void {
    const m = this.month(month);
    m.total.leads++;
    if (channel) this.slice(m.channels, channel).leads++;
  }

  addSale(month: string, channel: string | undefined, manager: string, amount: number): void {
    const m = this.month(month);
    for (const t of [m.total, channel ? this.slice(m.channels, channel) : undefined, this.slice(m.managers, manager)]) {
      if (!t) continue;
      t.sales++;
      t.revenue += amount;
    }
  }

  addSpend(month: string, channel: string, cents: number): void {
    const m = this.month(month);
    m.total.spendCents += cents;
    this.slice(m.channels, channel).spendCents += cents;
  }
}

const roundTo = (value: number, step: number): number => Math.max(step, Math.round(value / step) * step);
const money = (uah: number): string => `${Math.round(uah)}.00`;

export function computePlans(
  actuals: PlanActuals,
  opts: { firstMonth: number; endDay: number; rng: Prng; managers: readonly string[] },
): PlanRow[] {
  const { rng } = opts;
  const rows: PlanRow[] = [];
  const lastMonth = monthStart(opts.endDay);
  for (let m = opts.firstMonth; m <= lastMonth; m = addMonths(m, 1)) {
    const month = formatMonth(m);
    const a = actuals.get(month) ?? { total: empty(), channels: new Map<string, Totals>(), managers: new Map<string, Totals>() };
    // The month containing endDate is only partly in the data: plan for the whole month.
    const projection = m === lastMonth ? (addMonths(m, 1) - m) / (opts.endDay - m + 1) : 1;
    // One ambition per month, so a month is ahead or behind across all its rows.
    const ambition = rng.lognormal(1.04, 0.11);

    const plan = (t: Totals, step: number): PlanRow => {
      const leads = t.leads > 0 ? roundTo(t.leads * projection * ambition * rng.lognormal(1, 0.05), step) : undefined;
      const budgetUah = t.spendCents > 0 ? roundTo((t.spendCents / 100) * projection * rng.lognormal(1, 0.05), 1000) : undefined;
      const salesFactor = ambition * rng.lognormal(1, 0.08);
      const sales = t.sales > 0 ? Math.max(1, Math.round(t.sales * projection * salesFactor)) : undefined;
      const revenue = t.revenue > 0 ? roundTo(t.revenue * projection * salesFactor, 1000) : undefined;
      const maxCpl = budgetUah !== undefined && leads !== undefined ? roundTo((budgetUah / leads) * rng.uniform(1.05, 1.25), 10) : undefined;
      return {
        month,
        leads: leads !== undefined ? String(leads) : undefined,
        max_cpl: maxCpl !== undefined ? money(maxCpl) : undefined,
        budget: budgetUah !== undefined ? money(budgetUah) : undefined,
        sales: sales !== undefined ? String(sales) : undefined,
        revenue: revenue !== undefined ? money(revenue) : undefined,
      };
    };

    rows.push(plan(a.total, 5));
    for (const channel of CHANNELS) {
      const t = a.channels.get(channel);
      if (!t || (t.leads === 0 && t.spendCents === 0)) continue;
      rows.push({ ...plan(t, t.leads * projection >= 40 ? 5 : 1), channel });
    }
    for (const manager of opts.managers) {
      const t = a.managers.get(manager);
      if (!t || t.sales === 0) continue;
      const p = plan({ ...t, leads: 0, spendCents: 0 }, 1);
      rows.push({ month, manager, sales: p.sales, revenue: p.revenue });
    }
  }
  return rows;
}
