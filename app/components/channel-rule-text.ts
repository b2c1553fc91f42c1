import { z } from 'zod';
import type { ChannelRule } from '../domain/channels';

// A channel rule as the editor shows it: each list is one text field of
// comma-separated values; an empty field matches anything (null), and the
// token EMPTY_TOKEN stands for the empty value (a visit with no source).
// Shared by the editor and the action that validates what it posts.

export const EMPTY_TOKEN = '(empty)';

export interface RuleText {
  channel: string;
  sourceIn: string;
  sourceNotIn: string;
  mediumIn: string;
}

export function listToText(values: readonly string[] | null): string {
  if (values === null) return '';
  return values.map((v) => (v === '' ? EMPTY_TOKEN : v)).join(', ');
}

/** '' → null (anything); 'a, (empty), B' → ['a', '', 'b'] (lower-cased, trimmed, without repeats). */
export function textToList(text: string): string[] | null {
  if (text.trim() === '') return null;
  const values = text
    // NUL cannot be typed in a form, stored in PostgreSQL text, or occur in an imported value: dropped.
    .replaceAll('\u0000', '')
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v !== '')
    .map((v) => (v === EMPTY_TOKEN ? '' : v));
  return [...new Set(values)];
}

export function ruleToText(rule: ChannelRule): RuleText {
  return { channel: rule.channel, sourceIn: listToText(rule.sourceIn), sourceNotIn: listToText(rule.sourceNotIn), mediumIn: listToText(rule.mediumIn) };
}

const listField = z
  .string()
  .max(2000, 'data.rules.error.tooLong')
  .transform(textToList)
  .refine((list) => list === null || list.every((v) => v.length <= 200), 'data.rules.error.tooLong');

/** One posted rule; errors are message keys of the Data page. */
export const ruleTextSchema = z.object({
  channel: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'data.rules.error.channelRequired')
    .max(40, 'data.rules.error.channelTooLong')
    .regex(/^[a-z0-9_]+$/, 'data.rules.error.channelChars'),
  sourceIn: listField,
  sourceNotIn: listField,
  mediumIn: listField,
});

export const MAX_RULES = 100;
