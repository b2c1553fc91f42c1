// Time in a workspace time zone without a date library. Instants are UTC
// epoch milliseconds; calendar dates are day numbers (days since 1970-01-01 in
// the local calendar). Every timestamp is formatted from an instant, so the
// printed offset is always the zone's offset at that instant (DST included).

const MINUTE = 60_000;
export const DAY_MS = 86_400_000;

export function parseDate(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`Expected YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const day = ms / DAY_MS;
  if (formatDate(day) !== date) throw new RangeError(`Not a calendar date: ${date}`);
  return day;
}

export function formatDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 'YYYY-MM' of a day number. */
export function formatMonth(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 7);
}

/** 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

export function dateParts(day: number): { year: number; month: number; dayOfMonth: number; dayOfYear: number } {
  const d = new Date(day * DAY_MS);
  const year = d.getUTCFullYear();
  return {
    year,
    month: d.getUTCMonth() + 1,
    dayOfMonth: d.getUTCDate(),
    dayOfYear: day - Date.UTC(year, 0, 1) / DAY_MS + 1,
  };
}

/** Day number of the first day of the month containing `day`. */
export function monthStart(day: number): number {
  const d = new Date(day * DAY_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY_MS;
}

export function addMonths(day: number, months: number): number {
  const d = new Date(day * DAY_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1) / DAY_MS;
}

export class ZonedClock {
  private readonly dtf: Intl.DateTimeFormat;
  private readonly days = new Map<number, { before: number; changeAt: number | undefined; after: number }>();
  private readonly suffixes = new Map<number, string>();

  constructor(readonly timeZone: string) {
    this.dtf = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }

  /** UTC offset of the zone at `instant`, in minutes (+120 for Kyiv in winter). */
  offsetMinutes(instant: number): number {
    // Offsets change at most once a day (DST), so each UTC day is cached as
    // its offset and, on transition days, the instant of the change.
    const day = Math.floor(instant / DAY_MS);
    let entry = this.days.get(day);
    if (entry === undefined) {
      entry = this.describeDay(day);
      this.days.set(day, entry);
    }
    return entry.changeAt !== undefined && instant >= entry.changeAt ? entry.after : entry.before;
  }

  /** ISO 8601 with seconds and the zone's offset at that instant: 2026-03-01T09:15:00+02:00. */
  format(instant: number): string {
    const offset = this.offsetMinutes(instant);
    const wall = new Date(Math.floor(instant / 1000) * 1000 + offset * MINUTE).toISOString().slice(0, 19);
    return wall + this.suffix(offset);
  }

  /** Local wall-clock time as epoch ms "as if UTC" (for hour-of-day and date arithmetic). */
  toWall(instant: number): number {
    return instant + this.offsetMinutes(instant) * MINUTE;
  }

  /** Local day number of an instant. */
  dayOf(instant: number): number {
    return Math.floor(this.toWall(instant) / DAY_MS);
  }

  /** Local hour (0-23) of an instant. */
  hourOf(instant: number): number {
    return Math.floor((this.toWall(instant) % DAY_MS) / 3_600_000);
  }

  /**
   * The instant at which local clocks show `day` + `secondsOfDay`. A wall time
   * skipped by a DST gap resolves to a nearby real instant; ambiguous wall times
   * (autumn) resolve to one of the two.
   */
  toInstant(day: number, secondsOfDay: number): number {
    const wall = day * DAY_MS + Math.round(secondsOfDay) * 1000;
    const guess = wall - this.offsetMinutes(wall) * MINUTE;
    return wall - this.offsetMinutes(guess) * MINUTE;
  }

  /** First instant of a local day. */
  startOfDay(day: number): number {
    return this.toInstant(day, 0);
  }

  private suffix(offset: number): string {
    let s = this.suffixes.get(offset);
    if (s === undefined) {
      const sign = offset < 0 ? '-' : '+';
      const abs = Math.abs(offset);
      s = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
      this.suffixes.set(offset, s);
    }
    return s;
  }

  private describeDay(day: number): { before: number; changeAt: number | undefined; after: number } {
    const start = day * DAY_MS;
    const before = this.computeOffset(start);
    const after = this.computeOffset(start + DAY_MS);
    if (before === after) return { before, changeAt: undefined, after };
    // Binary search for the first minute with the new offset.
    let lo = start;
    let hi = start + DAY_MS;
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
      if (this.computeOffset(mid) === before) lo = mid;
      else hi = mid;
    }
    return { before, changeAt: hi, after };
  }

  private computeOffset(instant: number): number {
    const parts: Record<string, number> = {};
    for (const p of this.dtf.formatToParts(new Date(instant))) {
      if (p.type !== 'literal') parts[p.type] = Number(p.value);
    }
    const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
    return Math.round((wall - instant) / MINUTE);
  }
}
