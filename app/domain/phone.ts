import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

// Phones are compared in E.164: '+38 (099) 230-57-67' and '0992305767' are the
// same caller once the workspace's country says how to read national numbers.

export function normalizePhone(raw: string, country: string | null): string | null {
  const trimmed = raw.trim();
  if (trimmed === '') return null;
  const digits = trimmed.replace(/[^\d+]/g, '');
  // '380992305767' (international without '+') is common in CRM exports.
  const candidate = !digits.startsWith('+') && country && digits.length > 10 ? `+${digits}` : trimmed;
  const parsed =
    parsePhoneNumberFromString(candidate, (country ?? undefined) as CountryCode | undefined) ??
    parsePhoneNumberFromString(trimmed, (country ?? undefined) as CountryCode | undefined);
  if (!parsed || !parsed.isPossible()) return null;
  return parsed.number;
}

/** Best-effort default country for a workspace time zone (used at workspace creation). */
export function countryForTimeZone(timeZone: string): string | null {
  const map: Record<string, string> = {
    'Europe/Kyiv': 'UA', 'Europe/Kiev': 'UA', 'Europe/Moscow': 'RU', 'Europe/Minsk': 'BY',
    'Europe/Warsaw': 'PL', 'Europe/Berlin': 'DE', 'Europe/London': 'GB', 'Europe/Paris': 'FR',
    'Europe/Madrid': 'ES', 'Europe/Rome': 'IT', 'Europe/Vilnius': 'LT', 'Europe/Riga': 'LV',
    'Europe/Tallinn': 'EE', 'Europe/Chisinau': 'MD', 'Asia/Almaty': 'KZ', 'Asia/Tbilisi': 'GE',
    'America/New_York': 'US', 'America/Chicago': 'US', 'America/Denver': 'US', 'America/Los_Angeles': 'US',
  };
  return map[timeZone] ?? null;
}
