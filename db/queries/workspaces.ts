import { z } from 'zod';
import type { Db } from '../client';
import type { Workspace } from '../schema';
import { DEFAULT_CHANNEL_RULES, type ChannelRule } from '../../app/domain/channels';
import { DEFAULT_PIPELINE } from '../../app/domain/pipeline';
import { countryForTimeZone } from '../../app/domain/phone';

export const timeZoneSchema = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz.includes('/') || tz === 'UTC';
  } catch {
    return false;
  }
}, 'not an IANA time zone (e.g. Europe/Kyiv)');

export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'an ISO 4217 code in capitals (e.g. UAH)')
  .refine((c) => Intl.supportedValuesOf('currency').includes(c), 'not an ISO 4217 currency');

export const newWorkspaceSchema = z.object({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes (max 63)'),
  name: z.string().trim().min(1).max(200),
  timeZone: timeZoneSchema,
  currency: currencySchema,
  phoneCountry: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 two-letter country code').nullish(),
});
export type NewWorkspaceInput = z.input<typeof newWorkspaceSchema>;

/** Creates a workspace with the default channel rules and pipeline. */
export async function createWorkspace(db: Db, input: NewWorkspaceInput): Promise<Workspace> {
  const ws = newWorkspaceSchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('workspaces').select('id').where('slug', '=', ws.slug).executeTakeFirst();
    if (existing) throw new Error(`workspace "${ws.slug}" already exists`);
    const created = await trx
      .insertInto('workspaces')
      .values({
        slug: ws.slug,
        name: ws.name,
        time_zone: ws.timeZone,
        currency: ws.currency,
        phone_country: ws.phoneCountry ?? countryForTimeZone(ws.timeZone),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('channel_rules')
      .values(DEFAULT_CHANNEL_RULES.map((r, i) => ({
        workspace_id: created.id,
        position: i + 1,
        channel: r.channel,
        source_in: r.sourceIn,
        source_not_in: r.sourceNotIn,
        medium_in: r.mediumIn,
      })))
      .execute();
    await trx
      .insertInto('pipeline_stages')
      .values(DEFAULT_PIPELINE.map((name, i) => ({ workspace_id: created.id, position: i + 1, name })))
      .execute();
    return created;
  });
}

export async function getWorkspaceBySlug(db: Db, slug: string): Promise<Workspace | undefined> {
  return db.selectFrom('workspaces').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function listWorkspaces(db: Db): Promise<Workspace[]> {
  return db.selectFrom('workspaces').selectAll().orderBy('id').execute();
}

export async function getChannelRules(db: Db, workspaceId: number): Promise<ChannelRule[]> {
  const rows = await db
    .selectFrom('channel_rules')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({ channel: r.channel, sourceIn: r.source_in, sourceNotIn: r.source_not_in, mediumIn: r.medium_in }));
}

export async function getPipelineStages(db: Db, workspaceId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('pipeline_stages')
    .select('name')
    .where('workspace_id', '=', workspaceId)
    .orderBy('position')
    .execute();
  return rows.map((r) => r.name);
}
