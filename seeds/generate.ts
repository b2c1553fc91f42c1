import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  CALL_HOURS, CALL_WEEKDAYS, DEMO_WORKSPACE, DEVICE_WEIGHTS, EXPOS, GENERAL_PAGES, MANAGERS, POOL_NUMBERS,
  PRODUCT_PAGES, PRODUCT_WEIGHTS, REGIONS, SESSION_HOURS, SESSION_WEEKDAYS, SITE, STATIC_LINES, TOUCHES, touchByKey,
  type AdGroup, type Device, type Manager, type Product, type Region, type StaticLine, type Touch,
} from './catalog';
import { CsvWriter, FILE_NAMES, KINDS, type Kind, type LeadRow, type SessionRow } from './factories';
import { asOf, isWorkingTime, nextWorkingTime, simulateLifecycle, type Lifecycle, type Temperature } from './lead-lifecycle';
import {
  CALLER_PHONE_STYLES, CRM_PHONE_STYLES, emailOf, formatPhone, nameOf, phoneOf,
} from './people';
import { PlanActuals, computePlans } from './plans';
import { Prng, WeightedTable, type Weighted } from './prng';
import {
  addMonths, DAY_MS, dateParts, formatDate, formatMonth, monthStart, parseDate, weekdayOf, ZonedClock,
} from './zoned-time';

// Deterministic demo/test data: a simulated business, visitor by visitor and
// day by day, written straight to the canonical CSV files. Nothing is kept
// for the whole range except small aggregates (plans) and the visitors,
// calls and customers that are still due to come back, so the large scale
// streams millions of rows in flat memory.

export { DEMO_WORKSPACE } from './catalog';

export type Scale = 'small' | 'demo' | 'large';

export interface GenerateSeedOptions {
  scale: Scale;
  seed: number;
  outDir: string;
  /** Last day of data, inclusive (YYYY-MM-DD, workspace time zone). */
  endDate: string;
  /** Default: Europe/Kyiv. */
  timeZone?: string;
}

export interface SeedSummary {
  files: Record<Kind, { path: string; rows: number }>;
  startDate: string;
  endDate: string;
}

interface ScaleConfig {
  days: number;
  /** Target number of sessions in the range. */
  sessions: number;
  /** Multiplier on the chance that a visit converts. */
  convMult: number;
  /** Multiplier on offline lines, inbound e-mails, walk-ins, trade shows and offline budgets. */
  staticMult: number;
  /** Newsletter list at the start of the range. */
  initialSubscribers: number;
}

export const SCALES: Readonly<Record<Scale, ScaleConfig>> = {
  small: { days: 60, sessions: 3_000, convMult: 1.3, staticMult: 0.35, initialSubscribers: 300 },
  demo: { days: 365, sessions: 50_000, convMult: 0.92, staticMult: 1, initialSubscribers: 1_500 },
  large: { days: 730, sessions: 5_000_000, convMult: 0.53, staticMult: 14, initialSubscribers: 100_000 },
};

/** Days simulated before the range and not written, so the range opens with returning visitors. */
const BURN_IN_DAYS = 45;
/** Average sessions per new visitor (returns included), measured; used to size daily arrivals. */
const SESSIONS_PER_VISITOR = 1.68;

const MINUTE = 60_000;
const HOUR = 3_600_000;

type Intent = 0 | 1 | 2; // just looking, researching, ready to buy
const INTENTS: Weighted<Intent> = [[0, 0.6], [1, 0.32], [2, 0.08]];
const INTENT_CONVERSION = [0.002, 0.025, 0.18] as const;
const INTENT_PAGEVIEWS = [0.5, 2.2, 3.5] as const;
/** Clicks from one newsletter issue on the send day and the days after, per subscriber. */
const EMAIL_CLICK_DECAY = [0.022, 0.009, 0.004, 0.002, 0.0015, 0.001, 0.001] as const;

interface Person {
  national: string;
  email: string | undefined;
  region: Region;
  customerId: string | undefined;
  manager: Manager | undefined;
  visitor: Visitor | undefined;
  lastWonAt: number;
}

interface Visitor {
  id: string;
  region: Region;
  device: Device;
  intent: Intent;
  product: Product;
  firstTouch: Touch;
  lastNonDirect: Touch | undefined;
  visits: number;
  converted: boolean;
  subscribed: boolean;
  person: Person | undefined;
}

interface SessionEvent {
  seq: number;
  t: number;
  visitor: Visitor;
  touch: Touch;
  content: string | undefined;
  term: string | undefined;
  adGroup: string | undefined;
  landing: string;
  referrer: string;
  region: string;
  pageviews: number;
  forced?: { person: Person | undefined; test: boolean };
  id?: string;
}

interface CallEvent {
  seq: number;
  t: number;
  phone: string;
  trackingNumber: string;
  session: SessionEvent | undefined;
  duration: number;
  status: 'answered' | 'missed';
  manager: Manager | undefined;
  region: string;
  id?: string;
}

interface LeadEvent {
  seq: number;
  t: number;
  kind: 'form' | 'call' | 'chat' | 'email' | 'manual';
  session: SessionEvent | undefined;
  call: CallEvent | undefined;
  phone: string | undefined;
  email: string | undefined;
  source: string | undefined;
  medium: string | undefined;
  campaign: string | undefined;
  region: Region;
  manager: Manager;
  product: Product;
  customerId: string | undefined;
  temperature: Temperature;
  lifecycle: Lifecycle;
  planChannel: string | undefined;
  paysPartner: boolean;
  id?: string;
}

interface TouchTables {
  acquisition: WeightedTable<Touch>;
  return: WeightedTable<Touch>;
}

interface DayBuffer {
  sessions: SessionEvent[];
  calls: CallEvent[];
  leads: LeadEvent[];
}

interface LeadParams {
  kind: LeadEvent['kind'];
  t: number;
  person: Person | undefined;
  region: Region;
  session?: SessionEvent;
  call?: CallEvent;
  manager?: Manager;
  product?: Product;
  /** Where the lead came from, for temperature and junk rate. */
  origin: { junkRate: number; temperature: readonly [number, number, number] };
  intent?: Intent;
  explicit?: { source: string; medium: string; campaign: string };
  forcedJunk?: string;
  contactedAt?: number;
  createdByManager?: boolean;
  planChannel: string | undefined;
  paysPartner?: boolean;
  phone?: 'always' | 'often' | 'sometimes' | 'never';
  emailChance?: number;
}

class HourSampler {
  private readonly cumulative: number[];
  private readonly total: number;
  constructor(weights: readonly number[]) {
    let sum = 0;
    this.cumulative = weights.map((w) => (sum += w));
    this.total = sum;
  }
  hour(rng: Prng): number {
    const r = rng.next() * this.total;
    for (let h = 0; h < this.cumulative.length; h++) if (r < this.cumulative[h]!) return h;
    return this.cumulative.length - 1;
  }
}

const SESSION_SAMPLER = new HourSampler(SESSION_HOURS);
const EMAIL_SEND_DAY_SAMPLER = new HourSampler(SESSION_HOURS.map((w, h) => (h < 10 ? 0 : w)));
const CALL_SAMPLER = new HourSampler(CALL_HOURS);
const OFFICE_SAMPLER = new HourSampler(CALL_HOURS.map((w, h) => (h >= 10 && h < 18 ? w : 0)));

const TEAMS: ReadonlyMap<string, readonly Manager[]> = (() => {
  const teams = new Map<string, Manager[]>();
  for (const m of MANAGERS) teams.set(m.team, [...(teams.get(m.team) ?? []), m]);
  return teams;
})();
const REGION_WEIGHTS: Weighted<Region> = REGIONS.map((r) => [r, r.weight] as const);
const KYIV = REGIONS.find((r) => r.name === 'Kyiv')!;
const NON_KYIV_WEIGHTS: Weighted<Region> = REGION_WEIGHTS.filter(([r]) => r !== KYIV);
const DIRECT = touchByKey('direct');
const EMAIL = touchByKey('email');
const ADMITAD = touchByKey('admitad_windows');
const PAID_TOUCHES = TOUCHES.filter((t) => t.cpc !== undefined || t.payoutPerLead !== undefined);
// Lists picked from for every visit are prepared once.
const AD_GROUP_TABLES: ReadonlyMap<Touch, WeightedTable<AdGroup>> = new Map(
  TOUCHES.filter((t) => t.adGroups).map((t) => [t, new WeightedTable(t.adGroups!.map((g) => [g, g.weight] as const))]),
);
const DEVICE_TABLES: ReadonlyMap<Touch, WeightedTable<Device>> = new Map(
  TOUCHES.map((t) => [t, new WeightedTable(t.devices ?? DEVICE_WEIGHTS)]),
);
const REGION_TABLE = new WeightedTable(REGION_WEIGHTS);
const INTENT_TABLE = new WeightedTable(INTENTS);
const PRODUCT_TABLE = new WeightedTable(PRODUCT_WEIGHTS);
const GENERAL_PAGE_TABLE = new WeightedTable(GENERAL_PAGES);

const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const UTM_PREFIX: ReadonlyMap<Touch, string> = new Map(
  TOUCHES.map((t) => [t, `?utm_source=${t.source}&utm_medium=${t.medium}&utm_campaign=${t.campaign}`]),
);
const encodedTerms = new Map<string, string>();
function encodedTerm(term: string): string {
  let e = encodedTerms.get(term);
  if (e === undefined) {
    e = encodeURIComponent(term);
    encodedTerms.set(term, e);
  }
  return e;
}

function seasonOf(day: number): number {
  return 1 + 0.3 * Math.cos((2 * Math.PI * (dateParts(day).dayOfYear - 165)) / 365.25);
}

function holidayOf(day: number): number {
  const { month, dayOfMonth } = dateParts(day);
  if (month === 1 && dayOfMonth <= 7) return 0.55;
  if (month === 12 && dayOfMonth >= 24) return 0.8;
  return 1;
}

function isNewsletterDay(day: number): boolean {
  return weekdayOf(day) === 1 && Math.floor(day / 7) % 2 === 0;
}

class SeedSimulation {
  private readonly rng: Prng;
  private readonly clock: ZonedClock;
  private readonly startDay: number;
  private readonly endDay: number;
  private readonly now: number;
  private readonly newVisitorsBase: number;
  private readonly phoneSalt: number;

  private visitorSeq = 0;
  private sessionSeq = 0;
  private callSeq = 0;
  private leadSeq = 0;
  private personSeq = 0;
  private customerSeq = 0;
  private eventSeq = 0;

  private readonly pendingVisits = new Map<number, Visitor[]>();
  private readonly pendingCalls = new Map<number, CallEvent[]>();
  private readonly pendingCustomers = new Map<number, Person[]>();
  private readonly subscribers: Visitor[] = [];
  private readonly maxSubscribers: number;
  private readonly roundRobin = new Map<string, number>();
  readonly actuals = new PlanActuals();

  constructor(
    private readonly cfg: ScaleConfig,
    seed: number,
    timeZone: string,
    endDate: string,
    private readonly writers: { [K in Kind]: CsvWriter<K> },
  ) {
    this.rng = new Prng(seed);
    this.phoneSalt = this.rng.int(0, 9_999_999);
    this.clock = new ZonedClock(timeZone);
    this.endDay = parseDate(endDate);
    this.startDay = this.endDay - cfg.days + 1;
    this.now = this.clock.startOfDay(this.endDay + 1);
    let factorSum = 0;
    for (let d = this.startDay; d <= this.endDay; d++) factorSum += this.sessionFactor(d);
    // Newsletter visits come on top of arrivals; take their ~4% out of the target.
    this.newVisitorsBase = (cfg.sessions * 0.96) / (SESSIONS_PER_VISITOR * factorSum);
    this.maxSubscribers = cfg.initialSubscribers * 2;
    for (let i = 0; i < cfg.initialSubscribers; i++) {
      const v = this.newVisitor(this.rng.weighted(REGION_WEIGHTS), touchByKey('google_organic'));
      v.intent = 1;
      v.subscribed = true;
      this.subscribers.push(v);
    }
  }

  get range(): { startDate: string; endDate: string } {
    return { startDate: formatDate(this.startDay), endDate: formatDate(this.endDay) };
  }

  async run(): Promise<void> {
    await this.writeTrackingNumbers();
    for (let day = this.startDay - BURN_IN_DAYS; day <= this.endDay; day++) await this.runDay(day);
    await this.writers.plans.writeAll(
      computePlans(this.actuals, {
        firstMonth: this.startDay === monthStart(this.startDay) ? this.startDay : addMonths(this.startDay, 1),
        endDay: this.endDay,
        rng: this.rng.fork('plans'),
        managers: MANAGERS.map((m) => m.name),
      }),
    );
  }

  // ---------------------------------------------------------------- volume

  private growth(day: number): number {
    return Math.exp((0.18 * (day - this.startDay)) / 365);
  }

  private sessionFactor(day: number): number {
    return seasonOf(day) * SESSION_WEEKDAYS[weekdayOf(day)]! * holidayOf(day) * this.growth(day);
  }

  private callFactor(day: number): number {
    return seasonOf(day) * CALL_WEEKDAYS[weekdayOf(day)]! * holidayOf(day) * this.growth(day);
  }

  private touchActive(touch: Touch, day: number): boolean {
    if (touch.months && !touch.months.includes(dateParts(day).month)) return false;
    if (touch.activeUntilDaysBeforeEnd !== undefined && day > this.endDay - touch.activeUntilDaysBeforeEnd) return false;
    return true;
  }

  private lineActive(line: StaticLine, day: number): boolean {
    if (line.activeFromDaysBeforeEnd !== undefined && day < this.endDay - line.activeFromDaysBeforeEnd) return false;
    if (line.activeUntilDaysBeforeEnd !== undefined && day > this.endDay - line.activeUntilDaysBeforeEnd) return false;
    return true;
  }

  private sampleTime(day: number, sampler: HourSampler): number {
    return this.clock.toInstant(day, sampler.hour(this.rng) * 3600 + Math.floor(this.rng.next() * 3600));
  }

  // ---------------------------------------------------------------- people

  private newVisitor(region: Region, firstTouch: Touch, device?: Device): Visitor {
    return {
      id: `v_${++this.visitorSeq}`,
      region,
      device: device ?? DEVICE_TABLES.get(firstTouch)!.pick(this.rng),
      intent: INTENT_TABLE.pick(this.rng),
      product: PRODUCT_TABLE.pick(this.rng),
      firstTouch,
      lastNonDirect: undefined,
      visits: 0,
      converted: false,
      subscribed: false,
      person: undefined,
    };
  }

  private newPerson(region: Region, withEmail = 0.5): Person {
    const index = ++this.personSeq;
    const name = nameOf(this.rng);
    return {
      national: phoneOf(index, this.phoneSalt),
      email: this.rng.bernoulli(withEmail) ? emailOf(index, name, this.rng) : undefined,
      region,
      customerId: undefined,
      manager: undefined,
      visitor: undefined,
      lastWonAt: Number.POSITIVE_INFINITY,
    };
  }

  private assignManager(region: Region): Manager {
    const team = TEAMS.get(region.team) ?? TEAMS.get('Kyiv')!;
    // Mostly round-robin; sometimes whoever is free picks the lead up.
    if (this.rng.bernoulli(0.12)) return this.rng.pick(team);
    const i = this.roundRobin.get(region.team) ?? 0;
    this.roundRobin.set(region.team, i + 1);
    return team[i % team.length]!;
  }

  private subscribe(v: Visitor): void {
    if (v.subscribed) return;
    v.subscribed = true;
    if (this.subscribers.length < this.maxSubscribers) this.subscribers.push(v);
    else this.subscribers[this.rng.int(0, this.subscribers.length - 1)] = v;
  }

  // ---------------------------------------------------------------- touches

  private acquisitionTouch(region: Region): Touch {
    return this.touchTables(region).acquisition.pick(this.rng);
  }

  private returnTouch(v: Visitor): Touch {
    const first = v.firstTouch;
    if (first !== DIRECT && this.today.active.has(first) && this.fitsRegion(first, v.region) && this.rng.bernoulli(0.08)) {
      return first;
    }
    return this.touchTables(v.region).return.pick(this.rng);
  }

  private fitsRegion(t: Touch, region: Region): boolean {
    return (t.region === undefined || t.region === region.name) && t.excludeRegion !== region.name;
  }

  /** Touches running today; weight lists are cached per set of running touches. */
  private today: { active: ReadonlySet<Touch>; key: string; tables: Map<Region, TouchTables> } = {
    active: new Set(),
    key: '',
    tables: new Map(),
  };
  private readonly tableCache = new Map<string, TouchTables>();

  private beginDay(day: number): void {
    const active = new Set(TOUCHES.filter((t) => this.touchActive(t, day)));
    this.today = { active, key: TOUCHES.map((t) => (active.has(t) ? '1' : '0')).join(''), tables: new Map() };
  }

  private touchTables(region: Region): TouchTables {
    let tables = this.today.tables.get(region);
    if (tables) return tables;
    const key = `${region.name}|${this.today.key}`;
    tables = this.tableCache.get(key);
    if (!tables) {
      const table = (field: 'acquisitionWeight' | 'returnWeight') =>
        new WeightedTable(
          TOUCHES.filter((t) => this.today.active.has(t) && this.fitsRegion(t, region)).map((t) => [t, t[field]] as const),
        );
      tables = { acquisition: table('acquisitionWeight'), return: table('returnWeight') };
      this.tableCache.set(key, tables);
    }
    this.today.tables.set(region, tables);
    return tables;
  }

  private makeSession(v: Visitor, t: number, touch: Touch, content?: string): SessionEvent {
    const rng = this.rng;
    let adGroup: AdGroup | undefined;
    let ad: string | undefined;
    let term: string | undefined;
    if (touch.adGroups) {
      adGroup = AD_GROUP_TABLES.get(touch)!.pick(rng);
      if (adGroup.ads) ad = rng.pick(adGroup.ads);
      if (adGroup.terms) term = rng.pick(adGroup.terms);
      if (adGroup.product && v.visits === 0) v.product = adGroup.product;
    } else if (touch === ADMITAD) {
      ad = `pub_${rng.int(1, 12) * 1371}`;
    }
    if (content !== undefined) ad = content;

    const isCampaign = touch.campaign !== '';
    const path =
      adGroup?.product !== undefined
        ? rng.pick(PRODUCT_PAGES[adGroup.product])
        : isCampaign && touch !== EMAIL
          ? rng.pick(PRODUCT_PAGES[v.product])
          : touch === EMAIL
            ? '/akciyi/'
            : rng.bernoulli(0.45)
              ? rng.pick(PRODUCT_PAGES[v.product])
              : GENERAL_PAGE_TABLE.pick(rng);
    let landing = SITE + path;
    if (isCampaign) {
      landing += UTM_PREFIX.get(touch)!;
      if (ad) landing += `&utm_content=${ad}`;
      if (term) landing += `&utm_term=${encodedTerm(term)}`;
      switch (touch.clickId) {
        case 'gclid':
          landing += `&gclid=EAIaIQobChMI${rng.token(24, URL_SAFE)}`;
          break;
        case 'yclid':
          landing += `&yclid=${rng.int(1_000_000, 9_999_999)}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;
          break;
        case 'fbclid':
          landing += `&fbclid=IwAR${rng.token(28, URL_SAFE)}`;
          break;
        case 'admitad_uid':
          landing += `&admitad_uid=${rng.token(32, '0123456789abcdef')}`;
          break;
        case undefined:
          break;
      }
    }
    return {
      seq: ++this.eventSeq,
      t,
      visitor: v,
      touch,
      content: ad,
      term,
      adGroup: adGroup?.name,
      landing,
      referrer: rng.pick(touch.referrers),
      region: rng.bernoulli(0.015) ? '' : v.region.name,
      pageviews: 1 + rng.poisson(INTENT_PAGEVIEWS[v.intent]),
    };
  }

  /** Return visits over the following days and weeks. */
  private planReturns(v: Visitor, day: number, first: SessionEvent, buf: DayBuffer): void {
    const rng = this.rng;
    const count =
      v.intent === 0 ? (rng.bernoulli(0.1) ? 1 : 0) : v.intent === 1 ? 1 + rng.poisson(0.6) : rng.poisson(1.5);
    let d = day;
    for (let i = 0; i < count; i++) {
      if (i === 0 && rng.bernoulli(0.15)) {
        // Back the same day, a few hours later.
        const t = first.t + rng.uniform(0.3, 5) * HOUR;
        if (this.clock.dayOf(t) === day) {
          buf.sessions.push(this.makeSession(v, t, this.returnTouch(v)));
          continue;
        }
      }
      d += Math.max(1, Math.round(rng.lognormal(3, 1.0)));
      if (d - day > 75) break;
      const list = this.pendingVisits.get(d);
      if (list) list.push(v);
      else this.pendingVisits.set(d, [v]);
    }
  }

  // ---------------------------------------------------------------- one day

  private async runDay(day: number): Promise<void> {
    const rng = this.rng;
    const emitting = day >= this.startDay;
    this.beginDay(day);
    const buf: DayBuffer = { sessions: [], calls: this.pendingCalls.get(day) ?? [], leads: [] };
    this.pendingCalls.delete(day);

    // New visitors.
    const arrivals = rng.poisson(this.newVisitorsBase * this.sessionFactor(day) * rng.lognormal(1, 0.08));
    for (let i = 0; i < arrivals; i++) {
      const region = REGION_TABLE.pick(rng);
      const touch = this.acquisitionTouch(region);
      const v = this.newVisitor(region, touch);
      const s = this.makeSession(v, this.sampleTime(day, SESSION_SAMPLER), touch);
      buf.sessions.push(s);
      this.planReturns(v, day, s, buf);
    }

    // Returning visitors.
    for (const v of this.pendingVisits.get(day) ?? []) {
      buf.sessions.push(this.makeSession(v, this.sampleTime(day, SESSION_SAMPLER), this.returnTouch(v)));
    }
    this.pendingVisits.delete(day);

    // Newsletter clicks: each issue brings visits on its send day and a few days after.
    for (let k = 0; k < EMAIL_CLICK_DECAY.length; k++) {
      if (!isNewsletterDay(day - k) || this.subscribers.length === 0) continue;
      const clicks = rng.poisson(this.subscribers.length * EMAIL_CLICK_DECAY[k]!);
      const issue = `issue_${formatDate(day - k).replaceAll('-', '_')}`;
      for (let i = 0; i < clicks; i++) {
        const v = rng.pick(this.subscribers);
        const t = this.sampleTime(day, k === 0 ? EMAIL_SEND_DAY_SAMPLER : SESSION_SAMPLER);
        buf.sessions.push(this.makeSession(v, t, EMAIL, issue));
      }
    }

    // Customers with an earlier won deal come back for another order.
    for (const person of this.pendingCustomers.get(day) ?? []) this.customerReturns(person, day, buf);
    this.pendingCustomers.delete(day);

    // Staff testing the site form now and then.
    if (rng.bernoulli(0.03)) {
      const v = this.newVisitor(KYIV, DIRECT, 'desktop');
      v.intent = 0;
      const s = this.makeSession(v, this.sampleTime(day, OFFICE_SAMPLER), DIRECT);
      s.landing = `${SITE}/kontakty/?test=1`;
      s.forced = { person: undefined, test: true };
      buf.sessions.push(s);
    }

    buf.sessions.sort(byTime);
    for (const s of buf.sessions) this.visit(s, buf);

    this.offlineCalls(day, buf);
    this.inboundWithoutVisit(day, buf);

    if (emitting) await this.emitDay(day, buf);
  }

  private visit(s: SessionEvent, buf: DayBuffer): void {
    const v = s.visitor;
    v.visits++;
    if (s.touch !== DIRECT) v.lastNonDirect = s.touch;
    if (s.forced) {
      this.convert(s, buf, s.forced.person, s.forced.test);
      return;
    }
    if (!v.converted) {
      const visitFactor = v.visits === 1 ? 0.7 : v.visits === 2 ? 1.15 : 1.4;
      const p = this.cfg.convMult * INTENT_CONVERSION[v.intent] * s.touch.convFactor * visitFactor;
      if (this.rng.bernoulli(p)) this.convert(s, buf);
    }
    if (!v.subscribed && v.intent > 0 && this.rng.bernoulli(0.012)) this.subscribe(v);
  }

  /** A visit turns into a lead: a site form, a call to the number shown on the page, or a chat. */
  private convert(s: SessionEvent, buf: DayBuffer, forcedPerson?: Person, isTest = false): void {
    const rng = this.rng;
    const v = s.visitor;
    const hour = this.clock.hourOf(s.t);
    const night = hour < 8 || hour >= 21;
    const kind: 'form' | 'call' | 'chat' =
      s.forced !== undefined
        ? 'form'
        : rng.weighted([['form', 0.5], ['call', (v.device === 'mobile' ? 0.32 : 0.18) * (night ? 0.25 : 1)], ['chat', 0.14]]);
    const attribution = v.lastNonDirect ?? s.touch;
    const origin = { junkRate: attribution.junkRate, temperature: attribution.temperature };
    const planChannel = attribution.channel;
    const paysPartner = attribution === ADMITAD;

    if (isTest) {
      this.createLead(buf, {
        kind: 'form', t: s.t + rng.uniform(1, 4) * MINUTE, person: undefined, region: KYIV, session: s, origin,
        forcedJunk: 'test', planChannel, phone: 'never', emailChance: 1,
      });
      return;
    }

    const person = forcedPerson ?? v.person ?? this.newPerson(v.region);
    v.person = person;
    person.visitor ??= v;
    v.converted = true;

    if (kind === 'call') {
      const manager = person.manager ?? this.assignManager(person.region);
      person.manager = manager;
      const call = this.createCall(buf, {
        t: s.t + rng.uniform(0.5, 12) * MINUTE, person, trackingNumber: rng.pick(POOL_NUMBERS), session: s, manager,
      });
      this.createLead(buf, {
        kind: 'call', t: call.t + rng.uniform(5, 40) * 1000, person, region: person.region, call, manager,
        origin, intent: v.intent, planChannel, paysPartner, phone: 'always', emailChance: 0.1,
        contactedAt: call.status === 'answered' ? call.t + (call.duration + rng.uniform(60, 600)) * 1000 : undefined,
      });
    } else {
      const t = s.t + rng.uniform(1, kind === 'form' ? 15 : 10) * MINUTE;
      const params: LeadParams = {
        kind, t, person, region: person.region, session: s, origin, intent: v.intent, planChannel, paysPartner,
        phone: kind === 'form' ? 'always' : 'sometimes', emailChance: kind === 'form' ? 0.45 : 0.75,
      };
      this.createLead(buf, params);
      // Double-clicked "send": the CRM gets the same request twice.
      if (kind === 'form' && rng.bernoulli(0.03)) {
        this.createLead(buf, { ...params, t: t + rng.uniform(0.5, 4) * MINUTE, forcedJunk: 'duplicate' });
      }
    }
    if (person.email && rng.bernoulli(0.4)) this.subscribe(v);
  }

  private customerReturns(person: Person, day: number, buf: DayBuffer): void {
    const rng = this.rng;
    const path = rng.weighted<'manual' | 'call' | 'web'>([['manual', 0.4], ['call', 0.3], ['web', 0.3]]);
    const origin = { junkRate: 0.02, temperature: [0.1, 0.35, 0.55] as const };
    if (path === 'web') {
      const v = person.visitor && rng.bernoulli(0.5) ? person.visitor : this.newVisitor(person.region, DIRECT);
      v.converted = false;
      const s = this.makeSession(v, this.sampleTime(day, SESSION_SAMPLER), DIRECT);
      s.forced = { person, test: false };
      buf.sessions.push(s);
      return;
    }
    const manager = person.manager && rng.bernoulli(0.8) ? person.manager : this.assignManager(person.region);
    person.manager = manager;
    if (path === 'manual') {
      this.createLead(buf, {
        kind: 'manual', t: this.sampleTime(day, OFFICE_SAMPLER), person, region: person.region, manager, origin,
        createdByManager: true, planChannel: undefined, phone: 'always', emailChance: 0.6,
      });
      return;
    }
    // They call the number saved from last time; no visit to attach it to.
    const call = this.createCall(buf, {
      t: this.sampleTime(day, CALL_SAMPLER), person, trackingNumber: rng.pick(POOL_NUMBERS), session: undefined, manager,
    });
    this.createLead(buf, {
      kind: 'call', t: call.t + rng.uniform(5, 40) * 1000, person, region: person.region, call, manager, origin,
      planChannel: undefined, phone: 'always', emailChance: 0.2,
      contactedAt: call.status === 'answered' ? call.t + (call.duration + rng.uniform(60, 600)) * 1000 : undefined,
    });
  }

  /** Calls to static numbers (billboards, radio, the number on the Google ad) and spam. */
  private offlineCalls(day: number, buf: DayBuffer): void {
    const rng = this.rng;
    const factor = this.callFactor(day) * this.cfg.staticMult;
    for (const line of STATIC_LINES) {
      if (!this.lineActive(line, day)) continue;
      const n = rng.poisson(line.callsPerDay * factor);
      for (let i = 0; i < n; i++) {
        const region = rng.bernoulli(line.kyivShare) ? KYIV : rng.weighted(NON_KYIV_WEIGHTS);
        const person = this.newPerson(region, 0.15);
        const manager = this.assignManager(region);
        person.manager = manager;
        const call = this.createCall(buf, { t: this.sampleTime(day, CALL_SAMPLER), person, trackingNumber: line.number, session: undefined, manager });
        this.createLead(buf, {
          kind: 'call', t: call.t + rng.uniform(5, 40) * 1000, person, region, call, manager, origin: line,
          planChannel: line.channel, phone: 'always', emailChance: 0.1,
          contactedAt: call.status === 'answered' ? call.t + (call.duration + rng.uniform(60, 600)) * 1000 : undefined,
        });
      }
    }
    // Robocalls and wrong numbers reach the pool numbers too; half of them end up in the CRM as junk.
    const spam = rng.poisson(0.12 * factor);
    for (let i = 0; i < spam; i++) {
      const person = this.newPerson(rng.weighted(REGION_WEIGHTS), 0);
      const manager = this.assignManager(person.region);
      const call = this.createCall(buf, {
        t: this.sampleTime(day, CALL_SAMPLER), person, trackingNumber: rng.pick(POOL_NUMBERS), session: undefined, manager,
        duration: rng.int(2, 25), repeats: false,
      });
      if (rng.bernoulli(0.5)) {
        this.createLead(buf, {
          kind: 'call', t: call.t + rng.uniform(5, 40) * 1000, person: undefined, region: person.region, call, manager,
          origin: { junkRate: 1, temperature: [0.9, 0.1, 0] }, forcedJunk: rng.bernoulli(0.6) ? 'spam' : 'wrong_number',
          planChannel: undefined, phone: 'always', emailChance: 0,
        });
      }
    }
  }

  /** E-mails to the sales inbox, showroom walk-ins and trade-show contacts. */
  private inboundWithoutVisit(day: number, buf: DayBuffer): void {
    const rng = this.rng;
    const factor = this.callFactor(day) * this.cfg.staticMult;
    const neutral = { junkRate: 0.08, temperature: [0.3, 0.45, 0.25] as const };
    for (let i = rng.poisson(0.16 * factor); i > 0; i--) {
      const person = this.newPerson(rng.weighted(REGION_WEIGHTS), 1);
      this.createLead(buf, {
        kind: 'email', t: this.sampleTime(day, SESSION_SAMPLER), person, region: person.region, origin: neutral,
        planChannel: undefined, phone: 'sometimes', emailChance: 1,
      });
    }
    for (let i = rng.poisson(0.09 * factor); i > 0; i--) {
      const region = rng.bernoulli(0.85) ? KYIV : rng.weighted(NON_KYIV_WEIGHTS);
      const person = this.newPerson(region, 0.3);
      // Showroom walk-ins, and people sent by a friend (the manager asks "how did you find us?").
      const explicit = rng.bernoulli(0.65)
        ? { source: 'showroom', medium: 'offline', campaign: 'walk_in' }
        : { source: 'word_of_mouth', medium: 'referral', campaign: 'friends' };
      this.createLead(buf, {
        kind: 'manual', t: this.sampleTime(day, OFFICE_SAMPLER), person, region, origin: { junkRate: 0.02, temperature: [0.15, 0.45, 0.4] },
        explicit, createdByManager: true, planChannel: explicit.medium, phone: 'always', emailChance: 0.3,
      });
    }
    const { year, month, dayOfMonth } = dateParts(day);
    for (const expo of EXPOS) {
      if (month !== expo.month || dayOfMonth < expo.firstDay || dayOfMonth >= expo.firstDay + expo.days) continue;
      const campaign = expo.campaign(year);
      const kyivTeam = TEAMS.get('Kyiv')!;
      for (let i = rng.poisson(expo.leadsPerDay * this.cfg.staticMult); i > 0; i--) {
        const region = rng.bernoulli(0.6) ? KYIV : rng.weighted(NON_KYIV_WEIGHTS);
        const person = this.newPerson(region, 0.7);
        // Whoever staffs the stand enters the contact; the regional team takes it over.
        const manager = region === KYIV ? rng.pick(kyivTeam) : this.assignManager(region);
        this.createLead(buf, {
          kind: 'manual', t: this.sampleTime(day, OFFICE_SAMPLER), person, region, manager,
          origin: { junkRate: 0.05, temperature: [0.35, 0.45, 0.2] }, explicit: { source: 'expo', medium: 'offline', campaign },
          createdByManager: true, planChannel: 'offline', phone: 'always', emailChance: 0.7,
        });
      }
    }
  }

  private createCall(
    buf: DayBuffer,
    p: { t: number; person: Person; trackingNumber: string; session: SessionEvent | undefined; manager: Manager; duration?: number; repeats?: boolean },
  ): CallEvent {
    const rng = this.rng;
    const call = this.callEvent(p.t, p.person, p.trackingNumber, p.session, p.manager, p.duration);
    buf.calls.push(call);
    if (p.repeats === false) return call;
    // People call again: after a missed call within the hour, otherwise days later
    // with a question. Within the repeat window these are not new leads.
    let prev = call;
    for (let k = 0; k < 3; k++) {
      const chance = prev.status === 'missed' ? 0.55 : k === 0 ? 0.2 : 0.08;
      if (!rng.bernoulli(chance)) break;
      const gap = prev.status === 'missed' ? rng.lognormal(35, 0.9) * MINUTE : Math.min(20 * DAY_MS, rng.lognormal(1.5, 1.0) * DAY_MS);
      // Nobody picked up at night: they try again once the office opens.
      const t = nextWorkingTime(this.clock, prev.t + prev.duration * 1000 + gap) + rng.uniform(0, 90) * MINUTE;
      const next = this.callEvent(t, p.person, p.trackingNumber, undefined, p.manager);
      const due = this.clock.dayOf(t);
      const current = this.clock.dayOf(call.t);
      if (due <= current) buf.calls.push(next);
      else {
        const list = this.pendingCalls.get(due);
        if (list) list.push(next);
        else this.pendingCalls.set(due, [next]);
      }
      prev = next;
    }
    return call;
  }

  private callEvent(t: number, person: Person, trackingNumber: string, session: SessionEvent | undefined, manager: Manager, duration?: number): CallEvent {
    const rng = this.rng;
    // Out of hours only the duty phone answers, and not always.
    const missChance = isWorkingTime(this.clock, t) ? manager.missRate : 0.35;
    const status = rng.bernoulli(missChance) ? 'missed' : 'answered';
    return {
      seq: ++this.eventSeq,
      t: Math.round(t / 1000) * 1000,
      phone: formatPhone(person.national, rng.weighted(CALLER_PHONE_STYLES)),
      trackingNumber,
      session,
      duration: status === 'missed' ? 0 : (duration ?? Math.min(2400, Math.max(12, Math.round(rng.lognormal(140, 0.8))))),
      status,
      manager: status === 'answered' ? manager : undefined,
      region: person.region.name,
    };
  }

  private createLead(buf: DayBuffer, params: LeadParams): LeadEvent {
    const rng = this.rng;
    // Whole seconds, as the CSV shows them, so the 'new' stage equals created_at.
    const p = { ...params, t: Math.round(params.t / 1000) * 1000 };
    const person = p.person;
    const manager = p.manager ?? person?.manager ?? this.assignManager(p.region);
    if (person) person.manager ??= manager;
    const product = p.product ?? person?.visitor?.product ?? rng.weighted(PRODUCT_WEIGHTS);
    const isRepeat = person !== undefined && person.lastWonAt < p.t;

    const [baseCold, warm, baseHot] = isRepeat ? [0.1, 0.35, 0.55] : p.origin.temperature;
    // Visitors who came ready to buy are hotter; casual browsers colder.
    const hot = p.intent === 2 ? baseHot * 2 : baseHot;
    const cold = p.intent === 0 ? baseCold * 1.6 : baseCold;
    const temperature = rng.weighted<Temperature>([['cold', cold], ['warm', warm], ['hot', hot]]);

    const lifecycle = simulateLifecycle(
      {
        createdAt: p.t, manager, temperature, product, isRepeat, junkRate: p.origin.junkRate, forcedJunk: p.forcedJunk,
        contactedAt: p.contactedAt, createdByManager: p.createdByManager ?? false,
      },
      rng,
      this.clock,
    );

    let phone: string | undefined;
    let email: string | undefined;
    if (person) {
      const wantsPhone =
        p.phone === 'always' ? true : p.phone === 'often' ? rng.bernoulli(0.8) : p.phone === 'sometimes' ? rng.bernoulli(0.4) : false;
      if (wantsPhone) phone = formatPhone(person.national, rng.weighted(CRM_PHONE_STYLES));
      if (person.email && rng.bernoulli(p.emailChance ?? 0.4)) email = person.email;
      if (!phone && !email) phone = formatPhone(person.national, 'e164');
      if (p.forcedJunk === undefined) person.customerId ??= `cu_${++this.customerSeq}`;
      else if (p.forcedJunk === 'duplicate') person.customerId ??= `cu_${++this.customerSeq}`;
    } else if (p.forcedJunk === 'test') {
      email = 'test@kyivwindows.com.ua';
    } else if (p.call) {
      phone = p.call.phone;
    }

    if (person && lifecycle.outcome === 'won' && lifecycle.closedAt !== undefined) {
      person.lastWonAt = Math.min(person.lastWonAt, lifecycle.closedAt);
      if (rng.bernoulli(0.22)) {
        const back = this.clock.dayOf(lifecycle.closedAt + Math.max(30, rng.lognormal(150, 0.5)) * DAY_MS);
        if (back <= this.endDay) {
          const list = this.pendingCustomers.get(back);
          if (list) list.push(person);
          else this.pendingCustomers.set(back, [person]);
        }
      }
    }

    const lead: LeadEvent = {
      seq: ++this.eventSeq,
      t: p.t,
      kind: p.kind,
      session: p.session,
      call: p.call,
      phone,
      email,
      source: p.explicit?.source,
      medium: p.explicit?.medium,
      campaign: p.explicit?.campaign,
      region: p.region,
      manager,
      product,
      customerId: person?.customerId,
      temperature,
      lifecycle,
      planChannel: p.planChannel,
      paysPartner: p.paysPartner ?? false,
    };
    buf.leads.push(lead);
    return lead;
  }

  // ---------------------------------------------------------------- output

  private async writeTrackingNumbers(): Promise<void> {
    const w = this.writers.tracking_numbers;
    for (const number of POOL_NUMBERS) await w.write({ number, kind: 'pool' });
    for (const line of STATIC_LINES) {
      await w.write({
        number: line.number,
        kind: 'static',
        source: line.source,
        medium: line.medium,
        campaign: line.campaign,
        valid_from: line.activeFromDaysBeforeEnd !== undefined ? formatDate(this.endDay - line.activeFromDaysBeforeEnd) : undefined,
        valid_to: line.activeUntilDaysBeforeEnd !== undefined ? formatDate(this.endDay - line.activeUntilDaysBeforeEnd) : undefined,
      });
    }
  }

  private async emitDay(day: number, buf: DayBuffer): Promise<void> {
    const { clock, writers, now } = this;
    const fmt = (t: number) => clock.format(t);
    const month = formatMonth(day);
    const paidSessions = new Map<string, number>();

    const sessionRows: SessionRow[] = [];
    for (const s of buf.sessions) {
      s.id = `s_${++this.sessionSeq}`;
      const touch = s.touch;
      if (touch.cpc !== undefined || touch.payoutPerLead !== undefined) {
        const key = `${touch.key}|${s.adGroup ?? ''}|${touch.payoutPerLead !== undefined ? '' : (s.content ?? '')}`;
        paidSessions.set(key, (paidSessions.get(key) ?? 0) + 1);
      }
      sessionRows.push({
        session_id: s.id,
        visitor_id: s.visitor.id,
        started_at: fmt(s.t),
        source: touch.source || undefined,
        medium: touch.medium || undefined,
        campaign: touch.campaign || undefined,
        content: s.content,
        term: s.term,
        landing_page: s.landing,
        referrer: s.referrer || undefined,
        region: s.region || undefined,
        device: s.visitor.device,
        pageviews: String(s.pageviews),
      });
    }
    await writers.sessions.writeAll(sessionRows);

    buf.calls.sort(byTime);
    for (const c of buf.calls) {
      if (c.t >= now || (c.session && c.session.id === undefined)) continue;
      c.id = `c_${++this.callSeq}`;
      await writers.calls.write({
        call_id: c.id,
        started_at: fmt(c.t),
        caller_phone: c.phone,
        tracking_number: c.trackingNumber,
        session_id: c.session?.id,
        duration_sec: String(c.duration),
        status: c.status,
        manager: c.manager?.name,
        region: c.region,
      });
    }

    buf.leads.sort(byTime);
    let partnerLeads = 0;
    for (const lead of buf.leads) {
      if (lead.t >= now || (lead.call && lead.call.id === undefined)) continue;
      lead.id = `L${100_000 + ++this.leadSeq}`;
      const state = asOf(lead.lifecycle, now);
      const row: LeadRow = {
        lead_id: lead.id,
        created_at: fmt(lead.t),
        kind: lead.kind,
        session_id: lead.session?.id,
        visitor_id: lead.session?.visitor.id,
        call_id: lead.call?.id,
        phone: lead.phone,
        email: lead.email,
        source: lead.source,
        medium: lead.medium,
        campaign: lead.campaign,
        region: lead.region.name,
        manager: lead.manager.name,
        product: lead.product,
        customer_id: lead.customerId,
        temperature: lead.temperature,
        stage: state.stages[state.stages.length - 1]!.stage,
        outcome: state.outcome,
        loss_reason: state.lossReason,
        amount: state.amount !== undefined ? `${state.amount}.00` : undefined,
        closed_at: state.closedAt !== undefined ? fmt(state.closedAt) : undefined,
      };
      await writers.leads.write(row);
      for (const entry of state.stages) {
        await writers.lead_stages.write({ lead_id: lead.id, stage: entry.stage, entered_at: fmt(entry.at), manager: entry.manager });
      }
      this.actuals.addLead(month, lead.planChannel);
      if (state.outcome === 'won' && state.closedAt !== undefined) {
        this.actuals.addSale(formatMonth(clock.dayOf(state.closedAt)), lead.planChannel, lead.manager.name, state.amount ?? 0);
      }
      if (lead.paysPartner && lead.lifecycle.outcome !== 'junk') partnerLeads++;
    }

    await this.emitSpend(day, paidSessions, partnerLeads);
  }

  private async emitSpend(day: number, paidSessions: Map<string, number>, partnerLeads: number): Promise<void> {
    const rng = this.rng;
    const month = formatMonth(day);
    // Clicks in peak season cost more.
    const cpcFactor = 1 + 0.5 * (seasonOf(day) - 1);
    for (const touch of PAID_TOUCHES) {
      if (!this.today.active.has(touch)) continue;
      const cells: { adGroup: string | undefined; ad: string | undefined }[] = [];
      if (touch.adGroups) {
        for (const g of touch.adGroups) {
          if (g.ads) for (const ad of g.ads) cells.push({ adGroup: g.name, ad });
          else cells.push({ adGroup: g.name, ad: undefined });
        }
      } else cells.push({ adGroup: undefined, ad: undefined });

      for (const cell of cells) {
        const sessions = paidSessions.get(`${touch.key}|${cell.adGroup ?? ''}|${cell.ad ?? ''}`) ?? 0;
        // Some clicks never become a session (closed tab, blocked tracking): sessions ≈ 85-95% of clicks.
        const clicks = sessions === 0 ? rng.poisson(0.05) : sessions + rng.poisson(sessions * rng.uniform(0.05, 0.13));
        let costCents: number;
        let impressions: string | undefined;
        if (touch.payoutPerLead !== undefined) {
          costCents = partnerLeads * touch.payoutPerLead * 100;
        } else {
          costCents = Math.round(clicks * touch.cpc! * cpcFactor * rng.lognormal(1, 0.18) * 100);
          const ctr = touch.ctr! * rng.lognormal(1, 0.15);
          impressions = String(Math.max(clicks, Math.round((clicks + rng.uniform(0.2, 1.5)) / ctr)));
        }
        this.actuals.addSpend(month, touch.channel, costCents);
        await this.writers.spend.write({
          date: formatDate(day),
          source: touch.source,
          medium: touch.medium,
          campaign: touch.campaign,
          ad_group: cell.adGroup,
          ad: cell.ad,
          region: touch.region,
          impressions,
          clicks: String(clicks),
          cost: formatCents(costCents),
          currency: DEMO_WORKSPACE.currency,
        });
      }
    }

    // Offline media are invoiced per month: one row on the first day of each month
    // (or the day the placement starts), prorated for partial months.
    for (const line of STATIC_LINES) {
      if (line.monthlyCost === undefined || !this.lineActive(line, day)) continue;
      const first = monthStart(day);
      const lineFrom = line.activeFromDaysBeforeEnd !== undefined ? this.endDay - line.activeFromDaysBeforeEnd : -Infinity;
      if (day !== first && day !== this.startDay && day !== lineFrom) continue;
      const next = addMonths(day, 1);
      const lineTo = line.activeUntilDaysBeforeEnd !== undefined ? this.endDay - line.activeUntilDaysBeforeEnd : Infinity;
      const activeDays = Math.min(next - 1, lineTo) - day + 1;
      const share = activeDays / (next - first);
      const costCents = Math.round(line.monthlyCost * this.cfg.staticMult * share) * 100;
      this.actuals.addSpend(month, line.channel, costCents);
      await this.writers.spend.write({
        date: formatDate(day),
        source: line.source,
        medium: line.medium,
        campaign: line.campaign,
        region: KYIV.name,
        impressions: String(Math.round((line.monthlyImpressions ?? 0) * this.cfg.staticMult * share)),
        cost: formatCents(costCents),
        currency: DEMO_WORKSPACE.currency,
      });
    }
  }
}

function byTime(a: { t: number; seq: number }, b: { t: number; seq: number }): number {
  return a.t - b.t || a.seq - b.seq;
}

export function formatCents(cents: number): string {
  const whole = Math.floor(cents / 100);
  return `${whole}.${String(cents - whole * 100).padStart(2, '0')}`;
}

/**
 * Writes the seven canonical CSV files for one simulated business into
 * `outDir`. The same (scale, seed, endDate, timeZone) always gives
 * byte-identical files. Streams: memory does not grow with the row count.
 */
export async function generateSeed(opts: GenerateSeedOptions): Promise<SeedSummary> {
  const cfg = SCALES[opts.scale];
  if (!cfg) throw new RangeError(`Unknown scale ${String(opts.scale)}`);
  if (!Number.isFinite(opts.seed)) throw new RangeError('seed must be a finite number');
  await mkdir(opts.outDir, { recursive: true });
  const paths = Object.fromEntries(KINDS.map((k) => [k, resolve(opts.outDir, FILE_NAMES[k])])) as Record<Kind, string>;
  const writers = {
    spend: CsvWriter.open('spend', paths.spend),
    sessions: CsvWriter.open('sessions', paths.sessions),
    tracking_numbers: CsvWriter.open('tracking_numbers', paths.tracking_numbers),
    calls: CsvWriter.open('calls', paths.calls),
    leads: CsvWriter.open('leads', paths.leads),
    lead_stages: CsvWriter.open('lead_stages', paths.lead_stages),
    plans: CsvWriter.open('plans', paths.plans),
  };
  const sim = new SeedSimulation(cfg, opts.seed, opts.timeZone ?? DEMO_WORKSPACE.timeZone, opts.endDate, writers);
  try {
    await sim.run();
  } finally {
    await Promise.all(KINDS.map((k) => writers[k].close()));
  }
  const files = Object.fromEntries(KINDS.map((k) => [k, { path: paths[k], rows: writers[k].rows }])) as SeedSummary['files'];
  return { files, ...sim.range };
}
