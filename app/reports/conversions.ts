import { csvCell } from './export';

// Offline conversions back to the ad platforms: leads that reached a stage
// (qualified, or won with their value) written in each platform's upload
// format. Pure: rows in (from db/queries/conversions.ts), file text out.
//
// Google Ads offline conversion import (file upload, support.google.com/google-ads/answer/7014069):
//   Parameters:TimeZone=<IANA zone>
//   Google Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency
// The time carries its offset too ("2026-03-01 10:15:00+0200"); Google reads
// the time's own zone first and the Parameters row for times without one.
//
// Yandex Metrica offline conversions (yandex.ru/dev/metrika/ru/management/offline-conv):
//   ClientId,Target,DateTime,Price,Currency   (or Yclid,… : one identifier type per file)
// DateTime is a Unix timestamp in seconds; Target is the JavaScript-event goal id.

export const CONVERSION_PLATFORMS = ['google-ads', 'yandex-metrica'] as const;
export type ConversionPlatform = (typeof CONVERSION_PLATFORMS)[number];
export const METRICA_IDS = ['client-id', 'yclid'] as const;
export type MetricaId = (typeof METRICA_IDS)[number];

/** One lead that reached the stage, with the click ids of its session. */
export interface ConversionCandidate {
  leadId: string;
  convertedAt: Date;
  /** Deal value for won deals (decimal string), else null. */
  value: string | null;
  gclid: string | null;
  yclid: string | null;
  /** The visitor id of the lead's session; a Metrica ClientID only when the sessions came from Metrica. */
  visitorId: string | null;
}

export interface ConversionFile {
  text: string;
  exported: number;
  /** Leads that reached the stage but cannot be sent (no click id of that platform). */
  skipped: { leadId: string; reason: string }[];
}

export interface GoogleAdsOptions {
  conversionName: string;
  timeZone: string;
  currency: string;
}

export function computeGoogleAdsUpload(rows: readonly ConversionCandidate[], opts: GoogleAdsOptions): ConversionFile {
  const lines = [
    `Parameters:TimeZone=${opts.timeZone}`,
    ['Google Click ID', 'Conversion Name', 'Conversion Time', 'Conversion Value', 'Conversion Currency'].join(','),
  ];
  const skipped: ConversionFile['skipped'] = [];
  let exported = 0;
  for (const r of sortByTime(rows)) {
    if (!r.gclid) {
      skipped.push({ leadId: r.leadId, reason: 'no gclid in the landing page of its sessions' });
      continue;
    }
    lines.push([r.gclid, opts.conversionName, formatZoned(r.convertedAt, opts.timeZone), r.value ?? '', r.value ? opts.currency : ''].map(csvCell).join(','));
    exported++;
  }
  return { text: lines.join('\n') + '\n', exported, skipped };
}

export interface MetricaOptions {
  target: string;
  currency: string;
  id: MetricaId;
}

/** Metrica ClientIDs are 10 to 20 digits (first-visit timestamp and a random part). */
export const isMetricaClientId = (id: string | null): id is string => id !== null && /^\d{10,20}$/.test(id);

export function computeMetricaUpload(rows: readonly ConversionCandidate[], opts: MetricaOptions): ConversionFile {
  const lines = [[opts.id === 'yclid' ? 'Yclid' : 'ClientId', 'Target', 'DateTime', 'Price', 'Currency'].join(',')];
  const skipped: ConversionFile['skipped'] = [];
  let exported = 0;
  for (const r of sortByTime(rows)) {
    const id = opts.id === 'yclid' ? r.yclid : isMetricaClientId(r.visitorId) ? r.visitorId : null;
    if (!id) {
      skipped.push({ leadId: r.leadId, reason: opts.id === 'yclid' ? 'no yclid in the landing page of its sessions' : 'its visitor id is not a Metrica ClientID' });
      continue;
    }
    const unix = Math.floor(r.convertedAt.getTime() / 1000);
    lines.push([id, opts.target, String(unix), r.value ?? '', r.value ? opts.currency : ''].map(csvCell).join(','));
    exported++;
  }
  return { text: lines.join('\n') + '\n', exported, skipped };
}

function sortByTime(rows: readonly ConversionCandidate[]): ConversionCandidate[] {
  return [...rows].sort((a, b) => a.convertedAt.getTime() - b.convertedAt.getTime() || a.leadId.localeCompare(b.leadId));
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** "2026-03-01 10:15:00+0200": the instant's wall time in the zone and the zone's offset then. */
export function formatZoned(instant: Date, timeZone: string): string {
  let f = zoneFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    zoneFormats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(instant).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  const offset = Math.round((wall - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}
