/**
 * @module Pure: finds attributed statements in a sentence — who (speaker), how (reporting verb and
 * its class: asserting, denying, characterising) and what (the reported content, with quotes).
 * Rule-based and conservative: a sentence it cannot read yields nothing rather than a guess.
 *
 *   "Russia's top military official claimed that all Ukrainian forces have been removed."
 *   "“Our units hold positions,” Ukraine's General Staff said."
 *   "…, according to the Ukrainian, South Korean and American governments."
 *   "Ukraine's General Staff refuted Russia's claims as “propaganda”, stating that …"
 */
import { stripDateline } from '../nlp/sentences.ts';
import { ASSERT_VERBS, CHARACTERISE_VERBS, DENY_VERBS, LEADING_NON_NAME, SPEAKER_NOUNS } from './lexicon.ts';

export type VerbClass = 'assert' | 'deny' | 'characterise';

export interface Attribution {
  speaker: string;
  verb: string;
  verbClass: VerbClass;
  content: string;
  /** Pronoun speakers ("It", "He") that the caller should resolve from context. */
  pronoun: boolean;
}

const CLASS = new Map<string, VerbClass>([
  ...ASSERT_VERBS.map((v) => [v, 'assert'] as const),
  ...DENY_VERBS.map((v) => [v, 'deny'] as const),
  ...CHARACTERISE_VERBS.map((v) => [v, 'characterise'] as const),
]);
const VERBS = [...CLASS.keys()].join('|');

const PRONOUN = /^(he|she|it|they|we)$/i;
const CLAUSE_OPENERS =
  /^(however|meanwhile|nevertheless|nonetheless|but|and|still|yet|moreover|additionally|in addition|separately|instead|also|earlier|later|on saturday|on sunday|on monday|on tuesday|on wednesday|on thursday|on friday|in a statement|in response|in contrast|despite [^,]{1,60}|amid [^,]{1,80}|after [^,]{1,60}),\s*/i;

/** Words that end a speaker phrase when found in it: the "speaker" is then really a clause. */
const NOT_A_SPEAKER =
  /\b(that|which|whether|because|if|when|while|although|though|since|as|than|is|are|was|were|has|have|had|will|would|could|should|may|might|can|must|did|does|do|not)\b/i;

function cleanSpeaker(raw: string): string {
  let s = raw.trim();
  // "If Kelmar", "And he", "Its ministry": a connective or possessive before the speaker is not part of it.
  while (LEADING_NON_NAME.test(s) && s.replace(LEADING_NON_NAME, '').trim()) s = s.replace(LEADING_NON_NAME, '');
  return (
    s
      // "…burst on Sunday, flooding villages across the valley, officials said": the clause is not the speaker.
      .replace(/^\p{Ll}+(?:ing|ed)\b[^"“”]*,\s*/u, '')
      .replace(/,\s*(?:which|who|whose)\b[^,]*(?:,|$)/gi, '')
      .replace(/,\s*(?:speaking|writing|talking|addressing|appearing|responding|visiting|standing)\b[^,]*(?:,|$)/gi, '')
      .replace(
        /^(in|during|at|after|before|amid|despite|following|with|speaking|writing|across|outside|inside|near|from|on|by|for|later|earlier|meanwhile|asked|separately|elsewhere|back)\b[^,]{0,80},\s*/i,
        '',
      )
      .replace(/^[\s,;:"“”'‘’(]+|[\s,;:"“”'‘’)]+$/g, '')
      .replace(/^(the|a|an)\s+/i, (m) => (/^the\s+$/i.test(m) ? 'the ' : m))
      .replace(/\s*,?\s*(however|also|too|meanwhile)\s*,?$/i, '')
      .replace(
        /\s+(on|in a|in an|at a)\s+(\w+\s+){0,3}(statement|press release|interview|briefing|post|meeting|saturday|sunday|monday|tuesday|wednesday|thursday|friday)$/i,
        '',
      )
      .replace(/\s+(quickly|later|earlier|again|repeatedly|publicly|officially|separately|previously|firmly|flatly|strongly|swiftly)$/i, '')
      .trim()
  );
}

/** Lowercase words a speaker phrase may contain besides its head noun. */
const SPEAKER_FILLER = new Set(
  `of the and for a an in at from to on with senior top former local regional military foreign defence defense interior
  state federal national chief deputy general staff armed public health security intelligence spokes press two three
  several many some other opposition ruling government's country's company's city's police army western eastern
  northern southern european international independent human rights own its their his her rescue emergency fire
  coast civil civilian`.split(/\s+/),
);

/** "Marit Lund, the authority's chief executive": a name with its appositive. */
const NAME_APPOSITIVE = /^\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){0,2},\s+(?:the|a|an|its|their)?\s*[^,;:"“”]{3,70}$/u;

function isSpeakerPhrase(s: string): boolean {
  const words = s.split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > 14) return false;
  if (NAME_APPOSITIVE.test(s) && !NOT_A_SPEAKER.test(s.replace(/^[^,]+,/, ''))) return true;
  // "harbour master Rune Stadler", "opposition councillor Leda Marsh": a titled person.
  if (/^(?:[\p{Ll}'’-]+\s+){0,3}\p{Lu}[\p{L}'’-]+\s+\p{Lu}[\p{L}'’-]+$/u.test(s) && !NOT_A_SPEAKER.test(s)) return true;
  // "people familiar with the matter", "sources close to the talks": anonymous, but a holder a reader knows.
  if (
    /^(?:people|sources|persons|officials|someone|a person|one person)\s+(?:familiar with|close to|briefed on|with knowledge of|involved in)\b/i.test(
      s,
    )
  )
    return true;
  // "Organisers of Saturday's rent protest", "workers at the Delby plant": a speaker noun and what it belongs to.
  if (
    words.length <= 9 &&
    SPEAKER_NOUNS.test(words[0] === 'the' || words[0] === 'The' ? (words[1] ?? '') : (words[0] ?? '')) &&
    /^(?:the\s+)?\S+\s+(?:of|at|from|in|for)\s/i.test(s) &&
    !NOT_A_SPEAKER.test(s.replace(/^(?:the\s+)?\S+\s+(?:of|at|from|in|for)\s/i, ''))
  )
    return true;
  const stray = words.filter((w) => /^\p{Ll}/u.test(w) && !SPEAKER_FILLER.has(w.toLowerCase()) && !SPEAKER_NOUNS.test(w));
  // "the regional civil protection agency": a lowercase organisation name ending in its head noun.
  const headed =
    words.length <= 7 && SPEAKER_NOUNS.test(words[words.length - 1] ?? '') && !/^(he|she|it|they|we)$/i.test(words[words.length - 1] ?? '');
  if (stray.length > 1 && !headed) return false;
  if (NOT_A_SPEAKER.test(s) && !/\b(chief of|head of|minister of|ministry of)\b/i.test(s)) {
    // "has", "was" etc. inside a speaker phrase mean we matched a clause, not a noun phrase.
    return false;
  }
  return /\p{Lu}/u.test(s.replace(/^(the|a|an)\s/i, '')) || SPEAKER_NOUNS.test(s);
}

function cleanContent(raw: string): string {
  return (
    raw
      .trim()
      .replace(/^\s*(that|:|,)\s*/i, '')
      .replace(
        /^(?:on \w+|earlier(?: in the day| on \w+| this week)?|later|again|in a statement|in a press release|on social media|in an interview|at a (?:news|press) conference|on state television)(?:[^,"“]{0,40}?)\s+that\s+/i,
        '',
      )
      .replace(/^(on \w+|in a statement|in a press release|on social media|in an interview)\s+(that\s+)?/i, '')
      // "at a rally in Linnholm on Saturday that …": where and when it was said is not what was said.
      .replace(/^(?:at|in|during|on)\s+[^"“”,;]{3,60}?\s+that\s+/i, '')
      .replace(/^that\s+/i, '')
      .replace(/\s+/g, ' ')
      .replace(/[\s,;:]+$/, '')
      .trim()
  );
}

function unquote(s: string): string {
  return s
    .replace(/^[“"‘']+|[”"’']+$/g, '')
    .replace(/[,]$/, '')
    .trim();
}

/** Splits compound sentences into clauses that can each carry their own attribution. */
export function splitClauses(sentence: string): string[] {
  return sentence
    .split(/;\s+|,\s+(?=(?:but|while|whereas|although)\s)/)
    .map((c) => c.replace(/^(but|while|whereas|although)\s+/i, '').trim())
    .filter((c) => c.split(/\s+/).length >= 3);
}

const FORWARD = new RegExp(
  `^(?<speaker>.{2,140}?)\\s+(?:(?:has|have|had|also|quickly|later|earlier|again|flatly|firmly|publicly|swiftly|repeatedly|officially|on \\w+)\\s+){0,3}(?<verb>${VERBS})\\b(?<rest>.*)$`,
  'iu',
);
const REVERSE =
  /^(?<content>[“"‘].+[”"’]|.{8,}?)(?:,[”"’]?|[”"’],?)\s+(?<speaker>[^“”"]{2,90}?)\s+(?<verb>said|says|told [\w\s]{1,30}?|added|claimed|insisted|wrote|stated|declared|warned|argued|noted|confirmed|announced|reported)(?:\s+(?:on|in|at|to|during|after)\b[^.,]{0,80})?(?:,\s+(?:insisting|saying|adding|denying|calling|contradicting|disputing|rejecting|accusing|warning|noting)\b.*)?[.!?]?[”"’]?$/iu;
const INVERTED =
  /^(?<content>.{8,}?),?[”"’]?\s+(?<verb>said|says|added|wrote|claimed|insisted)\s+(?!(?:on|in|at|during|after|before|late|early|last|this|earlier|later)\b)(?<speaker>[^,.]{2,90})[.!?]?$/iu;
const ACCORDING =
  /(?:^|,\s*|\s)(?:according to|as (?:confirmed|reported|stated|announced|estimated) by) (?<speaker>[^.;]{2,140}?)(?=[.;]|$)/iu;

/** "according to X, Y and Z" keeps the list; "according to X, <the rest of the sentence>" keeps X. */
function speakerOfAccording(raw: string): string {
  const captured = raw.split(/\s*[—–]\s*|\s+-\s+|\s*\(/)[0] ?? raw;
  if (!captured.includes(',')) return captured;
  if (/^[^,]{2,60}(,\s*[^,]{2,40})*,?\s+(and|or)\s+[^,]{2,50}$/.test(captured) && captured.split(/\s+/).length <= 14) return captured;
  return captured.split(',')[0] ?? captured;
}

function fromForward(clause: string): Attribution | null {
  const m = FORWARD.exec(clause);
  if (!m?.groups) return null;
  const speaker = cleanSpeaker(m.groups.speaker ?? '');
  // "Neither side disputes that…", "No one denied…": a negated statement says the opposite.
  if (/^(neither|no|none|nobody|no one|not)\b/i.test(speaker)) return null;
  if (!isSpeakerPhrase(speaker)) return null;
  const verb = (m.groups.verb ?? '').toLowerCase();
  let rest = m.groups.rest ?? '';
  if (verb === 'told' || verb === 'tells') {
    // "told reporters that …", "told the Financial Times that …", "told journalists: …"
    const t = /^\s+[^:"“]{1,60}?(?:\s+that\s+|:\s*|,\s*)(.*)$/iu.exec(rest);
    if (!t) return null;
    rest = t[1] ?? '';
  }
  if (verb === 'put' || verb === 'puts') {
    if (!/\b(toll|number|figure|count|total|crowd|turnout|tally)\b/i.test(rest)) return null;
  }
  const content = cleanContent(rest);
  // "declared victory" is a whole claim in one word.
  if (content.split(/\s+/).length < 2 && CLASS.get(verb) !== 'deny' && !/^victory\b/i.test(content)) return null;
  return { speaker, verb, verbClass: CLASS.get(verb) ?? 'assert', content, pronoun: PRONOUN.test(speaker) };
}

function fromReverse(clause: string): Attribution | null {
  const m = REVERSE.exec(clause) ?? INVERTED.exec(clause);
  if (!m?.groups) return null;
  const speaker = cleanSpeaker(m.groups.speaker ?? '');
  if (!isSpeakerPhrase(speaker) || /^(he|she|it|they)\s+\w/i.test(speaker)) {
    if (!PRONOUN.test(speaker)) return null;
  }
  const verb = (m.groups.verb ?? '').split(/\s+/)[0]?.toLowerCase() ?? 'said';
  const content = unquote(cleanContent(m.groups.content ?? ''));
  if (content.split(/\s+/).length < 3) return null;
  return { speaker, verb, verbClass: CLASS.get(verb) ?? 'assert', content, pronoun: PRONOUN.test(speaker) };
}

/** Participles that continue the same speaker: "…, insisting that …", "…, calling them “…”". */
const PARTICIPLES =
  'insisting|saying|stating|adding|maintaining|arguing|claiming|asserting|noting|warning|denying|calling|describing|dismissing|rejecting|disputing|contradicting|refuting|accusing';
const PARTICIPLE_START = new RegExp(`,\\s+(${PARTICIPLES})\\s`, 'iu');

const SUBJECT_THEN_PARTICIPLE = new RegExp(
  `^(?<speaker>[^,]{2,90}?)\\s+(?:has |have |had |was |were )?[\\p{L}-]+(?:ed|s)\\b[^,]{0,140},\\s+(?:${PARTICIPLES})\\s`,
  'u',
);

/** Participles that continue the same speaker: "…, insisting that …", "…, calling them “…”". */
function participles(clause: string, speaker: string): Attribution[] {
  const out: Attribution[] = [];
  const re = new RegExp(`,\\s+(${PARTICIPLES})\\s+(.+?)(?=,\\s+(?:${PARTICIPLES})\\s|$)`, 'giu');
  for (const m of clause.matchAll(re)) {
    const p = (m[1] ?? '').toLowerCase();
    const verbClass: VerbClass = /deny|dismiss|reject|disput|contradict|refut/.test(p)
      ? 'deny'
      : /call|describ/.test(p)
        ? 'characterise'
        : 'assert';
    const content = cleanContent(m[2] ?? '');
    if (content.split(/\s+/).length >= 2) out.push({ speaker, verb: p, verbClass, content, pronoun: PRONOUN.test(speaker) });
  }
  return out;
}

/** "X said A, and denied B": the second verb is a statement of its own by the same speaker. */
function coordinated(a: Attribution): Attribution[] {
  const m =
    /,?\s+(?:and|but)\s+(?:also\s+)?(denied|denies|rejected|rejects|disputed|disputes|insisted|insists|said|says|added|claimed|claims|refuted|maintained)\s+(?:that\s+)?(.+)$/iu.exec(
      a.content,
    );
  if (!m?.[1] || !m[2] || (m.index ?? 0) < 8) return [a];
  const verb = m[1].toLowerCase();
  const first = { ...a, content: a.content.slice(0, m.index).trim() };
  const second: Attribution = { ...a, verb, verbClass: CLASS.get(verb) ?? 'assert', content: cleanContent(m[2]) };
  return [first, second];
}

/** All attributions in one sentence (a compound sentence may hold several). */
export function findAttributions(sentence: string): Attribution[] {
  const out: Attribution[] = [];
  const trimmed = stripDateline(sentence).replace(CLAUSE_OPENERS, '').trim();
  const according = ACCORDING.exec(trimmed);
  if (according?.groups?.speaker) {
    const full = according.groups.speaker;
    const kept = speakerOfAccording(full);
    const speaker = cleanSpeaker(kept);
    const rest = full.slice(kept.length).replace(/^\s*,\s*/, '');
    const content = cleanContent(`${trimmed.slice(0, according.index)} ${rest}`.replace(/^[,\s]+/, ''));
    if (isSpeakerPhrase(speaker) && content.split(/\s+/).length >= 3) {
      out.push({ speaker, verb: 'according to', verbClass: 'assert', content, pronoun: false });
      return out;
    }
  }
  for (const raw of splitClauses(trimmed)) {
    const clause = raw.replace(CLAUSE_OPENERS, '');
    const quoteFirst = /^[“"‘]/.test(clause);
    const a = quoteFirst ? (fromReverse(clause) ?? fromForward(clause)) : (fromForward(clause) ?? fromReverse(clause));
    if (!a) {
      // "The authority has fined Lumen 18.5 million crowns, saying the operator misled customers."
      const subject = SUBJECT_THEN_PARTICIPLE.exec(clause)?.groups?.speaker;
      if (subject && isSpeakerPhrase(cleanSpeaker(subject))) out.push(...participles(clause, cleanSpeaker(subject)));
      continue;
    }
    // The main content stops where a participle clause starts; those are separate statements.
    const cut = PARTICIPLE_START.exec(a.content);
    out.push(...coordinated(cut ? { ...a, content: a.content.slice(0, cut.index).trim() } : a));
    out.push(...participles(clause, a.speaker));
  }
  return out.filter((a) => a.content.length > 0 || a.verbClass === 'deny');
}
