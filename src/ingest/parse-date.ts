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
  ['mar', 'märz', 'mär', 'maerz', 'mars', 'marzo', 'março', 'marco', 'maart', 'mrz'],
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

function isMonth(word: string): boolean {
  const w = word.toLowerCase();
  return MONTHS[w] !== undefined || (w.length > 3 && MONTHS[w.slice(0, 3)] !== undefined);
}

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

  // ISO 8601, possibly with a space instead of T, possibly without an offset (read as UTC), possibly
  // with a zone name ("2025-04-26T10:00:00 CEST"); and the European day-first "26.04.2025 10:00".
  const iso =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{2}|[A-Z]{2,5})?$/i.exec(
      s,
    );
  const dotted = iso
    ? null
    : /^(\d{1,2})\.(\d{1,2})\.(\d{4}),?(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(Z|[+-]\d{2}:?\d{2}|[A-Z]{2,5})?$/i.exec(s);
  if (iso || dotted) {
    const [y, mo, d, h = '00', mi = '00', sec = '00', frac, zone] = iso
      ? (iso.slice(1) as Array<string | undefined>)
      : [dotted?.[3], dotted?.[2], dotted?.[1], dotted?.[4], dotted?.[5], dotted?.[6], undefined, dotted?.[7]];
    const ms = frac ? `.${frac.slice(0, 3).padEnd(3, '0')}` : '';
    let z = zone ? zone.toUpperCase() : 'Z';
    if (/^[A-Z]{2,5}$/.test(z) && z !== 'Z') {
      const offset = ZONES[z];
      if (!offset) return null; // an unknown zone name: the time could be off by a day
      z = offset;
    }
    if (/^[+-]\d{2}$/.test(z)) z = `${z}:00`;
    if (/^[+-]\d{4}$/.test(z)) z = `${z.slice(0, 3)}:${z.slice(3)}`;
    const p2 = (v: string | undefined) => (v ?? '').padStart(2, '0');
    return accept(Date.parse(`${y}-${p2(mo)}-${p2(d)}T${p2(h)}:${mi}:${sec}${ms}${z}`));
  }

  // RFC 822 and friends: drop the weekday (any language), translate month names and zone names.
  // ("Mar, 22 Apr" is a Tuesday; "April 26, 2025" starts with its month).
  s = s.replace(/^([\p{L}]{2,})\.?,?\s+(?=\d)/u, (whole, word: string) => {
    const monthLater = (s.slice(whole.length).match(/[\p{L}]{3,}/gu) ?? []).some(isMonth);
    return isMonth(word) && !monthLater ? whole : '';
  });
  s = s.replace(/\b([\p{L}]{3,}\.?)/gu, (word) => {
    const w = word.replace(/\.$/, '').toLowerCase();
    return MONTHS[w] ?? MONTHS[w.slice(0, 3)] ?? word;
  });
  s = s.replace(/\b([A-Z]{1,5})$/, (z) => ZONES[z] ?? z);
  s = s.replace(/\(([A-Z]{2,5})\)$/, (_m, z: string) => ZONES[z] ?? '');
  // Two-digit years: "26 Apr 25 13:45" and RFC 850's "26-Apr-25 13:45" mean 2025.
  s = s.replace(
    /^(\d{1,2})[ -]([A-Z][a-z]{2})[ -](\d{2})(?= |$)/,
    (_m, d: string, mon: string, yy: string) => `${d} ${mon} ${Number(yy) < 70 ? 20 : 19}${yy}`,
  );
  // V8's fallback parser reads almost anything ("Not a date" is 1 Jan 2000): insist on a year and a month.
  const withoutZone = s.replace(/\s*(?:[+-]\d{2}:?\d{2}|\(?[A-Z]{1,5}\)?)$/, '');
  if (!/\b\d{4}\b/.test(withoutZone)) return null;
  if (
    !/\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{4}[/.-]\d{1,2}[/.-]\d{1,2}\b/.test(
      withoutZone,
    )
  ) {
    return null;
  }
  const hasZone = /[+-]\d{4}$|[+-]\d{2}:\d{2}$|\bGMT\b|\bUTC\b|\bZ$/.test(s);
  if (hasZone) return accept(Date.parse(s));
  // No zone means UTC. Try the string with one; V8 reads zone-less text as server-local time, so as a
  // last resort read the local wall clock it produced back as UTC.
  for (const zoned of [`${s} +0000`, `${s} GMT`]) {
    const t = Date.parse(zoned);
    if (!Number.isNaN(t)) return accept(t);
  }
  const local = Date.parse(s);
  if (Number.isNaN(local)) return null;
  const d = new Date(local);
  return accept(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds()));
}
