/**
 * @module Pure: reported figures in a sentence, as intervals with what they count —
 * "between 10,000 and 12,000 troops" → [10000, 12000] troops; "more than 12,000 North Korean troops"
 * → (12000, ∞) troops; "about 30 sq km" → [27, 33] sq km. Also records what makes two different
 * figures NOT a disagreement: a change over time stated with both values ("fallen to 30 from 1,300"),
 * the time a figure refers to ("in March", "in 2018"), a forecast or hope ("hoped to welcome 200,000"),
 * and, for percentages and money, the noun the figure is about ("inflation" vs "target").
 */
import { contentTokens } from '../nlp/tokenize.ts';

export interface Quantity {
  raw: string;
  low: number;
  high: number;
  /** The value as said (midpoint for ranges), for display and change pairs. */
  value: number;
  unit: string;
  /** Words describing what is counted, e.g. "North Korean troops". */
  subject: string;
  /** Content tokens around the figure, to tell whether two figures count the same thing. */
  context: Set<string>;
  /** Part of a change expression with both values in the clause ("from 1,300 to 30"). */
  change: boolean;
  /** The time the figure refers to, when the sentence says ("march", "2018", "now"). */
  anchor: string | null;
  /** What is counted, as a class: "dead", "displaced", "protesters", "arrested", … or the unit. */
  measure: string;
  /** For percentages and money: the noun the figure is about ("inflation", "budget"). */
  about: string | null;
  /** A forecast, target or hope rather than a count. */
  prospective: boolean;
  /** Who the sentence says gave the figure ("the toll of 27 given by the health ministry"). */
  givenBy: string | null;
}

const SCALE: Record<string, number> = {
  thousand: 1e3,
  k: 1e3,
  million: 1e6,
  m: 1e6,
  mn: 1e6,
  billion: 1e9,
  bn: 1e9,
  b: 1e9,
  trillion: 1e12,
  tn: 1e12,
};
const NUM = '(?:\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)(?:\\s*(?:thousand|million|billion|trillion|bn|mn|tn|m|k)\\b)?';
const LOWER = /\b(more than|over|at least|upwards of|in excess of|above|exceeding|no fewer than|no less than|a minimum of)\s*$/i;
const UPPER = /\b(fewer than|less than|under|up to|at most|below|no more than|a maximum of|as many as)\s*$/i;
const APPROX = /\b(about|around|roughly|approximately|some|nearly|almost|an estimated|estimated|close to|circa)\s*$/i;

const UNIT_ALIASES: Array<[RegExp, string]> = [
  [/^(square|sq\.?)\s+(kilometres?|kilometers?|km)$|^km2$|^km²$/i, 'sq km'],
  [/^(square|sq\.?)\s+miles?$/i, 'sq mi'],
  [/^(kilometres?|kilometers?|km)$/i, 'km'],
  [/^(per\s*cent|percent|%)$/i, '%'],
  [/^(hectares?|ha)$/i, 'ha'],
  [/^(tonnes?|tons?)$/i, 'tonnes'],
  [/^(dead|deaths?|killed|fatalities|lives)$/i, 'dead'],
  [/^(injured|wounded|injuries|hurt)$/i, 'injured'],
  [/^(people|persons|individuals|residents|civilians|inhabitants)$/i, 'people'],
];

/** What a figure counts, judged from the words around it. */
const MEASURES: Array<[RegExp, string]> = [
  [/\b(killed|killing|kills|dead|died|deaths?|death toll|fatalities|toll)\b/i, 'dead'],
  [/\b(injured|injuring|wounded|wounding|hurt|injuries)\b/i, 'injured'],
  [/\b(evacuat\w*|fled|flee\w*|displaced|homeless|left (?:their )?homes|leave (?:their )?homes|evacuees)\b/i, 'displaced'],
  [/\b(arrest\w*|detain\w*|custody)\b/i, 'arrested'],
  [/\b(march\w*|protest\w*|rall(?:y|ied|ies)|demonstrat\w*|took part|taken part|turned out|crowd)\b/i, 'protesters'],
  [/\b(troops|soldiers|personnel|servicemen|fighters)\b/i, 'troops'],
  [/\b(votes?|ballots?)\b/i, 'votes'],
];

const PROSPECTIVE =
  /\b(hope[sd]?|hoping|expects?|expected|aims?|aiming|targets?|goal|forecasts?|projected|plans? to|planned|could|would|might|will|intends?|predicts?|predicted)\b/i;

const STOP_AFTER = new Set(
  `was were is are had has have be been to from in into on at by for with as of that which who and or but while than since after before during
  against over under across through per a an the this these those its their his her our said says told according would could will may might
  remained remain stayed stood rose fell dropped captured seized deployed dispatched killed reported it they he she we there given provided
  released issued published announced cited according`.split(/\s+/),
);
const NOT_A_UNIT =
  /^(years?|months?|weeks?|days?|hours?|minutes?|seconds?|o'clock|am|pm|a\.m\.?|p\.m\.?|times?|th|st|nd|rd|of|year-old|years-old|-year-old|january|february|march|april|may|june|july|august|september|october|november|december)$/i;

const CHANGE =
  /\b(from\s+(?:about|around|roughly|approximately|the\s+)*[\d$€£]|down from|up from|(?:fallen|fell|dropped|decreased|declined|shrunk|shrank|risen|rose|increased|grown|grew|climbed|jumped|slipped|sank|reduced|cut)\s+(?:\w+\s+){0,3}?(?:to|from|by)\b|compared with|compared to|a steep drop from|a drop from|a fall from|a rise from)/i;

const ANCHOR = new RegExp(
  [
    '\\b(?:in|on|since|by|as of|at the end of|at the start of|until)\\s+((?:late |early |mid-)?(?:january|february|march|april|may|june|july|august|september|october|november|december)(?:\\s+\\d{1,2})?(?:,?\\s+\\d{4})?|\\d{4}|monday|tuesday|wednesday|thursday|friday|saturday|sunday|spring|summer|autumn|winter)\\b',
    '\\b(last|this|next)\\s+(year|month|week|spring|summer|autumn|fall|winter)\\b',
    "\\b(this week['’]s reading|now|currently|today|yesterday|overnight|this morning|by morning|by midnight|initially|originally|at first|(?:early|initial|first|preliminary|earlier) (?:reports?|estimates?|figures?|counts?|tallies|toll)|at its peak|at the height of [a-z ]{3,30}|before the (?:closure|war|conflict|crisis|pandemic)|in its first (?:full )?year)\\b",
  ].join('|'),
  'gi',
);

function parseNumber(raw: string): number | null {
  const s = raw.trim().toLowerCase();
  const scale = /\s*(thousand|million|billion|trillion|bn|mn|tn|m|k)$/.exec(s);
  const base = scale ? s.slice(0, scale.index).trim() : s;
  const n = /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(base) ? Number(base.replace(/,/g, '')) : Number(base);
  if (!Number.isFinite(n)) return null;
  return scale ? n * (SCALE[scale[1] as string] ?? 1) : n;
}

function aliasUnit(words: string[]): string | null {
  // Measurement units come first ("1,300 square kilometres of territory"); counted things come last.
  for (const n of [2, 1]) {
    const prefix = words.slice(0, n).join(' ');
    for (const [re, unit] of UNIT_ALIASES) if (re.test(prefix)) return unit;
  }
  const last = words[words.length - 1] ?? '';
  for (const [re, unit] of UNIT_ALIASES) if (re.test(last)) return unit;
  return null;
}

function singular(word: string): string {
  return word
    .toLowerCase()
    .replace(/(ies)$/, 'y')
    .replace(/(?<!s)s$/, '');
}

/**
 * The unit said before the figure: "put the number at 40,000", "the crowd at 12,000", "the toll of 27",
 * "the number of people killed … has risen to 27".
 */
const UNIT_BEFORE =
  /\b(number|toll|death toll|figure|count|total|crowd|turnout|tally|estimate)(?:\s+of\s+(?:[a-z-]+\s+){0,2}?([a-z]+s)\b)?(?:[^.;]{0,90}?\bat|\s+of|[^.;]{0,90}?\b(?:has |had |have )?(?:risen|rose|climbed|increased|reached|stands?|stood)\s+(?:to|at))\s*(?:between\s*)?$/i;

/** The time expression nearest the figure, within its clause. */
function anchorNear(clause: string, at: number, others: readonly number[]): string | null {
  let best: { text: string; distance: number } | null = null;
  for (const m of clause.matchAll(ANCHOR)) {
    const pos = m.index ?? 0;
    const distance = Math.abs(pos - at);
    // An anchor belongs to the figure it is closest to; "said on Wednesday" dates the report, not the figure.
    if (others.some((o) => Math.abs(pos - o) < distance)) continue;
    if (/\b(said|says|told \w+|announced|reported|added|confirmed|stated)\s*$/i.test(clause.slice(0, pos))) continue;
    if (!best || distance < best.distance) best = { text: m[0].toLowerCase().replace(/^(in|on|since|by|as of|until)\s+/, ''), distance };
  }
  return best?.text ?? null;
}

/** A range ("between 10,000 and 12,000", "10,000-12,000") or one figure, with its currency or percent sign. */
const FIGURE = new RegExp(
  `between\\s+(?<cur>[$€£])?(?<a>${NUM})\\s*(?:and|to|-)\\s*[$€£]?(?<b>${NUM})|(?<cur3>[$€£])?(?<c>${NUM})\\s*(?:to|-)\\s*[$€£]?(?<d>${NUM})(?![\\d.])|(?<cur2>[$€£])?(?<n>${NUM})(?<pct>%)?`,
  'giu',
);

/**
 * Figures in one sentence. `earlier` are the figures of the sentences just before it in the same
 * article: "… estimated 10,000 to 12,000 troops. Kyiv put the number at more than 12,000" counts troops.
 */
export function findQuantities(sentence: string, earlier: readonly Quantity[] = []): Quantity[] {
  const out: Quantity[] = [];
  const text = sentence.replace(/[–—]/g, '-');
  for (const clause of text.split(/;\s+|,\s+(?:but|while|whereas)\s+/)) {
    // matchAll works on a copy of the pattern: the shared one's position never moves.
    const matches = [...clause.matchAll(FIGURE)];
    const found: Quantity[] = [];
    const starts: number[] = [];
    /** Figures that count what an earlier sentence's figure counted ("the number"), by index in `found`. */
    const inherited = new Map<number, Quantity>();
    for (const m of matches) {
      const g = m.groups ?? {};
      const start = m.index ?? 0;
      const before = clause.slice(0, start);
      const afterAll = clause.slice(start + m[0].length);
      // Parts of words, ages, times, dates, ordinals and years are not reported figures.
      if (/[\p{L}\d.-]$/u.test(before) && !/[$€£]$/.test(before)) continue;
      if (
        /^(-|\s*-\s*)?(year|month|week|day|hour|minute)s?-old\b|^(st|nd|rd|th)\b|^:\d|^-(year|month|week|day|hour|minute)\b/i.test(afterAll)
      )
        continue;
      let low: number;
      let high: number;
      let value: number;
      const ra = g.a ?? g.c;
      const rb = g.b ?? g.d;
      if (ra && rb) {
        const a = parseNumber(ra);
        const b = parseNumber(rb);
        if (a === null || b === null || b < a) continue;
        low = a;
        high = b;
        value = (a + b) / 2;
      } else {
        const n = parseNumber(g.n ?? '');
        if (n === null) continue;
        if (/^(19|20)\d{2}$/.test(g.n ?? '') && !g.cur2) continue;
        value = n;
        low = n;
        high = n;
        if (LOWER.test(before)) {
          low = n * 1.000001;
          high = Number.POSITIVE_INFINITY;
        } else if (UPPER.test(before)) low = 0;
        else if (APPROX.test(before)) {
          low = n * 0.9;
          high = /nearly|almost|close to/i.test(before) ? n : n * 1.1;
        }
      }
      let unit: string;
      let subjectWords: string[] = [];
      if (g.pct || /^\s*(per\s*cent|percent)\b/i.test(afterAll)) unit = '%';
      else if (g.cur || g.cur2 || g.cur3) unit = g.cur ?? g.cur2 ?? g.cur3 ?? '$';
      else {
        const words = (/^\s*[,.;:)]/.test(afterAll) ? '' : afterAll)
          .replace(/^[\s(]+/, '')
          .split(/\s+/)
          .map((w) => w.replace(/[^\p{L}\p{N}'’-]+$/u, ''))
          .filter(Boolean);
        for (const w of words.slice(0, 6)) {
          if (STOP_AFTER.has(w.toLowerCase()) || /^[\d(]/.test(w)) break;
          // A verb ends the noun phrase ("12,000 people marched"), unless it opens it ("displaced people").
          if (subjectWords.length > 0 && /\p{L}{3,}(ed|ing)$/u.test(w) && !/^(square|sq)$/i.test(subjectWords[0] ?? '')) break;
          subjectWords.push(w);
        }
        // "put the number at more than 12,000": the qualifier sits between the noun and the figure.
        const said = UNIT_BEFORE.exec(before.replace(LOWER, '').replace(UPPER, '').replace(APPROX, ''));
        // "Tarnovia says about 4,000 personnel are taking part; Belmark says between 10,000 and 12,000."
        const previousInSentence = out[out.length - 1] ?? found[found.length - 1];
        if (
          subjectWords.length === 0 &&
          !said &&
          previousInSentence &&
          /\b(says|said|puts?|estimates?|claims?)\s+(?:about|around|some|more than|over|between|roughly|nearly)?\s*$/i.test(before)
        ) {
          subjectWords = previousInSentence.subject.split(' ');
        }
        if (subjectWords.length === 0 && said) {
          const noun = (said[1] ?? '').toLowerCase();
          const of = said[2]?.toLowerCase();
          const antecedent = /^(number|figure|total|estimate|count|tally)$/.test(noun) ? earlier.at(-1) : undefined;
          const previous = found[found.length - 1] ?? antecedent;
          if (!found.length && antecedent) inherited.set(found.length, antecedent);
          subjectWords = of
            ? [of]
            : previous
              ? previous.subject.split(' ')
              : [noun.includes('toll') ? 'dead' : noun === 'crowd' || noun === 'turnout' ? 'people' : noun];
        }
        if (subjectWords.length === 0 || NOT_A_UNIT.test(subjectWords[0] ?? '')) continue;
        unit = aliasUnit(subjectWords) ?? singular(subjectWords[subjectWords.length - 1] ?? '');
      }
      const subject = subjectWords.join(' ') || unit;
      const near = `${before.split(/\s+/).slice(-7).join(' ')} ${m[0]} ${afterAll.split(/\s+/).slice(0, 8).join(' ')}`;
      const measure = unit === 'dead' || unit === 'injured' ? unit : (MEASURES.find(([r]) => r.test(`${near} ${subject}`))?.[1] ?? unit);
      let about: string | null = null;
      if (unit === '%' || /^[$€£]$|crown|euro|dollar|pound|franc|yen|rouble|ruble/.test(unit)) {
        const next = /^\s*(?:%|per\s*cent|percent)?\s*(?:million|billion|bn|m)?\s*(?:[a-z]+-)?([a-z]{3,})/i
          .exec(afterAll)?.[1]
          ?.toLowerCase();
        const prevNoun = [...before.matchAll(/\b([a-z]{4,})\b/gi)]
          .map((x) => (x[1] as string).toLowerCase())
          .filter(
            (w) =>
              !STOP_AFTER.has(w) &&
              !/^(about|around|roughly|some|nearly|almost|more|than|over|least|stood|stands|which|still|just|only|from|with|above|below|under|holding|running|reached|hit|rose|fell|cost|costs)$/.test(
                w,
              ),
          )
          .pop();
        about =
          next && !/^(of|in|on|to|by|and|for|from|year|month|week|per|cent|percent|the|with|than)$/.test(next) ? next : (prevNoun ?? null);
      }
      const of = /^\s*(?:%|per\s*cent|percent)\s+of\s+(?:the\s+)?([a-z]{3,})/i.exec(afterAll)?.[1]?.toLowerCase();
      if (of) about = of;
      if (/^\s*(?:%|per\s*cent|percent)?\s+of\s+(?:the\s+)?\w+\s+(counted|reporting|processed|tallied|in)\b/i.test(afterAll)) continue;
      // "the figure of 3,000 given by Governor Lena Marsh": only up to the next figure, which it would belong to.
      const nextFigure = afterAll.search(/\d/);
      // Only right after the figure's own noun ("27 dead given by …"), not a later phrase ("…, more than the
      // estimate published by the government": that names whose estimate the figure is compared with).
      const givenBy =
        /^\s*(?:[\p{L}-]+\s+){0,3}?(?:given|provided|released|issued|reported|published|announced|cited)\s+by\s+([^,.;]{3,60})/iu
          .exec(nextFigure >= 0 ? afterAll.slice(0, nextFigure) : afterAll)?.[1]
          ?.trim()
          .replace(
            /\s+(?:a|an|one|two|three|some)\s+(?:day|days|week|weeks|hour|hours)\s+(?:earlier|later|before|ago)$|\s+(?:earlier|later|on \w+)$/i,
            '',
          ) ?? null;
      const raw =
        `${APPROX.exec(before)?.[1] ?? LOWER.exec(before)?.[1] ?? UPPER.exec(before)?.[1] ?? ''} ${m[0]} ${unit === '%' && !g.pct ? 'per cent' : subject}`
          .replace(/\s+/g, ' ')
          .trim();
      starts.push(start);
      found.push({
        raw: raw.replace(/% per cent$/, '%').replace(/% %$/, '%'),
        low,
        high,
        value,
        unit,
        subject,
        context: new Set(contentTokens(clause).filter((t) => !t.startsWith('#'))),
        change: false,
        anchor: null,
        measure,
        about,
        prospective: PROSPECTIVE.test(before.split(/\s+/).slice(-8).join(' ')),
        givenBy,
      });
    }
    // Each time expression belongs to the figure it is closest to (years and times are not figures).
    found.forEach((q, j) => {
      q.anchor = anchorNear(
        clause,
        starts[j] as number,
        starts.filter((_, i) => i !== j),
      );
      // "the number" is the earlier figure's number: the same time, the same thing counted.
      const antecedent = inherited.get(j);
      if (antecedent) {
        q.anchor ??= antecedent.anchor;
        for (const t of contentTokens(antecedent.subject)) q.context.add(t);
      }
    });
    // A change needs both values in the clause ("down to 30 from 1,300"); "has risen to 27" is just the latest figure.
    if (CHANGE.test(clause)) {
      for (const q of found) if (found.filter((o) => o.unit === q.unit).length >= 2) q.change = true;
    }
    out.push(...found);
  }
  return out;
}
