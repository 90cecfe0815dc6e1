/** English function words, plus the reporting vocabulary every news story shares. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  `a about above across after afterwards again against all almost alone along already also although always am among amongst an and another any
anyhow anyone anything anyway anywhere are around as at back be became because become becomes becoming been before beforehand behind being
below beside besides between beyond both but by can cannot could did do does doing done down due during each either else elsewhere enough etc
even ever every everyone everything everywhere except few first for former formerly from further had has have having he hence her here hereafter
hereby herein hers herself him himself his how however i if in indeed into is it its itself just last latter least less made many may me meanwhile
might mine more moreover most mostly much must my myself namely neither never nevertheless next no nobody none nor not nothing now nowhere of off
often on once one only onto or other others otherwise our ours ourselves out over own per perhaps please put quite rather re same see seem seemed
seeming seems several she should since so some somehow someone something sometime sometimes somewhere still such than that the their theirs them
themselves then thence there thereafter thereby therefore therein thereupon these they this those though through throughout thru thus to together
too toward towards under until up upon us very via was we well were what whatever when whence whenever where whereafter whereas whereby wherein
whereupon wherever whether which while whither who whoever whole whom whose why will with within without would yet you your yours yourself
yourselves s t don didn doesn isn wasn weren won wouldn couldn shouldn hasn haven hadn aren ll ve d m o y ain also said says say saying told tell
according reported reports report added adding news new week weeks today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday
mr mrs ms dr year years month months day days time times like get got make makes including include includes includ use used using`.split(
    /\s+/,
  ),
);

export const MONTHS: ReadonlySet<string> = new Set(
  'january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec'.split(
    ' ',
  ),
);
