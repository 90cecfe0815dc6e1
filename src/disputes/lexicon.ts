/**
 * @module Rules as data: every word list and cue the dispute finders use, in one place. A new
 * reporting verb, denial cue or non-speaker word is added here, not in a finder.
 */

/** Reporting verbs that assert what follows. */
export const ASSERT_VERBS: readonly string[] = [
  'said',
  'says',
  'say',
  'claimed',
  'claims',
  'announced',
  'announces',
  'declared',
  'declares',
  'stated',
  'states',
  'asserted',
  'asserts',
  'insisted',
  'insists',
  'maintained',
  'maintains',
  'reported',
  'reports',
  'told',
  'tells',
  'added',
  'adds',
  'confirmed',
  'confirms',
  'acknowledged',
  'acknowledges',
  'admitted',
  'admits',
  'argued',
  'argues',
  'warned',
  'warns',
  'wrote',
  'writes',
  'posted',
  'noted',
  'notes',
  'estimated',
  'estimates',
  'alleged',
  'alleges',
  'accused',
  'accuses',
  'stressed',
  'emphasised',
  'emphasized',
  'suggested',
  'indicated',
  'conveyed',
  'relayed',
  'verified',
  'boasted',
  'hailed',
  'predicted',
  'promised',
  'pledged',
  'vowed',
  'counted',
  'put',
  'puts',
  'recorded',
  'showed',
  'shows',
  'repeated',
  'repeats',
  'reiterated',
  'reiterates',
];
/** Reporting verbs that deny or contest what follows (or what was said before). */
export const DENY_VERBS: readonly string[] = [
  'denied',
  'denies',
  'deny',
  'refuted',
  'refutes',
  'rejected',
  'rejects',
  'dismissed',
  'dismisses',
  'disputed',
  'disputes',
  'contradicted',
  'contradicts',
  'rebutted',
  'rebuts',
  'countered',
  'counters',
  'challenged',
  'challenges',
  'disowned',
];
/** Reporting verbs that put a label on something ("called it a stunt"). */
export const CHARACTERISE_VERBS: readonly string[] = [
  'called',
  'calls',
  'described',
  'describes',
  'branded',
  'brands',
  'labelled',
  'labeled',
  'dubbed',
];

/** Nouns that can head a speaker phrase without a capital letter ("officials said"). */
export const SPEAKER_NOUNS =
  /\b(officials?|hall|city hall|town hall|publicists?|agents?|managers?|coach|club|team|investigators?|researchers?|scientists?|fact-checkers?|sources?|spokes(?:man|woman|person)|ministry|ministers?|government|army|military|police|agency|commission|regulator|company|firm|organi[sz]ers?|authorities|staff|forces|command|representatives|residents|witnesses|analysts|experts|observers|monitors?|group|union|party|campaign|federation|association|guild|authority|corps|front|league|alliance|institute|foundation|watch|inspectorate|ombudsman|tribunal|lawyers?|court|prosecutors?|council|committee|board|operator|airline|bank|network|embassy|office|service|intelligence|governments?|leaders?|chief|president|mayor|governor|minister|commander|director|ceo|chairman|chairwoman|secretary|envoy|ambassador|diplomats?|statement|report|reports|figures|data|tally|toll|count|survey|poll|study|rebels?|insurgents?|militants?|troops|soldiers|navy|coast guard|hospital|doctors?|medics|rescuers|firefighters|fire service|services|he|she|it|they|we)\b/i;

/** Said of a statement, these words say it is untrue (in a denial, or an outlet's own debunk). */
export const FALSITY =
  /\b(untrue|not true|false|falsely|baseless|groundless|fabricat\w*|propaganda|do(?:es)? not correspond to reality|wishful thinking|nonsense|(?:is|are|was|were)\s+(?:a\s+)?lies?|(?:is|are|was|were)\s+lying|bullshit|never happened|no truth|misleading|incorrect|inaccurate|not accurate|fake|distort\w*|absurd|not the case|no basis|no such|unfounded|without foundation|hoax|made up|a myth|debunked|doctored|manipulated|fiction|fictitious|rumou?rs? (?:are|is) (?:false|untrue|wrong))\b/i;

/** An outlet's or a fact-checker's own verdict on a claim: "The claim is false", "There is no evidence that…". */
export const DEBUNK =
  /\b(?:(?:is|are|was|were)\s+(?:false|untrue|not true|not accurate|inaccurate|misleading|fake|a hoax|fabricated|doctored|manipulated|baseless|unfounded)(?![\p{L}-])(?!\s+to\b)|(?:video|image|photo|footage|clip|picture|screenshot)s?\s+(?:is|are|was|were)\s+(?:old|not new|years old|from (?:19|20)\d\d)|(?:there is|there was|there's|found|showed?|saw|has seen|have seen|with)\s+no\s+(?:evidence|record|sign|indication|trace|proof)|no such (?:plan|law|rule|decision|ban|order|policy|proposal|video|statement|letter)|(?:labelled|labeled|rated|marked|flagged|judged|found to be|shown to be|proved to be|proven to be)\s+(?:as\s+)?(?:false|misleading|fake|a hoax|fabricated|altered|doctored|manipulated|inaccurate|out of context)|(?:a|the)\s+(?:hoax|fabrication|fake|doctored (?:image|photo|video|screenshot)|fabricated (?:screenshot|quote|image|document))|(?:was|were)\s+(?:filmed|taken|recorded|shot|published|posted)\b[^.;]{0,40}?\b(?:(?:in|during)\s+(?:\d{4}|another|a different|an earlier)|(?:years|months)\s+(?:ago|earlier|before))|(?:is|are|was)\s+alive\b|that is not (?:accurate|true|correct|the case))/iu;

/** Who spreads a rumour: no named holder, but a kind of source that can be labelled. */
export const RUMOUR_SOURCE =
  /\b((?:an?\s+|the\s+)?(?:viral\s+|widely shared\s+|anonymous\s+|social media\s+)*(?:(?:posts?|messages?|videos?|rumou?rs?|screenshots?|images?|clips?|graphics?|pictures?)(?:\s+(?!(?:that|was|were|is|are|has|have|had|and|but|which|who|it|he|she|they)\b)[\p{L}’'-]+){0,8}?|claims?\s+(?:circulating|spreading|shared)(?:\s+(?!(?:that|was|were|is|are|has|have|had|and|but)\b)[\p{L}’'-]+){0,4}?))\s+(?:claim\w*|say\w*|suggest\w*|alleg\w*|purport\w*|appear\w* to show|show\w*|that)\b/iu;

/** Nouns that stand for a claim already made: "rejected the claim", "denied these reports". */
export const CLAIM_NOUNS =
  /^(?:the|that|this|these|those|such|any|all|media|press|news|earlier|recent|[\p{Lu}][\p{L}'’-]*['’]s|his|her|its|their)?\s*(?:(?:latest|new|recent|earlier|initial|media|press|news|widespread|repeated|the)\s+)*(claims?|assertions?|allegations?|accusations?|reports?|suggestions?|statements?|account|version|rumou?rs?|story|stories|charges?|views?|assessment|figures?|numbers?|estimates?)\b/iu;

/**
 * Objects that a deny/reject verb can have without disputing a fact: a court rejects an appeal, a
 * committee an amendment, a family a request. Neither side says the other is wrong about what happened.
 */
export const PROCEDURAL_OBJECT =
  /^(?:the|a|an|its|his|her|their|this|that|any|all)?\s*(?:[\p{L}'’-]+\s+){0,3}?(appeals?|motions?|amendments?|bills?|bids?|offers?|requests?|applications?|proposals?|pleas?|nominations?|candidac(?:y|ies)|petitions?|arguments?|demands?|invitations?|calls? for|resignations?|deals?|plans?|budgets?|terms|conditions|settlements?|compromises?|ideas?|groom|bride|suitor|transfer request|bail)\b/iu;

/** Plans, wishes and vows: not claims about what happened, so not deniable facts. */
export const INTENTION =
  /^(?:\S+\s+){0,2}(?:would|will|won['’]t|will not|wouldn['’]t|plans? to|intends? to|hopes? to|wants? to|is going to|are going to|vows? to|pledges? to|aims? to|is ready to|are ready to|shall)\b/i;

/**
 * Words that cannot be who holds a view: a label that starts with a day, a time or a connective
 * ("Wednesday's vote", "And he"), or that is only a pronoun or an indefinite ("they", "critics").
 */
export const NOT_A_HOLDER =
  /^(?:the\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight|tomorrow|overnight|earlier|later|morning|afternoon|evening|week|weekend|month|year|january|february|march|april|june|july|august|september|october|november|december|and|but|or|if|when|as|after|before|while|although|though|because|since|despite|however|meanwhile|also|then|so|yet|still|nor|neither|either)\b|^(?:it|he|she|they|we|i|you|this|that|these|those|there|here|what|which|who|whom|one|someone|anyone|everyone|nobody|no one|none|many|some|others?|critics|supporters|people|everybody)$/i;

/** Leading words that are not part of a name: "If Kelmar", "And Vostria", "Its ministry". */
export const LEADING_NON_NAME =
  /^(?:if|and|but|or|as|when|while|after|before|since|because|although|though|despite|however|meanwhile|also|then|so|yet|still|its|his|her|their|our|two|three|four|five|several|some|many|both|other|another|such)\s+/i;

/** A fact-checking voice: its verdict counts as a debunk, not as one more side's claim. */
export const FACT_CHECKER = /\b(fact[- ]?check\w*|verification (?:team|unit|desk)|factcheck\w*|debunk\w*|open[- ]source investigators?)\b/i;

/** "fact-checkers at Groundtruth Desk", "the fact-checking group Groundtruth Desk": the checker's name. */
export const FACT_CHECKER_NAME =
  /\bfact[- ]?check\w*(?:\s+(?:group|site|organi[sz]ation|team|unit|desk|service|project))?\s+(?:at\s+|from\s+)?((?:\p{Lu}[\p{L}’'-]+)(?:\s+\p{Lu}[\p{L}’'-]+){0,3})/u;

/** Figures that count nothing: dates, years, routes, articles of a law, flight numbers. */
export const NOT_A_COUNT =
  /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}\/\d{1,2}\b|\b(?:article|route|flight|highway|interstate|chapter|section|clause|rule|room|gate|platform|line|bus|channel|level|grade|stage|round|phase|seat|number|no\.)\s+\d+/i;

/** Side labels no reader can use: a weekday, a filler word, a pronoun, a dangling dash. */
export const GARBLED_LABEL =
  /^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|and|but|or|if|when|as|after|before|while|although|though|because|since|despite|however|meanwhile|also|then|so|yet|still|its|his|her|their|our|my|your|this|that|these|those|it|he|she|they|we|two|three|four|several|some|many)\b|\(\s*-|,\s*-\)|\(\s*\)|^-|^\W*$/i;
