/**
 * @module Dates as real feeds write them: RFC 822 with or without weekday, named zones (CEST, MSK…),
 * ISO 8601 with or without offset (no offset means UTC, not the server's local time), two-digit
 * years, and month names in a few European languages. Returns an ISO string, or null.
 */

const ZONES: Record<string, string> = {
  UT: '+0000',
  UTC: '+0000',
  GMT: '+0000',
  Z: '+0000',
  WET: '+0000',
  BST: '+0100',
  IST: '+0530',
  CET: '+0100',
  CEST: '+0200',
  MET: '+0100',
  MEST: '+0200',
  EET: '+0200',
  EEST: '+0300',
  MSK: '+0300',
  EST: '-0500',
  EDT: '-0400',
  CST: '-0600',
  CDT: '-0500',
  MST: '-0700',
  MDT: '-0600',
  PST: '-0800',
  PDT: '-0700',
  AKST: '-0900',
  AKDT: '-0800',
  HST: '-1000',
  JST: '+0900',
  KST: '+0900',
  AEST: '+1000',
  AEDT: '+1100',
  NZST: '+1200',
  NZDT: '+1300',
  SGT: '+0800',
  HKT: '+0800',
  PKT: '+0500',
};

const MONTHS: Record<string, string> = {};
const monthNames: string[][] = [
  ['jan', 'januar', 'janvier', 'janv', 'ene', 'enero', 'gen', 'gennaio', 'janeiro', 'januari', 'stycz'],
  ['feb', 'februar', 'février', 'fevrier', 'févr', 'fev', 'febrero', 'febbraio', 'fevereiro', 'februari', 'luty'],
  ['mar', 'märz', 'maerz', 'mars', 'marzo', 'março', 'marco', 'maart', 'mrz'],
  ['apr', 'april', 'avril', 'avr', 'abr', 'abril', 'aprile'],
  ['may', 'mai', 'mayo', 'mag', 'maggio', 'maio', 'mei'],
  ['jun', 'juni', 'juin', 'junio', 'giu', 'giugno', 'junho'],
  ['jul', 'juli', 'juillet', 'juil', 'julio', 'lug', 'luglio', 'julho'],
  ['aug', 'august', 'août', 'aout', 'ago', 'agosto', 'augustus'],
  ['sep', 'sept', 'september', 'septembre', 'septiembre', 'set', 'settembre', 'setembro'],
  ['oct', 'oktober', 'octobre', 'octubre', 'ott', 'ottobre', 'out', 'outubro', 'okt'],
  ['nov', 'november', 'novembre', 'noviembre', 'novembro'],
  ['dec', 'dezember', 'décembre', 'decembre', 'déc', 'dic', 'diciembre', 'dicembre', 'dez', 'dezembro', 'december'],
];
const EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
monthNames.forEach((names, i) => {
  for (const n of names) MONTHS[n] = EN[i] as string;
});

export interface DateBounds {
  /** Latest acceptable time (default: now + 2 days); later dates are treated as bad. */
  notAfter?: Date;
  /** Earliest acceptable time (default: 1990). */
  notBefore?: Date;
}

export function parseFeedDate(input: string | null | undefined, bounds: DateBounds = {}): string | null {
  if (!input) return null;
  let s = input.trim().replace(/\s+/g, ' ');
  if (!s) return null;
  const notAfter = bounds.notAfter ?? new Date(Date.now() + 2 * 86_400_000);
  const notBefore = bounds.notBefore ?? new Date('1990-01-01T00:00:00Z');
  const accept = (t: number): string | null => {
    if (Number.isNaN(t)) return null;
    if (t > notAfter.getTime() || t < notBefore.getTime()) return null;
    return new Date(t).toISOString();
  };

  if (/^\d{9,13}$/.test(s)) return accept(s.length > 10 ? Number(s) : Number(s) * 1000);

  // ISO 8601, possibly with a space instead of T, possibly without an offset (read as UTC).
  const iso =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{2}|UTC|GMT)?$/i.exec(s);
  if (iso) {
    const [, y, mo, d, h = '00', mi = '00', sec = '00', frac, zone] = iso;
    const ms = frac ? `.${frac.slice(0, 3).padEnd(3, '0')}` : '';
    let z = zone ? zone.toUpperCase() : 'Z';
    if (z === 'UTC' || z === 'GMT') z = 'Z';
    if (/^[+-]\d{2}$/.test(z)) z = `${z}:00`;
    if (/^[+-]\d{4}$/.test(z)) z = `${z.slice(0, 3)}:${z.slice(3)}`;
    const p2 = (v: string) => v.padStart(2, '0');
    return accept(Date.parse(`${y}-${p2(mo as string)}-${p2(d as string)}T${p2(h)}:${mi}:${sec}${ms}${z}`));
  }

  // RFC 822 and friends: drop the weekday (any language), translate month names and zone names.
  s = s.replace(/^[\p{L}]{2,}\.?,?\s+(?=\d)/u, '');
  s = s.replace(/\b([\p{L}]{3,}\.?)/gu, (word) => {
    const w = word.replace(/\.$/, '').toLowerCase();
    return MONTHS[w] ?? MONTHS[w.slice(0, 3)] ?? word;
  });
  s = s.replace(/\b([A-Z]{1,5})$/, (z) => ZONES[z] ?? z);
  s = s.replace(/\(([A-Z]{2,5})\)$/, (_m, z: string) => ZONES[z] ?? '');
  // Two-digit years: "26 Apr 25 13:45" means 2025.
  s = s.replace(/^(\d{1,2} [A-Z][a-z]{2}) (\d{2}) /, (_m, dm: string, yy: string) => `${dm} ${Number(yy) < 70 ? 20 : 19}${yy} `);
  const hasZone = /[+-]\d{4}$|[+-]\d{2}:\d{2}$|\bGMT\b|\bUTC\b|\bZ$/.test(s);
  const parsed = Date.parse(hasZone ? s : `${s} +0000`);
  if (!Number.isNaN(parsed)) return accept(parsed);
  return accept(Date.parse(s));
}
