import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

// Table types for Kysely, kept in step with db/migrations by hand.
// pg returns numeric as string (money stays exact), int8 as number (see
// db/client.ts: counts stay far below 2^53), date as 'YYYY-MM-DD' strings.

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DateString = ColumnType<string, string, string>;
type Numeric = ColumnType<string, string | number, string | number>;
/** A column with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;
type Int8 = ColumnType<number, number | bigint | string, number | bigint | string>;

export interface WorkspacesTable {
  id: Generated<number>;
  slug: string;
  name: string;
  time_zone: string;
  currency: string;
  phone_country: string | null;
  lookback_days: Generated<number>;
  repeat_call_window_days: Generated<number>;
  time_decay_half_life_days: ColumnType<string, string | number | undefined, string | number>;
  data_version: ColumnType<number, never, number>;
  created_at: ColumnType<Date, never, never>;
}

export interface ChannelRulesTable {
  workspace_id: number;
  position: number;
  channel: string;
  source_in: string[] | null;
  source_not_in: string[] | null;
  medium_in: string[] | null;
}

export interface PipelineStagesTable {
  workspace_id: number;
  position: number;
  name: string;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  password_hash: string | null;
  created_at: ColumnType<Date, never, never>;
  last_login_at: Timestamp | null;
  password_changed_at: Timestamp | null;
}

export interface UserSessionsTable {
  /** sha256 (hex) of the cookie's id. */
  id: string;
  user_id: number;
  created_at: ColumnType<Date, never, never>;
  expires_at: Timestamp;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface InvitesTable {
  workspace_id: number;
  id: Generated<number>;
  email: string;
  role: Role;
  manager_name: string | null;
  token_hash: string;
  created_by: number | null;
  created_at: ColumnType<Date, never, never>;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  accepted_by: number | null;
  revoked_at: Timestamp | null;
}

export interface LoginFailuresTable {
  id: Generated<number>;
  email: string;
  ip: string;
  failed_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type Role = 'owner' | 'marketer' | 'manager' | 'viewer';

export interface WorkspaceMembersTable {
  workspace_id: number;
  user_id: number;
  role: Role;
  manager_name: string | null;
}

export interface ApiTokensTable {
  workspace_id: number;
  id: Generated<number>;
  name: string;
  token_hash: string;
  scope: 'ingest' | 'read';
  created_by: number | null;
  created_at: ColumnType<Date, never, never>;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

/** Accepted Segment events of the ingestion API (db/migrations/2026-11-23-0007-api.ts). */
export interface ApiEventsTable {
  workspace_id: number;
  message_id: string;
  type: 'page' | 'track' | 'identify';
  event: string | null;
  visitor_id: string;
  anonymous_id: string | null;
  user_id: string | null;
  occurred_at: Timestamp;
  received_at: ColumnType<Date, never, never>;
  token_id: number | null;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  content: string | null;
  term: string | null;
  url: string | null;
  referrer: string | null;
  email: string | null;
  phone: string | null;
  payload: ColumnType<unknown, string, string>;
}

export interface ImportJobsTable {
  workspace_id: number;
  id: ColumnType<number, never, never>;
  kind: string;
  file_name: string;
  preset: string | null;
  actor: string;
  status: 'running' | 'succeeded' | 'failed';
  skip_invalid: ColumnType<boolean, boolean | undefined, boolean>;
  started_at: ColumnType<Date, Date | string | undefined, Date | string>;
  finished_at: Timestamp | null;
  duration_ms: number | null;
  rows_read: ColumnType<number, number | string | undefined, number | string>;
  rows_inserted: ColumnType<number, number | string | undefined, number | string>;
  rows_updated: ColumnType<number, number | string | undefined, number | string>;
  rows_unchanged: ColumnType<number, number | string | undefined, number | string>;
  rows_rejected: ColumnType<number, number | string | undefined, number | string>;
  warnings: ColumnType<string[], string | undefined, string>;
  error: string | null;
}

export interface RejectedRowsTable {
  workspace_id: number;
  import_id: number;
  line: number;
  column_name: string | null;
  value: string | null;
  reason: string;
  seq: number;
}

export interface CampaignsTable {
  workspace_id: number;
  source: string;
  medium: string;
  campaign: string;
  channel: string;
  first_seen: DateString;
  last_seen: DateString;
}

export interface SpendTable {
  workspace_id: number;
  date: DateString;
  source: string;
  medium: string;
  campaign: string;
  ad_group: Defaulted<string>;
  ad: Defaulted<string>;
  region: Defaulted<string>;
  channel: string;
  impressions: Int8 | null;
  clicks: Int8 | null;
  cost: Numeric;
  import_id: number | null;
}

export interface VisitorsTable {
  workspace_id: number;
  visitor_id: string;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  email: string | null;
  phone: string | null;
}

export interface SessionsTable {
  workspace_id: number;
  session_id: string;
  visitor_id: string;
  started_at: Timestamp;
  source: Defaulted<string>;
  medium: Defaulted<string>;
  campaign: Defaulted<string>;
  content: Defaulted<string>;
  term: Defaulted<string>;
  channel: string;
  landing_page: string | null;
  referrer: string | null;
  region: Defaulted<string>;
  device: Defaulted<string>;
  pageviews: number | null;
  gclid: string | null;
  yclid: string | null;
  fbclid: string | null;
  import_id: number | null;
}

export interface TrackingNumbersTable {
  workspace_id: number;
  number: string;
  valid_from: DateString;
  valid_to: DateString;
  kind: 'static' | 'pool';
  source: Defaulted<string>;
  medium: Defaulted<string>;
  campaign: Defaulted<string>;
  channel: string | null;
  import_id: number | null;
}

export interface CallsTable {
  workspace_id: number;
  call_id: string;
  started_at: Timestamp;
  caller_phone: string;
  tracking_number: string;
  session_id: string | null;
  duration_sec: number | null;
  status: 'answered' | 'missed';
  manager: Defaulted<string>;
  region: Defaulted<string>;
  import_id: number | null;
}

export type LeadOutcome = 'open' | 'won' | 'lost' | 'junk';
export type LeadKind = 'form' | 'call' | 'chat' | 'email' | 'manual' | 'import';
export type Temperature = 'cold' | 'warm' | 'hot';

export interface LeadsTable {
  workspace_id: number;
  lead_id: string;
  created_at: Timestamp;
  kind: LeadKind;
  session_id: string | null;
  visitor_id: string | null;
  call_id: string | null;
  phone: string | null;
  email: string | null;
  source: Defaulted<string>;
  medium: Defaulted<string>;
  campaign: Defaulted<string>;
  channel: string | null;
  region: Defaulted<string>;
  manager: Defaulted<string>;
  product: Defaulted<string>;
  customer_id: string | null;
  temperature: Temperature | null;
  stage: string;
  outcome: LeadOutcome;
  loss_reason: string | null;
  amount: Numeric | null;
  closed_at: Timestamp | null;
  import_id: number | null;
}

export interface LeadStagesTable {
  workspace_id: number;
  lead_id: string;
  stage: string;
  entered_at: Timestamp;
  manager: Defaulted<string>;
  import_id: number | null;
}

export interface PlansTable {
  workspace_id: number;
  month: DateString;
  channel: Defaulted<string>;
  region: Defaulted<string>;
  manager: Defaulted<string>;
  leads: number | null;
  max_cpl: Numeric | null;
  budget: Numeric | null;
  sales: number | null;
  revenue: Numeric | null;
  import_id: number | null;
}

// Derived tables (db/migrations/2026-11-23-0002-analytics.ts), maintained by imports.

export interface DailyTrafficTable {
  workspace_id: number;
  day: DateString;
  source: string;
  medium: string;
  campaign: string;
  content: string;
  region: string;
  device: string;
  channel: string;
  sessions: number;
}

export type Coverage = 'known' | 'only_direct' | 'unassigned_number' | 'manual_no_source' | 'no_visitor_id' | 'outside_lookback' | 'no_sessions';

export interface LeadJourneysTable {
  workspace_id: number;
  lead_id: string;
  visitor_id: string | null;
  touch_count: number;
  first_touch_at: Timestamp | null;
  path: string;
  coverage: Coverage;
  reached_position: number;
  entered_mask: number;
  qualified_at: Timestamp | null;
}

export interface LeadTouchesTable {
  workspace_id: number;
  lead_id: string;
  position: number;
  kind: 'session' | 'call' | 'explicit' | 'direct';
  touched_at: Timestamp;
  channel: string;
  source: string;
  medium: string;
  campaign: string;
  content: string;
  session_id: string | null;
  call_id: string | null;
}

export interface LeadCreditsTable {
  workspace_id: number;
  lead_id: string;
  model: string;
  position: number;
  channel: string;
  source: string;
  medium: string;
  campaign: string;
  content: string;
  credit: number;
}

// Journey rollups and derived-result versions (db/migrations/2026-11-23-0004-visitor-paths.ts).

export interface VisitorPathsTable {
  workspace_id: number;
  visitor_id: string;
  first_session_at: Timestamp;
  /** Channels of all the visitor's sessions in time order, consecutive repeats collapsed. */
  path: string[];
  has_lead: boolean;
}

export interface NonconvertingPathsTable {
  workspace_id: number;
  /** Workspace-local day of the visitor's first session. */
  day: DateString;
  path: string[];
  /** Generated (migration 0012): path_key_of(path), the primary key's stand-in for path. */
  path_key: ColumnType<string, never, never>;
  visitors: number;
}

export interface ConvertingPathsTable {
  workspace_id: number;
  /** Workspace-local day of the leads' creation. */
  day: DateString;
  /** Collapsed channels of the leads' touches. */
  path: string[];
  /** Generated (migration 0012): path_key_of(path), the primary key's stand-in for path. */
  path_key: ColumnType<string, never, never>;
  leads: number;
  won_leads: number;
  revenue: Numeric;
}

export interface LeadCreditTotalsTable {
  workspace_id: number;
  day: DateString;
  model: string;
  channel: string;
  credit: Numeric;
  revenue: Numeric;
}

export interface DerivedVersionsTable {
  workspace_id: number;
  name: string;
  data_version: Int8;
}

/** The removal effects the stored Markov credits were computed with (migration 0010). */
/** Markov credits per distinct touch path (migration 0011, db/analytics/markov-credits.ts). */
export interface MarkovPathCreditsTable {
  workspace_id: number;
  path_id: number;
  path: string[];
  credits: number[];
  primary_position: number;
}

export interface MarkovRemovalEffectsTable {
  workspace_id: number;
  channel: string;
  removal_effect: number;
}

// Settings for presets and offline conversions (db/migrations/2026-11-23-0003-conversion-settings.ts).

export interface ConversionGoalsTable {
  workspace_id: number;
  platform: 'google-ads' | 'yandex-metrica';
  stage: string;
  conversion_name: string;
}

export interface StatusMapsTable {
  workspace_id: number;
  preset: string;
  status: string;
  stage: string;
  outcome: LeadOutcome;
}

// Report facts and the monthly traffic rollup (db/migrations/2026-11-23-0005-report-speed.ts,
// definitions in db/analytics/rollups.ts).

export interface LeadFactsTable {
  workspace_id: number;
  lead_id: string;
  created_at: Timestamp;
  created_day: DateString;
  region: string;
  manager: string;
  product: string;
  temperature: string | null;
  outcome: LeadOutcome;
  loss_reason: string | null;
  amount: Numeric | null;
  closed_at: Timestamp | null;
  call_id: string | null;
  explicit_channel: string | null;
  reached_position: number;
  entered_mask: number;
  qualified_at: Timestamp | null;
  coverage: Coverage;
  touch_count: number;
  first_contact_at: Timestamp | null;
  contact_hours: number | null;
  qualified_week: number | null;
  won_week: number | null;
  touch_channels: string[] | null;
  touched_at_ms: number[] | null;
  /** Generated (migration 0010): max(0, created_at ms − first touch ms) / 1 day, as the paths report buckets it. */
  first_touch_days: ColumnType<number | null, never, never>;
  primary_channel: string | null;
  primary_source: string | null;
  primary_medium: string | null;
  primary_campaign: string | null;
}

export interface LeadStageStepsTable {
  workspace_id: number;
  lead_id: string;
  position: number;
  hours: number;
  created_day: DateString;
  region: string;
  manager: string;
  product: string;
  temperature: string | null;
  primary_channel: string | null;
  primary_source: string | null;
  primary_medium: string | null;
  primary_campaign: string | null;
}

export interface LeadCreditFactsTable {
  workspace_id: number;
  model: string;
  lead_id: string;
  position: number;
  credit: number;
  channel: string;
  source: string;
  medium: string;
  campaign: string;
  content: string;
  region: string;
  manager: string;
  product: string;
  temperature: string | null;
  created_day: DateString;
  qualified_day: DateString | null;
  won_day: DateString | null;
  is_junk: boolean;
  is_won: boolean;
  revenue: Numeric | null;
  is_primary: boolean;
  /** 'markov' rows only: their path in markov_path_credits (migration 0011). */
  markov_path_id: number | null;
}

export interface CallFactsTable {
  workspace_id: number;
  call_id: string;
  started_at: Timestamp;
  day: DateString;
  caller_phone: string;
  status: 'answered' | 'missed';
  duration_sec: number | null;
  region: string;
  manager: string;
  prev_started_at: Timestamp | null;
  channel: string;
  source: string;
  medium: string;
  campaign: string;
  static_number: string | null;
  static_valid_from: DateString | null;
  leads: number;
}

export interface MonthlyTrafficTable {
  workspace_id: number;
  month: DateString;
  channel: string;
  source: string;
  medium: string;
  campaign: string;
  content: string;
  region: string;
  sessions: number;
}

export interface Database {
  workspaces: WorkspacesTable;
  channel_rules: ChannelRulesTable;
  pipeline_stages: PipelineStagesTable;
  users: UsersTable;
  user_sessions: UserSessionsTable;
  invites: InvitesTable;
  login_failures: LoginFailuresTable;
  workspace_members: WorkspaceMembersTable;
  api_tokens: ApiTokensTable;
  api_events: ApiEventsTable;
  import_jobs: ImportJobsTable;
  rejected_rows: RejectedRowsTable;
  campaigns: CampaignsTable;
  spend: SpendTable;
  visitors: VisitorsTable;
  sessions: SessionsTable;
  tracking_numbers: TrackingNumbersTable;
  calls: CallsTable;
  leads: LeadsTable;
  lead_stages: LeadStagesTable;
  plans: PlansTable;
  daily_traffic: DailyTrafficTable;
  lead_journeys: LeadJourneysTable;
  lead_touches: LeadTouchesTable;
  lead_credits: LeadCreditsTable;
  conversion_goals: ConversionGoalsTable;
  status_maps: StatusMapsTable;
  visitor_paths: VisitorPathsTable;
  nonconverting_paths: NonconvertingPathsTable;
  converting_paths: ConvertingPathsTable;
  lead_credit_totals: LeadCreditTotalsTable;
  derived_versions: DerivedVersionsTable;
  markov_removal_effects: MarkovRemovalEffectsTable;
  markov_path_credits: MarkovPathCreditsTable;
  lead_facts: LeadFactsTable;
  lead_stage_steps: LeadStageStepsTable;
  lead_credit_facts: LeadCreditFactsTable;
  call_facts: CallFactsTable;
  monthly_traffic: MonthlyTrafficTable;
}

export type Workspace = Selectable<WorkspacesTable>;
export type NewWorkspace = Insertable<WorkspacesTable>;
export type Lead = Selectable<LeadsTable>;
