/**
 * @module Countries with their demonyms, capitals and seats of government, so a speaker can be tied to
 * a party: "the Kremlin", "Moscow" and "Russian officials" all speak for Russia; "Kyiv" and "Ukraine's
 * General Staff" for Ukraine. Compact on purpose: the news-relevant countries and their usual metonyms.
 */

interface Country {
  name: string;
  /** Lowercase words or phrases that mean this country in a speaker phrase. */
  aliases: string[];
}

// name | demonyms and other aliases | capital and seats of government
const RAW = `
Afghanistan|afghan,afghanistan's|kabul,taliban
Albania|albanian|tirana
Algeria|algerian|algiers
Argentina|argentine,argentinian|buenos aires,casa rosada
Armenia|armenian|yerevan
Australia|australian|canberra
Austria|austrian|vienna
Azerbaijan|azerbaijani,azeri|baku
Bahrain|bahraini|manama
Bangladesh|bangladeshi|dhaka
Belarus|belarusian|minsk
Belgium|belgian|brussels
Bolivia|bolivian|la paz
Bosnia|bosnian|sarajevo
Brazil|brazilian|brasilia,planalto
Bulgaria|bulgarian|sofia
Cambodia|cambodian|phnom penh
Canada|canadian|ottawa
Chile|chilean|santiago
China|chinese,prc|beijing,zhongnanhai
Colombia|colombian|bogota
Croatia|croatian|zagreb
Cuba|cuban|havana
Cyprus|cypriot|nicosia
Czech Republic|czech,czechia|prague
Denmark|danish|copenhagen
Egypt|egyptian|cairo
Estonia|estonian|tallinn
Ethiopia|ethiopian|addis ababa
Finland|finnish|helsinki
France|french|paris,elysee,élysée
Georgia|georgian|tbilisi
Germany|german|berlin,bundestag,chancellery
Ghana|ghanaian|accra
Greece|greek|athens
Hungary|hungarian|budapest
India|indian|new delhi,delhi
Indonesia|indonesian|jakarta
Iran|iranian|tehran
Iraq|iraqi|baghdad
Ireland|irish|dublin
Israel|israeli|jerusalem,tel aviv,idf
Italy|italian|rome
Japan|japanese|tokyo
Jordan|jordanian|amman
Kazakhstan|kazakh|astana
Kenya|kenyan|nairobi
Kosovo|kosovar|pristina
Kuwait|kuwaiti|kuwait city
Latvia|latvian|riga
Lebanon|lebanese|beirut,hezbollah
Libya|libyan|tripoli
Lithuania|lithuanian|vilnius
Malaysia|malaysian|kuala lumpur
Mexico|mexican|mexico city
Moldova|moldovan|chisinau
Morocco|moroccan|rabat
Myanmar|burmese|naypyidaw
Netherlands|dutch|amsterdam,the hague
New Zealand|new zealander|wellington
Nigeria|nigerian|abuja
North Korea|north korean,dprk|pyongyang
Norway|norwegian|oslo
Pakistan|pakistani|islamabad
Palestine|palestinian|ramallah,hamas,gaza
Peru|peruvian|lima
Philippines|filipino,philippine|manila
Poland|polish|warsaw
Portugal|portuguese|lisbon
Qatar|qatari|doha
Romania|romanian|bucharest
Russia|russian,russian federation|moscow,kremlin
Saudi Arabia|saudi|riyadh
Serbia|serbian|belgrade
Singapore|singaporean|singapore
Slovakia|slovak|bratislava
Slovenia|slovenian|ljubljana
Somalia|somali|mogadishu
South Africa|south african|pretoria
South Korea|south korean,korean|seoul
Spain|spanish|madrid
Sudan|sudanese|khartoum
Sweden|swedish|stockholm
Switzerland|swiss|bern
Syria|syrian|damascus
Taiwan|taiwanese|taipei
Thailand|thai|bangkok
Tunisia|tunisian|tunis
Turkey|turkish,türkiye|ankara
Ukraine|ukrainian|kyiv,kiev
United Arab Emirates|emirati,uae|abu dhabi
United Kingdom|british,uk,u.k.,britain|london,downing street,whitehall
United States|american,u.s.,us,usa,u.s.a.,america|washington,white house,pentagon,state department
Venezuela|venezuelan|caracas
Vietnam|vietnamese|hanoi
Yemen|yemeni|sanaa,houthi,houthis
European Union|eu,european commission|brussels-based
NATO|nato,north atlantic treaty organization|
United Nations|un,u.n.,united nations|
`;

const COUNTRIES: Country[] = RAW.trim()
  .split('\n')
  .map((line) => {
    const [name = '', demonyms = '', seats = ''] = line.split('|');
    const aliases = [name.toLowerCase(), ...demonyms.split(','), ...seats.split(',')].map((s) => s.trim()).filter(Boolean);
    return { name, aliases };
  });

const ALIAS_TO_COUNTRY = new Map<string, string>();
for (const c of COUNTRIES) for (const a of c.aliases) if (!ALIAS_TO_COUNTRY.has(a)) ALIAS_TO_COUNTRY.set(a, c.name);
const LONGEST_FIRST = [...ALIAS_TO_COUNTRY.keys()].sort((a, b) => b.length - a.length);
const ALIAS_RE = new RegExp(
  `(?<![\\p{L}])(${LONGEST_FIRST.map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?:['’]s)?(?![\\p{L}])`,
  'giu',
);

/** Phrases already looked up: the dispute finder asks about the same speakers and phrases many times. */
const countriesCache = new Map<string, readonly string[]>();
const COUNTRIES_CACHE_SIZE = 20_000;

/** Countries named in a phrase, in order of appearance ("Russia's top military official" → ["Russia"]). */
export function countriesIn(phrase: string): string[] {
  const known = countriesCache.get(phrase);
  if (known) return [...known];
  const found = findCountries(phrase);
  if (countriesCache.size >= COUNTRIES_CACHE_SIZE) countriesCache.clear();
  countriesCache.set(phrase, found);
  return [...found];
}

function findCountries(phrase: string): string[] {
  const out: string[] = [];
  for (const m of phrase.matchAll(ALIAS_RE)) {
    const alias = (m[1] as string).toLowerCase();
    // "US"/"UK"/"UN" only when written in capitals: "us" is a pronoun.
    if ((alias === 'us' || alias === 'un') && m[1] !== alias.toUpperCase()) continue;
    const country = ALIAS_TO_COUNTRY.get(alias);
    if (country && !out.includes(country)) out.push(country);
  }
  return out;
}

export function isCountryAlias(word: string): boolean {
  return ALIAS_TO_COUNTRY.has(word.toLowerCase());
}
