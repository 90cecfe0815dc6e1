/**
 * @module Pure: the small labels every rendering of a brief uses, whatever its markup: counts with
 * their plural ("3 sources"), source numbering (an event's sources are cited as [1], [2] … in the
 * order of its list) and date labels ("Sun 26 Apr" in a time zone, "26 Apr 12:05 UTC", spans).
 */
import type { EventBrief, SourceRef } from '../../core/types.ts';

/** "1 source", "3 sources" (`many` for irregular plurals). */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** How many distinct articles the events cite between them. */
export function uniqueSourceCount(events: readonly EventBrief[]): number {
  return new Set(events.flatMap((e) => e.sources.map((s) => s.articleId))).size;
}

/** Number of a source in the event's list (1-based), or 0 when the URL is not one of them. */
export function sourceNumber(sources: readonly SourceRef[], url: string): number {
  return sources.findIndex((s) => s.url === url) + 1;
}

/** A date as an ISO time, or null for a missing or unreadable one. */
export function validDate(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Weekday, day and month of `now` in a time zone (UTC when the zone is unknown), as `locale` names them. */
export function dayParts(now: Date, timeZone: string, locale: string): { weekday: string; day: string; month: string } {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone });
  } catch {
    format = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
  }
  const parts = format.formatToParts(now);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return { weekday: get('weekday'), day: get('day'), month: get('month') };
}

/** "Sun 26 Apr" in the time zone (month names as `locale` shortens them). */
export function dayLabel(now: Date, timeZone: string, locale: string): string {
  const { weekday, day, month } = dayParts(now, timeZone, locale);
  return `${weekday} ${day} ${month}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "12:05" (UTC). */
export function hourMinute(d: Date): string {
  return d.toISOString().slice(11, 16);
}

/** "26 Apr" (UTC). */
export function dayMonth(d: Date): string {
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

/** "26 Apr 12:05 UTC", or '' for a missing or unreadable time. */
export function utcTime(iso: string | null | undefined): string {
  const d = validDate(iso);
  return d ? `${dayMonth(d)} ${hourMinute(d)} UTC` : '';
}

/** "12:05–19:30 UTC" within one day, "25 Apr 22:10 – 26 Apr 07:30 UTC" across days. */
export function eventSpan(ev: EventBrief): string {
  const first = validDate(ev.firstPublishedAt);
  const last = validDate(ev.lastPublishedAt);
  if (!first || !last) return utcTime(ev.lastPublishedAt || ev.firstPublishedAt);
  if (first.toISOString().slice(0, 10) === last.toISOString().slice(0, 10)) {
    return hourMinute(first) === hourMinute(last) ? `${hourMinute(first)} UTC` : `${hourMinute(first)}–${hourMinute(last)} UTC`;
  }
  return `${dayMonth(first)} ${hourMinute(first)} – ${dayMonth(last)} ${hourMinute(last)} UTC`;
}

/** "2027-04-26 12:05 UTC" (the terminal's form), 'unknown time' when missing, the text itself when unreadable. */
export function isoMinute(iso: string): string {
  if (!iso) return 'unknown time';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}
