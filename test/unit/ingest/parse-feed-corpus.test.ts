/**
 * The odd-feed corpus (test/fixtures/feeds/odd): every fixture is decoded with the content type its
 * manifest entry gives and parsed, and must come out exactly as the manifest says. The cases below
 * the manifest sweep check what a reader would actually see for the interesting ones.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FeedItem, ParsedFeed } from '../../../src/core/types.ts';
import { type DecodedBody, decodeBody } from '../../../src/ingest/decode-body.ts';
import { parseFeed } from '../../../src/ingest/parse-feed.ts';
import { FeedParseError } from '../../../src/shared/errors.ts';

interface ManifestEntry {
  file: string;
  contentType: string;
  expect: 'ok' | 'error';
  items?: number;
  format?: ParsedFeed['format'];
  charset?: string;
  warning?: string;
  code?: string;
  message?: string;
  why: string;
}

const DIR = new URL('../../fixtures/feeds/odd/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', DIR), 'utf8')) as { feeds: ManifestEntry[] };
const entries = manifest.feeds;
const okEntries = entries.filter((e) => e.expect === 'ok');
const errorEntries = entries.filter((e) => e.expect === 'error');
const NOW = new Date('2025-05-01T00:00:00Z');
const FEED_HOST = 'https://odd.feeds.example';

function entry(file: string): ManifestEntry {
  const found = entries.find((e) => e.file === file);
  if (!found) throw new Error(`${file} is not in the manifest`);
  return found;
}

function decode(file: string): DecodedBody {
  return decodeBody(readFileSync(new URL(file, DIR)), entry(file).contentType);
}

async function parse(file: string): Promise<{ decoded: DecodedBody; feed: ParsedFeed }> {
  const decoded = decode(file);
  const feed = await parseFeed(decoded.text, { feedUrl: `${FEED_HOST}/odd/${file}`, now: NOW });
  return { decoded, feed };
}

async function parseError(file: string): Promise<FeedParseError> {
  try {
    await parse(file);
  } catch (err) {
    if (err instanceof FeedParseError) return err;
    throw err;
  }
  throw new Error(`${file} parsed, but should have failed`);
}

function byGuid(feed: ParsedFeed, guid: string): FeedItem {
  const item = feed.items.find((i) => i.guid === guid);
  if (!item) throw new Error(`no item ${guid}; have ${feed.items.map((i) => i.guid).join(', ')}`);
  return item;
}

describe('ingest/parse-feed: the odd-feed corpus manifest', () => {
  it('lists every fixture file exactly once, and covers at least 34 feeds', () => {
    const onDisk = readdirSync(DIR)
      .filter((f) => f !== 'manifest.json' && !f.startsWith('.'))
      .sort();
    const listed = entries.map((e) => e.file).sort();
    expect(listed).toEqual(onDisk);
    expect(new Set(listed).size).toBe(listed.length);
    expect(entries.length).toBeGreaterThanOrEqual(34);
    for (const e of entries) {
      expect(e.why, e.file).toBeTruthy();
      expect(e.contentType, e.file).toBeTruthy();
      if (e.expect === 'ok') expect(typeof e.items, e.file).toBe('number');
      else expect(['feed_empty', 'feed_not_a_feed', 'feed_malformed'], e.file).toContain(e.code);
    }
  });

  it.each(okEntries.map((e) => [e.file, e] as const))('parses %s as the manifest says', async (file, e) => {
    const { decoded, feed } = await parse(file);
    const warnings = [...decoded.warnings, ...feed.warnings];
    expect(feed.items, `${file}: ${warnings.join(' | ')}`).toHaveLength(e.items ?? -1);
    if (e.format) expect(feed.format).toBe(e.format);
    if (e.charset) expect(decoded.charset).toBe(e.charset);
    if (e.warning) expect(warnings.join('\n')).toMatch(new RegExp(e.warning));
    else expect(warnings, `${file} should need no repairs`).toEqual([]);
    for (const item of feed.items) {
      expect(item.guid.trim(), `${file}: every item has an id`).not.toBe('');
      if (item.url !== null) expect(item.url).toMatch(/^https?:\/\/[^/]+\//);
      expect(item.title + (item.summaryHtml ?? '') + (item.contentHtml ?? '') + (item.url ?? '')).not.toBe('');
      // biome-ignore lint/suspicious/noControlCharactersInRegex: no control characters may reach a reader.
      expect(item.title).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFD]/);
      if (item.publishedAt !== null) {
        expect(item.publishedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        expect(Date.parse(item.publishedAt)).toBeLessThanOrEqual(NOW.getTime() + 2 * 86_400_000);
        expect(Date.parse(item.publishedAt)).toBeGreaterThan(Date.parse('2000-01-02T00:00:00Z'));
      }
    }
    expect(new Set(feed.items.map((i) => i.guid)).size, `${file}: ids are unique`).toBe(feed.items.length);
  });

  it.each(errorEntries.map((e) => [e.file, e] as const))('rejects %s with the manifest error code', async (file, e) => {
    const err = await parseError(file);
    expect(err.code).toBe(e.code);
    expect(err.message.length).toBeGreaterThan(5);
    if (e.message) expect(err.message).toMatch(new RegExp(e.message));
  });
});

describe('ingest/parse-feed: RSS, RDF and Atom variants', () => {
  it('reads the clean RSS 2.0 baseline field by field', async () => {
    const { feed } = await parse('rss2-clean.xml');
    expect(feed.title).toBe('Harbourview Gazette - Local');
    expect(feed.siteUrl).toBe('https://gazette.example.com/');
    expect(feed.items.map((i) => i.guid)).toEqual(['hvg-10231', 'hvg-10232', 'hvg-10233']);
    const ferry = byGuid(feed, 'hvg-10231');
    expect(ferry).toMatchObject({
      guidSource: 'guid',
      url: 'https://gazette.example.com/2025/04/ferry-timetable',
      title: 'Ferry timetable gains two extra weekday crossings',
      publishedAt: '2025-04-26T09:15:00.000Z',
      author: 'Mira Castell',
      categories: ['Transport'],
    });
    expect(ferry.contentHtml).toContain('Commuters had asked for an earlier boat');
    expect(byGuid(feed, 'hvg-10232').publishedAt).toBe('2025-04-25T16:40:00.000Z');
  });

  it('reads RSS 0.91 behind a Netscape DOCTYPE, decoding its ISO-8859-1 bytes', async () => {
    const { feed } = await parse('rss091-netscape.xml');
    expect(feed.format).toBe('rss09');
    const cafe = feed.items[0];
    expect(cafe?.title).toBe('Café on the green wins a licence for outdoor tables');
    expect(cafe?.guid).toBe('http://crier.example.com/stories/cafe-tables.html');
    expect(cafe?.guidSource).toBe('link');
    expect(cafe?.publishedAt).toBeNull();
  });

  it('keeps RSS 0.92 items without a title or without a link', async () => {
    const { feed } = await parse('rss092.xml');
    const untitled = feed.items[1];
    expect(untitled?.title).toBe('');
    expect(untitled?.url).toBe('http://valleyradio.example.net/bulletin/2025-04-26-mill-bridge');
    expect(untitled?.summaryHtml).toContain('Road closure on the old mill bridge');
    const unlinked = feed.items[2];
    expect(unlinked?.title).toBe('Choir festival sells out');
    expect(unlinked?.url).toBeNull();
    expect(unlinked?.guidSource).toBe('content');
    expect(unlinked?.guid).toMatch(/^sha256:[0-9a-f]{24}$/);
  });

  it('uses rdf:about as the id of RSS 1.0 items and converts dc:date offsets to UTC', async () => {
    const { feed } = await parse('rss1-rdf-dcdate.rdf');
    expect(feed.items.map((i) => [i.guid, i.publishedAt])).toEqual([
      ['https://science.example.org/news/comet-survey', '2025-04-25T12:30:00.000Z'],
      ['https://science.example.org/news/soil-bacteria', '2025-04-23T09:00:00.000Z'],
    ]);
    expect(feed.items[0]?.author).toBe('Northfield Press Office');
  });

  it('reads Atom ids, offsets, update times and authors', async () => {
    const { feed } = await parse('atom1.xml');
    expect(feed.siteUrl).toBe('https://courier.example.com/cityhall/');
    expect(byGuid(feed, 'tag:courier.example.com,2025:cityhall-881')).toMatchObject({
      url: 'https://courier.example.com/cityhall/2025/04/26/bus-lanes',
      publishedAt: '2025-04-26T10:30:00.000Z',
      updatedAt: '2025-04-26T11:00:00.000Z',
      author: 'Priya Okafor',
      summaryHtml: 'The lanes will operate at peak hours only.',
    });
    expect(byGuid(feed, 'tag:courier.example.com,2025:cityhall-880').publishedAt).toBe('2025-04-25T20:05:00.000Z');
  });

  it('derives Atom entry ids from their links when <id> is missing', async () => {
    const { feed } = await parse('atom-no-ids.xml');
    expect(feed.items.map((i) => [i.guid, i.guidSource])).toEqual([
      ['https://riverside.example.com/news/allotments', 'link'],
      ['https://riverside.example.com/news/footbridge', 'link'],
    ]);
  });

  it('strips markup from type="html" titles and keeps escaped HTML content as HTML', async () => {
    const { feed } = await parse('atom-html-xhtml-content.xml');
    const readers = feed.items[0];
    expect(readers?.title).toBe('Firmware update fixes tram ticket readers');
    expect(readers?.contentHtml).toBe(
      '<p>Readers on the number 4 line had been <strong>rejecting</strong> valid passes since March.</p><p>The vendor pushed a fix overnight.</p>',
    );
  });

  it('keeps the words of type="xhtml" titles and content in order, without the wrapping div', async () => {
    const { feed } = await parse('atom-html-xhtml-content.xml');
    const parking = feed.items[1];
    expect(parking?.title).toBe('Open data portal adds live parking counts');
    expect(parking?.contentHtml).toBe(
      '<p>Five multi-storey car parks now publish <em>free space</em> counts every minute.</p><p>The feed is free to reuse.</p>',
    );
  });

  it('resolves relative Atom hrefs against the alternate link, and a self-closing <content src> swallows nothing', async () => {
    const { feed } = await parse('atom-relative-links.xml');
    expect(feed.items.map((i) => i.url)).toEqual([
      'https://uplands.example.net/news/2025/sheep-fair',
      'https://uplands.example.net/news/2025/quarry-plan',
      'https://uplands.example.net/news/2025/rescue-award',
    ]);
    expect(feed.items[1]?.title).toBe('Quarry expansion plan withdrawn');
    expect(feed.items[1]?.contentHtml).toBe('<p>The operator said it would submit a smaller scheme next year.</p>');
  });

  it('reads RSS without a version attribute as RSS 2.0', async () => {
    const { feed } = await parse('rss-no-version.xml');
    expect(feed.items.map((i) => i.title)).toEqual(['Tree planting day draws 300 volunteers', 'Village hall gets solar panels']);
  });

  it('uses a permalink guid as the article URL when there is no <link>', async () => {
    const { feed } = await parse('guid-permalink-only.xml');
    expect(feed.items.map((i) => [i.url, i.guid, i.guidSource])).toEqual([
      ['https://thornbury.example.com/news/castle-centre', 'https://thornbury.example.com/news/castle-centre', 'guid'],
      ['https://thornbury.example.com/news/night-bus', 'https://thornbury.example.com/news/night-bus', 'guid'],
    ]);
  });

  it('ignores media:* and itunes:* elements instead of mistaking them for content', async () => {
    const { feed } = await parse('namespaced-media-itunes.xml');
    expect(feed.items.map((i) => [i.guid, i.title, i.url])).toEqual([
      ['pw-ep-112', 'Episode 112: the new skate park', 'https://pinewood.example.com/episodes/112'],
      ['pw-ep-111', 'Episode 111: allotment special', 'https://pinewood.example.com/episodes/111'],
    ]);
    expect(feed.items[0]?.summaryHtml).toBe('We talk to the teenagers who designed it.');
  });

  it('reads CDATA in every element: trims the link, strips title markup, rejoins a split "]]>"', async () => {
    const { feed } = await parse('cdata-everywhere.xml');
    expect(feed.title).toBe('Crossroads Post & Record');
    const hare = byGuid(feed, 'crp-6001');
    expect(hare.url).toBe('https://crossroads.example.org/news/copper-hare?ref=rss&utm_source=feed');
    expect(hare.title).toBe('Roundabout art: giant copper hare unveiled');
    expect(hare.categories).toEqual(['Arts & Culture']);
    expect(hare.author).toBe('Ines Marlow');
    expect(byGuid(feed, 'crp-6002').summaryHtml).toBe('Nearly 4,000 residents answered. ]]> The end.');
  });

  it('accepts a channel with no items as an empty, healthy feed', async () => {
    const { feed } = await parse('empty-channel.xml');
    expect(feed.title).toBe('Quietvale News');
    expect(feed.items).toEqual([]);
  });
});

describe('ingest/parse-feed: JSON Feed', () => {
  it('reads JSON Feed 1.1, resolving a relative item url against home_page_url', async () => {
    const { feed } = await parse('jsonfeed-11.json');
    expect(feed.format).toBe('jsonfeed');
    expect(byGuid(feed, 'csj-5521')).toMatchObject({
      url: 'https://cobalt.example.com/2025/04/26/market-hall',
      author: 'Lena Brandt',
      publishedAt: '2025-04-26T07:00:00.000Z',
      updatedAt: '2025-04-26T08:30:00.000Z',
      categories: ['markets', 'heritage'],
    });
    const depot = byGuid(feed, 'csj-5520');
    expect(depot.url).toBe('https://cobalt.example.com/2025/04/25/tram-depot');
    expect(depot.contentHtml).toBe(
      '<p>Visitors queued for an hour to see the restored 1930s cars.</p><p>The depot plans a second open day in September.</p>',
    );
  });

  it('reads the JSON Feed 1.0 author object', async () => {
    const { feed } = await parse('jsonfeed-10-author.json');
    expect(feed.items[0]?.author).toBe('Warden Jo Pell');
    expect(feed.items[0]?.publishedAt).toBe('2025-04-26T05:10:00.000Z');
  });
});

describe('ingest/parse-feed: text-level repairs', () => {
  it('recovers a bare ampersand in titles, text and links', async () => {
    const { feed } = await parse('bare-ampersand.xml');
    expect(feed.title).toBe('Fields & Furrows');
    const barley = feed.items[0];
    expect(barley?.title).toBe('Barley & oat prices rise after late frost');
    expect(barley?.url).toBe('https://farming.example.com/story?id=77&section=markets');
    expect(barley?.summaryHtml).toBe('Growers in the north & west lost up to a fifth of early sowings. Q&A inside.');
    // An already-escaped &amp; is not escaped twice.
    expect(feed.items[1]?.url).toBe('https://farming.example.com/story?id=78&section=events');
    expect(feed.items[1]?.summaryHtml).toBe('Entries close on 30 May; fees are £12 & up.');
  });

  it('turns HTML named entities outside CDATA into the characters they name', async () => {
    const { feed } = await parse('html-entities.xml');
    expect(feed.title).toBe('Café Society — Arts');
    expect(feed.items[0]?.title).toBe('Café gallery opens its first show — local painters only');
    expect(feed.items[0]?.summaryHtml).toContain('«made within a mile» of the café');
    expect(feed.items[1]?.title).toBe('Theatre & dance season announced …');
    expect(feed.items[1]?.summaryHtml).toBe('Tickets from €9, © the Playhouse Trust.');
  });

  it('keeps an unknown entity as visible text instead of failing the feed', async () => {
    const { feed } = await parse('unknown-entity.xml');
    expect(feed.items[0]?.title).toBe('Template glitch shows &foo; in headlines');
    expect(feed.items[0]?.summaryHtml).toBe('The CMS printed &foo; and &barBaz; instead of names.');
  });

  it('removes control characters, in plain text and in CDATA', async () => {
    const { feed } = await parse('control-chars.xml');
    expect(feed.title).toBe('Signal Box Bulletin');
    expect(feed.items.map((i) => i.title)).toEqual(['Level crossing upgrade finished early', 'Heritage line timetable published']);
    expect(feed.items[1]?.summaryHtml).toBe('Steam trains run every Sunday.');
  });

  it('skips a BOM, blank lines and a PHP warning before <?xml', async () => {
    const { decoded, feed } = await parse('bom-junk-prefix.xml');
    expect(decoded.text.startsWith('\uFEFF')).toBe(false);
    expect(feed.items.map((i) => i.guid)).toEqual(['pe-4001', 'pe-4002']);
  });

  it('skips a plain-text notice before <?xml instead of calling the feed "not a feed"', async () => {
    const { feed } = await parse('text-junk-prefix.xml');
    expect(feed.items[0]?.title).toBe('School kitchen wins hygiene award');
  });

  it('ignores a comment and a PHP notice after </rss>', async () => {
    const { feed } = await parse('trailing-junk.xml');
    expect(feed.items.map((i) => i.guid)).toEqual(['ll-1', 'll-2']);
  });

  it('escapes a bare "<" in a title instead of failing the feed', async () => {
    const { feed } = await parse('bare-less-than.xml');
    expect(feed.items[0]?.title).toBe('Small firms report margins < 5% for a third quarter');
    expect(feed.items[0]?.summaryHtml).toBe('Survey: 3 in 10 firms had costs <= revenue.');
  });

  it('recovers unescaped HTML inside <description>, broken or well-formed, with its text in order', async () => {
    const { feed } = await parse('raw-html-description.xml');
    expect(byGuid(feed, 'ww-51').summaryHtml).toBe(
      '<p>The pool closed in January<br>for a full refit.</p><p>Early swims start at 6:30.</p>',
    );
    expect(byGuid(feed, 'ww-52').summaryHtml).toBe('<img src="/img/seeds.jpg"><p>Bring <b>labelled</b> packets only.');
    expect(byGuid(feed, 'ww-53').summaryHtml).toBe('<p>Members raised <strong>half the cost</strong> with a quiz night.</p>');
  });

  it('keeps the words of well-formed unescaped HTML in order (it parses as XML, but is HTML)', async () => {
    const { feed } = await parse('raw-html-well-formed.xml');
    const fridge = byGuid(feed, 'nn-1');
    expect(fridge.summaryHtml).toBe('<p>Anyone can <em>leave</em> or <em>take</em> food, no questions asked.</p>');
    expect(fridge.contentHtml).toBe(
      '<p>Anyone can <em>leave</em> or <em>take</em> food, no questions asked.</p><p>Volunteers check the dates <strong>every morning</strong> at eight.</p>',
    );
    expect(byGuid(feed, 'nn-2').summaryHtml).toBe(
      'The <a href="https://northgate.example.org/piano">piano by the station</a> is back in tune.',
    );
  });

  it('keeps the complete items of a document cut off mid-item', async () => {
    const { feed } = await parse('truncated.xml');
    expect(feed.items.map((i) => i.title)).toEqual(['Pier train gets a new battery engine', 'Beach huts auctioned for charity']);
  });

  it('drops only the item with an unclosed tag and keeps the ones before and after it', async () => {
    const { feed } = await parse('unclosed-tags.xml');
    expect(feed.items.map((i) => i.guid)).toEqual(['mm-1', 'mm-3']);
    expect(feed.items[1]?.title).toBe('Flood siren test on Tuesday');
  });

  it('drops two broken items, and reads the same feed and the next one correctly afterwards', async () => {
    const once = (await parse('two-broken-items.xml')).feed;
    const twice = (await parse('two-broken-items.xml')).feed;
    const clean = (await parse('rss2-clean.xml')).feed;
    expect(once.items.map((i) => [i.guid, i.title])).toEqual([
      ['cc-1', 'Mine museum adds an underground tour'],
      ['cc-3', 'Brass band wins the county cup'],
      ['cc-5', "Farmers' market moves indoors for winter"],
    ]);
    expect(twice).toEqual(once);
    expect(clean.items).toHaveLength(3);
    expect(clean.warnings).toEqual([]);
  });
});

describe('ingest/parse-feed: charsets (through decodeBody)', () => {
  it('decodes windows-1251 Cyrillic declared in the XML', async () => {
    const { feed } = await parse('windows-1251.xml');
    expect(feed.title).toBe('Вести Заречья');
    expect(feed.items[0]?.title).toBe('В Заречье открыли новый мост через реку');
    expect(feed.items[1]?.summaryHtml).toBe('Книги передали жители соседнего города.');
  });

  it('trusts the XML declaration (windows-1251) when a header claiming UTF-8 is wrong', async () => {
    const { feed } = await parse('windows-1251-header-says-utf8.xml');
    expect(feed.title).toBe('Новости Приозёрска');
    expect(feed.items[0]?.title).toBe('На набережной высадили двести лип');
  });

  it('reads UTF-8 bytes labelled ISO-8859-1 as UTF-8', async () => {
    const { feed } = await parse('latin1-declared-utf8.xml');
    expect(feed.items[0]?.title).toBe('Größter Kürbis des Tals wiegt 412 Kilo');
    expect(feed.items[0]?.summaryHtml).toBe('Der Züchter gießt ihn täglich mit Regenwasser — sagt er.');
  });

  it('reads windows-1252 smart quotes labelled UTF-8 as the quotes they are', async () => {
    const { feed } = await parse('utf8-declared-cp1252.xml');
    expect(feed.items[0]?.title).toBe('Mayor calls harbour plan “a fresh start” – critics unconvinced');
    expect(feed.items[0]?.summaryHtml).toBe('The plan’s café kiosk would replace the old ticket office.');
  });

  it('decodes UTF-16 with a BOM even when the header says UTF-8', async () => {
    const { feed } = await parse('utf16-bom.xml');
    expect(feed.items[0]?.title).toBe('Hilltop café reopens – now with a view deck');
  });
});

describe('ingest/parse-feed: ids and links', () => {
  it('derives a missing guid from the item link', async () => {
    const { feed } = await parse('missing-guids.xml');
    expect(feed.items.map((i) => [i.guid, i.guidSource])).toEqual([
      ['https://hilltop.example.com/2025/04/turbine-convoy', 'link'],
      ['https://hilltop.example.com/2025/04/post-office', 'link'],
    ]);
  });

  it('derives a stable id from the content when an item has neither guid nor link', async () => {
    const first = (await parse('no-guid-no-link.xml')).feed;
    const again = (await parse('no-guid-no-link.xml')).feed;
    expect(first.items.map((i) => i.guidSource)).toEqual(['content', 'content']);
    expect(first.items.map((i) => i.url)).toEqual([null, null]);
    expect(first.items[0]?.guid).toMatch(/^sha256:[0-9a-f]{24}$/);
    expect(first.items[0]?.guid).not.toBe(first.items[1]?.guid);
    expect(again.items.map((i) => i.guid)).toEqual(first.items.map((i) => i.guid));
  });

  it('keeps the first of two items with the same guid', async () => {
    const { feed } = await parse('duplicate-guid.xml');
    expect(feed.items.map((i) => i.guid)).toEqual(['ctt-900', 'ctt-901']);
    expect(feed.items[0]?.title).toBe('Lock 14 gates replaced');
  });

  it('resolves relative item links against the channel link', async () => {
    const { feed } = await parse('relative-item-links.xml');
    expect(feed.items.map((i) => i.url)).toEqual([
      'https://bugle.example.com/local/2025/zebra-crossing',
      'https://bugle.example.com/local/2025/bakery-fifty',
      'https://bugle.example.com/local/2025/recycling-days',
    ]);
  });

  it('gives items with only a title a content-derived id and skips an empty <item>', async () => {
    const { feed } = await parse('title-only-items.xml');
    expect(feed.items.map((i) => i.title)).toEqual([
      'Snow gates closed on the high pass',
      'Regional airport adds winter route',
      'Harvest festival parade route published',
    ]);
    expect(feed.items.every((i) => i.guidSource === 'content' && i.url === null && i.publishedAt === null)).toBe(true);
  });

  it('keeps the newest 1000 items of a 3000-item feed', async () => {
    const { feed } = await parse('huge-3000-items.xml');
    const numbers = feed.items.map((i) => Number(i.guid.replace('bul-', ''))).sort((a, b) => a - b);
    expect(numbers[0]).toBe(2001);
    expect(numbers.at(-1)).toBe(3000);
    expect(new Set(numbers).size).toBe(1000);
    expect(byGuid(feed, 'bul-3000').publishedAt).toBe('2025-04-30T23:50:00.000Z');
  });
});

describe('ingest/parse-feed: dates', () => {
  it('gives unreadable and far-future dates a null publishedAt, never a made-up one', async () => {
    const { feed } = await parse('bad-dates.xml');
    expect(feed.items.map((i) => [i.guid, i.publishedAt])).toEqual([
      ['ad-1', null],
      ['ad-2', null],
      ['ad-3', null],
      ['ad-4', '2025-04-26T10:00:00.000Z'],
    ]);
    expect(feed.warnings).toContain('3 items had a missing or unreadable date; using the time first seen');
  });

  it('reads non-English dates, named zones and zone-less ISO as the right instant', async () => {
    const { feed } = await parse('foreign-dates.xml');
    expect(Object.fromEntries(feed.items.map((i) => [i.guid, i.publishedAt]))).toEqual({
      'gr-de-1': '2025-04-26T08:00:00.000Z', // Sa, 26 Apr 2025 10:00:00 +0200
      'gr-fr-1': '2025-04-26T00:00:00.000Z', // 26 avril 2025
      'gr-en-1': '2025-04-25T16:30:00.000Z', // 18:30 CEST
      'gr-en-2': '2025-04-24T13:15:00.000Z', // 09:15 EDT
      'gr-en-3': '2025-04-26T13:45:00.000Z', // 2025-04-26 13:45:00, no zone: UTC
      'gr-de-2': '2025-03-27T09:00:00.000Z', // Do, 27 Mär 2025 10:00:00 +0100
      'gr-en-4': '2025-04-20T08:00:00.000Z', // 2025-04-20T10:00:00 CEST
      'gr-en-5': '2025-04-19T10:00:00.000Z', // Saturday, 19-Apr-25 10:00:00 GMT
    });
  });

  it('reads zone-less dates as UTC whatever the server time zone is', async () => {
    const saved = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      expect(new Date(2025, 3, 26).getTimezoneOffset()).toBe(240); // the zone change took effect
      const { feed } = await parse('foreign-dates.xml');
      expect(byGuid(feed, 'gr-fr-1').publishedAt).toBe('2025-04-26T00:00:00.000Z');
      expect(byGuid(feed, 'gr-en-3').publishedAt).toBe('2025-04-26T13:45:00.000Z');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('ingest/parse-feed: bodies that are not feeds', () => {
  it('names the feed an HTML page advertises, as an absolute URL', async () => {
    const err = await parseError('html-page-with-alternate.html');
    expect(err.code).toBe('feed_not_a_feed');
    expect(err.message).toBe('got an HTML page, not a feed (the page advertises a feed at https://odd.feeds.example/feeds/latest.rss)');
  });

  it('calls empty and whitespace-only bodies empty, not malformed', async () => {
    expect((await parseError('empty.xml')).code).toBe('feed_empty');
    expect((await parseError('whitespace-only.xml')).code).toBe('feed_empty');
  });

  it('names the root element of XML that is not a feed', async () => {
    expect((await parseError('sitemap.xml')).message).toBe('XML but not RSS or Atom (root element <urlset>)');
  });

  it('says what is wrong with an <rss> that has no <channel>', async () => {
    const err = await parseError('rss-no-channel.xml');
    expect(err.code).toBe('feed_malformed');
    expect(err.message).not.toMatch(/Cannot read properties/);
  });
});
