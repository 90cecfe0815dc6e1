/**
 * @module The store suite every store implementation must pass (SQLite, PostgreSQL): what the pipeline,
 * the outbox and the commands rely on, through the ports only. `store-contract.test.ts` runs it on each
 * store; a new store adds one line there.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewDelivery, Store, StoredArticle, StoredEvent } from '../../../src/store/ports.ts';

export interface StoreUnderTest {
  store: Store;
  /** Opens a second store on the same database (another instance). */
  openAnother(): Store;
  close(): Promise<void>;
}

/** A stored article with every field set (`extra` overrides). */
export function article(id: string, extra: Partial<StoredArticle> = {}): StoredArticle {
  return {
    id,
    feedUrl: 'https://feeds.example/world.xml',
    guid: `guid-${id}`,
    url: `https://news.example/${id}`,
    canonicalUrl: `https://news.example/${id}`,
    title: `Title ${id}`,
    outlet: 'Harbour Wire',
    author: null,
    publishedAt: '2027-03-01T08:00:00.000Z',
    firstSeenAt: '2027-03-01T08:05:00.000Z',
    updatedAt: '2027-03-01T08:05:00.000Z',
    summary: `Summary of ${id}`,
    text: `Text of ${id}.`,
    textSource: 'feed',
    contentHash: `hash-${id}`,
    itemFingerprint: `fp-${id}`,
    needsFullText: false,
    fullTextAttempts: 0,
    eventId: null,
    copyOf: null,
    ...extra,
  };
}

/** A stored event with every field set (`extra` overrides). */
export function event(id: string, extra: Partial<StoredEvent> = {}): StoredEvent {
  return {
    id,
    title: `Event ${id}`,
    relatedTo: null,
    createdAt: '2027-03-01T09:00:00.000Z',
    updatedAt: '2027-03-01T09:00:00.000Z',
    firstPublishedAt: '2027-03-01T08:00:00.000Z',
    lastPublishedAt: '2027-03-01T08:00:00.000Z',
    articleCount: 1,
    independentCount: 1,
    state: '{"k":1}',
    ...extra,
  };
}

const briefOf = (id: string, createdAt: string, platform = 'slack') => ({
  id,
  platform,
  channelId: 'C1',
  kind: 'scheduled',
  createdAt,
  payload: '{}',
});

function deliveriesOf(id: string, replies = 2): NewDelivery[] {
  return [
    { key: `${id}:parent`, seq: 0, parentKey: null, threadRef: null, content: '{"kind":"notice","text":"p"}', eventIds: ['e1', 'e2'] },
    ...Array.from({ length: replies }, (_, i) => ({
      key: `${id}:event:${i + 1}`,
      seq: i + 1,
      parentKey: `${id}:parent`,
      threadRef: null,
      content: `{"kind":"notice","text":"e${i + 1}"}`,
      eventIds: [`e${i + 1}`],
    })),
  ];
}

export function describeStore(name: string, open: () => Promise<StoreUnderTest>): void {
  let t: StoreUnderTest;
  let store: Store;
  beforeEach(async () => {
    t = await open();
    store = t.store;
  });
  afterEach(async () => {
    await t.close();
  });

  describe(`${name}: feeds`, () => {
    it('saves and reads back a feed state, and counts its articles', () => {
      expect(store.feeds.get('https://feeds.example/world.xml')).toBeNull();
      const state = {
        url: 'https://feeds.example/world.xml',
        title: 'World',
        etag: '"abc"',
        lastModified: null,
        lastPolledAt: '2027-03-01T08:00:00.000Z',
        lastSuccessAt: '2027-03-01T08:00:00.000Z',
        lastError: null,
        lastErrorCode: null,
        lastErrorAt: null,
        consecutiveFailures: 0,
        nextPollAt: '2027-03-01T08:15:00.000Z',
        status: 'ok' as const,
        lastWarnings: ['repaired a bare ampersand'],
      };
      store.feeds.save(state);
      store.feeds.save({ ...state, consecutiveFailures: 2, status: 'failing', lastError: 'HTTP 500' });
      expect(store.feeds.get(state.url)).toEqual({ ...state, consecutiveFailures: 2, status: 'failing', lastError: 'HTTP 500' });
      store.articles.insert(article('a1'));
      store.articles.insert(article('a2'));
      expect(store.feeds.listHealth()).toEqual([
        { ...state, consecutiveFailures: 2, status: 'failing', lastError: 'HTTP 500', articleCount: 2 },
      ]);
    });

    it('lets one instance at a time claim a feed, until the claim runs out or is given up', () => {
      const other = t.openAnother();
      try {
        const url = 'https://feeds.example/world.xml';
        expect(store.feeds.claim(url, 'A', '2027-03-01T08:00:00.000Z', '2027-03-01T08:10:00.000Z')).toBe(true);
        expect(other.feeds.claim(url, 'B', '2027-03-01T08:01:00.000Z', '2027-03-01T08:11:00.000Z')).toBe(false);
        // The holder may renew it.
        expect(store.feeds.claim(url, 'A', '2027-03-01T08:02:00.000Z', '2027-03-01T08:12:00.000Z')).toBe(true);
        // A killed holder's claim runs out.
        expect(other.feeds.claim(url, 'B', '2027-03-01T08:12:00.000Z', '2027-03-01T08:22:00.000Z')).toBe(true);
        expect(store.feeds.claim(url, 'A', '2027-03-01T08:13:00.000Z', '2027-03-01T08:23:00.000Z')).toBe(false);
        // Given up, it is free at once; releasing someone else's claim does nothing.
        store.feeds.releaseClaim(url, 'A');
        expect(store.feeds.claim(url, 'A', '2027-03-01T08:13:00.000Z', '2027-03-01T08:23:00.000Z')).toBe(false);
        other.feeds.releaseClaim(url, 'B');
        expect(store.feeds.claim(url, 'A', '2027-03-01T08:13:00.000Z', '2027-03-01T08:23:00.000Z')).toBe(true);
      } finally {
        other.close();
      }
    });
  });

  describe(`${name}: articles and events`, () => {
    it('finds articles by guid, canonical URL, content hash and id, and updates them', () => {
      store.articles.insert(article('a1'));
      store.articles.insert(article('a2', { contentHash: 'hash-a1', firstSeenAt: '2027-03-01T08:06:00.000Z', canonicalUrl: null }));
      expect(store.articles.findByGuid('https://feeds.example/world.xml', 'guid-a1')?.id).toBe('a1');
      expect(store.articles.findByGuid('https://feeds.example/other.xml', 'guid-a1')).toBeNull();
      expect(store.articles.findByCanonicalUrl('https://news.example/a1')?.id).toBe('a1');
      expect(store.articles.findByContentHash('hash-a1').map((a) => a.id)).toEqual(['a1', 'a2']);
      expect(store.articles.get('a1')).toEqual(article('a1'));
      expect(store.articles.getMany(['a2', 'nope', 'a1']).map((a) => a.id)).toEqual(['a2', 'a1']);
      store.articles.update({ ...article('a1'), title: 'Ferry service resumes', needsFullText: true, fullTextAttempts: 2 });
      expect(store.articles.get('a1')).toMatchObject({ title: 'Ferry service resumes', needsFullText: true, fullTextAttempts: 2 });
      expect(store.articles.listNeedingFullText('https://feeds.example/world.xml', 3).map((a) => a.id)).toEqual(['a1']);
      expect(store.articles.listNeedingFullText('https://feeds.example/world.xml', 2)).toEqual([]);
      expect(store.articles.count()).toBe(2);
    });

    it('looks up a whole feed’s items at once, by guid and by canonical URL', () => {
      store.articles.insert(article('a1'));
      store.articles.insert(article('a2', { feedUrl: 'https://feeds.example/other.xml', canonicalUrl: 'https://news.example/shared' }));
      const found = store.articles.findByGuids('https://feeds.example/world.xml', ['guid-a1', 'guid-a2', 'guid-x', 'guid-a1']);
      expect([...found.keys()]).toEqual(['guid-a1']);
      expect(found.get('guid-a1')).toEqual(article('a1'));
      expect(store.articles.findByGuids('https://feeds.example/world.xml', [])).toEqual(new Map());
      expect(
        store.articles.storedCanonicalUrls(['https://news.example/a1', 'https://news.example/shared', 'https://news.example/none']),
      ).toEqual(new Set(['https://news.example/a1', 'https://news.example/shared']));
      expect(store.articles.storedCanonicalUrls([])).toEqual(new Set());
    });

    it('refuses a second article with the same guid in the same feed', () => {
      store.articles.insert(article('a1'));
      expect(() => store.articles.insert(article('a9', { guid: 'guid-a1' }))).toThrow();
      expect(store.articles.count()).toBe(1);
    });

    it('lists unclustered articles in publication order, page by page, and an event’s articles', () => {
      const times = ['2027-03-01T10:00:00.000Z', '2027-03-01T08:00:00.000Z', '2027-03-01T09:00:00.000Z', '2027-03-01T09:00:00.000Z'];
      for (const [i, publishedAt] of times.entries()) store.articles.insert(article(`a${i}`, { publishedAt }));
      expect(store.articles.listUnclustered().map((a) => a.id)).toEqual(['a1', 'a2', 'a3', 'a0']);
      const first = store.articles.listUnclustered({ limit: 2 });
      expect(first.map((a) => a.id)).toEqual(['a1', 'a2']);
      const last = first.at(-1) as StoredArticle;
      expect(store.articles.listUnclustered({ limit: 2, after: { publishedAt: last.publishedAt, id: last.id } }).map((a) => a.id)).toEqual([
        'a3',
        'a0',
      ]);
      store.transaction(() => {
        store.events.save(event('e1'));
        store.articles.assignEvent('a2', 'e1');
        store.articles.assignEvent('a1', 'e1');
        store.articles.setCopyOf('a2', 'a1');
      });
      expect(store.articles.listByEvent('e1').map((a) => [a.id, a.copyOf])).toEqual([
        ['a1', null],
        ['a2', 'a1'],
      ]);
      expect(store.articles.listUnclustered().map((a) => a.id)).toEqual(['a3', 'a0']);
      expect(store.articles.listChangedSince('2027-03-01T08:05:00.000Z').map((a) => a.id)).toEqual(['a1', 'a2', 'a3', 'a0']);
      expect(store.articles.listChangedSince('2027-03-02T00:00:00.000Z')).toEqual([]);
    });

    it('assigns many articles, near-copies and events at once, as one by one would', () => {
      for (const id of ['a1', 'a2', 'a3']) store.articles.insert(article(id));
      store.transaction(() => {
        store.articles.assignEvents([
          { articleId: 'a1', eventId: 'e1' },
          { articleId: 'a2', eventId: 'e1' },
          { articleId: 'a3', eventId: 'e2' },
        ]);
        store.articles.setCopiesOf([
          { articleId: 'a2', copyOf: 'a1' },
          { articleId: 'a3', copyOf: null },
        ]);
        store.events.saveMany([event('e1', { articleCount: 2, relatedTo: 'e0' }), event('e2')]);
      });
      expect(store.articles.listByEvent('e1').map((a) => [a.id, a.copyOf])).toEqual([
        ['a1', null],
        ['a2', 'a1'],
      ]);
      expect(store.events.get('e1')).toEqual(event('e1', { articleCount: 2, relatedTo: 'e0' }));
      store.events.saveMany([event('e1', { articleCount: 5, createdAt: '2030-01-01T00:00:00.000Z' })]);
      // An event saved again keeps when it was created.
      expect(store.events.get('e1')).toMatchObject({ articleCount: 5, createdAt: '2027-03-01T09:00:00.000Z' });
      store.events.saveMany([]);
      store.articles.assignEvents([]);
      expect(store.articles.listByEvent('e2').map((a) => a.id)).toEqual(['a3']);
    });

    it('refuses to commit an article whose event does not exist, and keeps nothing of that transaction', () => {
      store.articles.insert(article('a1'));
      expect(() =>
        store.transaction(() => {
          store.events.save(event('e-kept'));
          store.articles.assignEvent('a1', 'e-missing');
        }),
      ).toThrow();
      expect(store.articles.get('a1')?.eventId).toBeNull();
      expect(store.events.get('e-kept')).toBeNull();
    });

    it('finds articles for /brief by the words of a topic, the better match first', () => {
      store.articles.insert(
        article('a1', { title: 'Kursk region: Russia claims full control', text: 'Moscow says the offensive is over.' }),
      );
      store.articles.insert(article('a2', { title: 'Flood waters recede in the valley', text: 'Residents return to Kursk street homes.' }));
      store.articles.insert(article('a3', { title: 'Budget vote delayed', text: 'The parliament adjourned.' }));
      const hits = store.articles.search('kursk', 10);
      expect(hits.map((h) => h.id)).toEqual(['a1', 'a2']);
      expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? 0);
      // A prefix finds the word; any word of the topic matches.
      expect(store.articles.search('budg', 10).map((h) => h.id)).toEqual(['a3']);
      expect(new Set(store.articles.search('flood budget', 10).map((h) => h.id))).toEqual(new Set(['a2', 'a3']));
      expect(store.articles.search('!!', 10)).toEqual([]);
      // Every word of a name in one article beats one word of it, however often.
      store.articles.insert(article('p1', { title: 'Zirupo festival: Zirupo town hosts Zirupo fans', text: 'Zirupo again.' }));
      store.articles.insert(article('p2', { title: 'Minister resigns', text: 'Brael Zirupo left office on Monday.' }));
      expect(store.articles.search('Brael Zirupo', 10)[0]?.id).toBe('p2');
      // An updated title is searched as updated.
      store.articles.update({ ...article('a3'), title: 'Kursk budget vote delayed' });
      expect(store.articles.search('kursk', 10).map((h) => h.id)).toContain('a3');
    });

    it('saves events and lists them by activity, update and recency', () => {
      store.events.save(event('e1', { lastPublishedAt: '2027-03-01T08:00:00.000Z', updatedAt: '2027-03-01T09:00:00.000Z' }));
      store.events.save(event('e2', { lastPublishedAt: '2027-03-02T08:00:00.000Z', updatedAt: '2027-03-02T09:00:00.000Z' }));
      store.events.save(
        event('e1', { lastPublishedAt: '2027-03-01T12:00:00.000Z', updatedAt: '2027-03-03T09:00:00.000Z', articleCount: 3 }),
      );
      expect(store.events.get('e1')).toMatchObject({ articleCount: 3, createdAt: '2027-03-01T09:00:00.000Z' });
      expect(store.events.getMany(['e2', 'x', 'e1']).map((e) => e.id)).toEqual(['e2', 'e1']);
      expect(store.events.listActiveSince('2027-03-01T10:00:00.000Z').map((e) => e.id)).toEqual(['e1', 'e2']);
      expect(store.events.listUpdatedSince('2027-03-01T00:00:00.000Z').map((e) => e.id)).toEqual(['e1', 'e2']);
      expect(store.events.listUpdatedSince('2027-03-01T00:00:00.000Z', 1).map((e) => e.id)).toEqual(['e1']);
      expect(store.events.listLatest(1).map((e) => e.id)).toEqual(['e2']);
    });

    it('keeps term statistics and readers’ cursors', () => {
      expect(store.events.loadTermStats()).toEqual({ docs: 0, df: new Map() });
      store.events.saveTermStats(
        3,
        new Map([
          ['kursk', 2],
          ['ferry', 1],
        ]),
      );
      store.events.saveTermStats(4, new Map([['kursk', 3]]));
      expect(store.events.loadTermStats()).toEqual({
        docs: 4,
        df: new Map([
          ['kursk', 3],
          ['ferry', 1],
        ]),
      });
      expect(store.events.getCursor('once')).toBeNull();
      store.events.setCursor('once', '2027-03-01T08:00:00.000Z');
      store.events.setCursor('once', '2027-03-02T08:00:00.000Z');
      expect(store.events.getCursor('once')).toBe('2027-03-02T08:00:00.000Z');
    });
  });

  describe(`${name}: delivery ledger`, () => {
    it('records a brief once, however often (and by however many instances) it is planned', () => {
      const other = t.openAnother();
      try {
        expect(store.deliveries.enqueueBrief(briefOf('b1', '2027-03-01T08:00:00.000Z'), deliveriesOf('b1'))).toBe(true);
        expect(other.deliveries.enqueueBrief(briefOf('b1', '2027-03-01T08:00:00.000Z'), deliveriesOf('b1', 5))).toBe(false);
        expect(store.deliveries.listByBrief('b1').map((d) => d.key)).toEqual(['b1:parent', 'b1:event:1', 'b1:event:2']);
        expect(store.deliveries.getBrief('b1')).toMatchObject({ platform: 'slack', channelId: 'C1', kind: 'scheduled' });
        expect(store.deliveries.queuedEventIds('slack', 'C1')).toEqual(new Set(['e1', 'e2']));
        expect(store.deliveries.countPending()).toBe(3);
      } finally {
        other.close();
      }
    });

    it('lists what is due, oldest brief first and in posting order, per platform', () => {
      store.deliveries.enqueueBrief(briefOf('b2', '2027-03-01T09:00:00.000Z'), deliveriesOf('b2', 1));
      store.deliveries.enqueueBrief(briefOf('b1', '2027-03-01T08:00:00.000Z'), deliveriesOf('b1', 1));
      store.deliveries.enqueueBrief(briefOf('b3', '2027-03-01T08:30:00.000Z', 'discord'), deliveriesOf('b3', 1));
      expect(store.deliveries.listDue('2027-03-01T10:00:00.000Z').map((d) => d.key)).toEqual([
        'b1:parent',
        'b1:event:1',
        'b3:parent',
        'b3:event:1',
        'b2:parent',
        'b2:event:1',
      ]);
      expect(store.deliveries.listDue('2027-03-01T10:00:00.000Z', 2, 'slack').map((d) => d.key)).toEqual(['b1:parent', 'b1:event:1']);
      expect(store.deliveries.listDue('2027-03-01T08:45:00.000Z', 10, 'slack').map((d) => d.key)).toEqual(['b1:parent', 'b1:event:1']);
    });

    it('lets one attempt claim a delivery, keeps it from others until the claim runs out, and records the outcome', () => {
      const other = t.openAnother();
      try {
        store.deliveries.enqueueBrief(briefOf('b1', '2027-03-01T08:00:00.000Z'), deliveriesOf('b1', 1));
        const due = store.deliveries.get('b1:parent');
        expect(due).toMatchObject({ state: 'pending', attempts: 0, inDoubt: false });
        expect(store.deliveries.markAttempt('b1:parent', '2027-03-01T08:00:01.000Z', 0, '2027-03-01T08:02:01.000Z')).toBe(true);
        // Another instance that read it before the claim cannot claim it; nor is it due for anyone until the claim ends.
        expect(other.deliveries.markAttempt('b1:parent', '2027-03-01T08:00:01.000Z', 0)).toBe(false);
        expect(other.deliveries.listDue('2027-03-01T08:01:00.000Z').map((d) => d.key)).toEqual(['b1:event:1']);
        expect(other.deliveries.listDue('2027-03-01T08:03:00.000Z').map((d) => d.key)).toEqual(['b1:parent', 'b1:event:1']);
        expect(store.deliveries.get('b1:parent')).toMatchObject({
          attempts: 1,
          inDoubt: true,
          doubtSince: '2027-03-01T08:00:01.000Z',
          lastAttemptAt: '2027-03-01T08:00:01.000Z',
        });
        store.deliveries.reschedule('b1:parent', '2027-03-01T08:05:00.000Z', 'HTTP 503', true);
        expect(store.deliveries.markAttempt('b1:parent', '2027-03-01T08:05:00.000Z', 1)).toBe(true);
        expect(store.deliveries.get('b1:parent')).toMatchObject({
          attempts: 2,
          doubtSince: '2027-03-01T08:00:01.000Z',
          nextAttemptAt: '2027-03-01T08:05:00.000Z',
        });
        store.deliveries.markPosted('b1:parent', { messageRef: 'm1', threadRef: 't1' }, '2027-03-01T08:05:01.000Z');
        expect(store.deliveries.get('b1:parent')).toMatchObject({
          state: 'posted',
          messageRef: 'm1',
          postedThreadRef: 't1',
          inDoubt: false,
          doubtSince: null,
          lastError: null,
        });
        expect(store.deliveries.countPending()).toBe(1);
      } finally {
        other.close();
      }
    });

    it('clears the doubt only when told the attempt certainly failed, and fails the replies of a failed parent', () => {
      store.deliveries.enqueueBrief(briefOf('b1', '2027-03-01T08:00:00.000Z'), deliveriesOf('b1', 2));
      store.deliveries.markAttempt('b1:parent', '2027-03-01T08:00:01.000Z', 0);
      store.deliveries.reschedule('b1:parent', '2027-03-01T08:01:00.000Z', 'refused', false);
      expect(store.deliveries.get('b1:parent')).toMatchObject({ inDoubt: false, doubtSince: null, lastError: 'refused' });
      store.deliveries.markFailed('b1:parent', 'channel_not_found');
      expect(store.deliveries.listByBrief('b1').map((d) => d.state)).toEqual(['failed', 'failed', 'failed']);
      expect(store.deliveries.get('b1:event:2')?.lastError).toMatch(/the message it replies to failed \(channel_not_found\)/);
      expect(store.deliveries.countPending()).toBe(0);
      expect(store.deliveries.countFailed()).toBe(3);
    });

    it('remembers which thread carries which event, what it showed, and which events have news since', () => {
      store.deliveries.enqueueBrief(briefOf('b1', '2027-03-01T08:00:00.000Z'), deliveriesOf('b1', 2));
      store.events.save(event('e1', { updatedAt: '2027-03-01T08:00:00.000Z' }));
      store.events.save(event('e2', { updatedAt: '2027-03-01T08:00:00.000Z' }));
      const post = {
        platform: 'slack',
        channelId: 'C1',
        eventId: 'e1',
        threadRef: 't1',
        messageRef: 'm2',
        briefId: 'b1',
        position: 1,
        shownArticles: ['a1', 'a2'],
        shownPoints: ['p1'],
        postedAt: '2027-03-01T08:01:00.000Z',
        updatedAt: '2027-03-01T08:01:00.000Z',
      };
      store.deliveries.upsertEventPost(post);
      store.deliveries.upsertEventPost({ ...post, eventId: 'e2', messageRef: 'm3', position: 2, shownArticles: ['a3'], shownPoints: [] });
      store.deliveries.upsertEventPost({ ...post, shownArticles: ['a1', 'a2', 'a4'], updatedAt: '2027-03-01T09:00:00.000Z' });
      expect(store.deliveries.getEventPost('slack', 'C1', 'e1')).toMatchObject({
        shownArticles: ['a1', 'a2', 'a4'],
        messageRef: 'm2',
        checkedAt: null,
      });
      expect(store.deliveries.eventsInThread('slack', 'C1', 't1').map((p) => p.eventId)).toEqual(['e1', 'e2']);
      expect(store.deliveries.postsForEvents(['e2'])).toEqual([expect.objectContaining({ eventId: 'e2', briefKind: 'scheduled' })]);
      expect(store.deliveries.eventsBehind()).toEqual([]);
      store.events.save(event('e2', { updatedAt: '2027-03-01T10:00:00.000Z' }));
      expect(store.deliveries.eventsBehind()).toEqual(['e2']);
      store.deliveries.markChecked({ platform: 'slack', channelId: 'C1', eventId: 'e2', threadRef: 't1' }, '2027-03-01T10:00:01.000Z');
      expect(store.deliveries.eventsBehind()).toEqual([]);
      expect(store.deliveries.lastBriefAt('slack', 'C1')).toBeNull();
      store.deliveries.setLastBriefAt('slack', 'C1', '2027-03-01T08:00:00.000Z');
      store.deliveries.setLastBriefAt('slack', 'C1', '2027-03-02T08:00:00.000Z');
      expect(store.deliveries.lastBriefAt('slack', 'C1')).toBe('2027-03-02T08:00:00.000Z');
    });
  });

  describe(`${name}: leases and transactions`, () => {
    it('gives a lease to one holder at a time, until it expires or is released', () => {
      const other = t.openAnother();
      try {
        const a = { id: 'run-a', pid: 101, host: 'host-a' };
        const b = { id: 'run-b', pid: 202, host: 'host-b' };
        const at = (iso: string) => new Date(iso);
        expect(store.leases.acquire('cluster', a, 60_000, at('2027-03-01T08:00:00.000Z'))).toEqual({ granted: true });
        expect(other.leases.acquire('cluster', b, 60_000, at('2027-03-01T08:00:30.000Z'))).toEqual({
          granted: false,
          holder: a,
          since: '2027-03-01T08:00:00.000Z',
          expiresAt: '2027-03-01T08:01:00.000Z',
        });
        // Renewed by its holder, it keeps its start.
        expect(store.leases.acquire('cluster', a, 60_000, at('2027-03-01T08:00:50.000Z'))).toEqual({ granted: true });
        expect(other.leases.acquire('cluster', b, 60_000, at('2027-03-01T08:01:10.000Z')).granted).toBe(false);
        // Expired, it goes to the next.
        expect(other.leases.acquire('cluster', b, 60_000, at('2027-03-01T08:02:00.000Z'))).toEqual({ granted: true });
        // A holder on the same host whose process is gone loses it at once.
        expect(store.leases.acquire('cluster', { ...a, host: 'host-b' }, 60_000, at('2027-03-01T08:02:10.000Z'), () => false)).toEqual({
          granted: true,
        });
        store.leases.release('cluster', 'run-b');
        expect(other.leases.acquire('cluster', b, 60_000, at('2027-03-01T08:02:20.000Z')).granted).toBe(false);
        store.leases.release('cluster', 'run-a');
        expect(other.leases.acquire('cluster', b, 60_000, at('2027-03-01T08:02:20.000Z')).granted).toBe(true);
      } finally {
        other.close();
      }
    });

    it('keeps all or nothing of a transaction, and returns what it returns', () => {
      expect(
        store.transaction(() => {
          store.articles.insert(article('a1'));
          return 'done';
        }),
      ).toBe('done');
      expect(() =>
        store.transaction(() => {
          store.articles.insert(article('a2'));
          throw new Error('boom');
        }),
      ).toThrow('boom');
      expect(store.articles.getMany(['a1', 'a2']).map((a) => a.id)).toEqual(['a1']);
    });

    it('sees what another instance wrote', () => {
      const other = t.openAnother();
      try {
        other.articles.insert(article('a1'));
        expect(store.articles.get('a1')?.title).toBe('Title a1');
      } finally {
        other.close();
      }
    });
  });
}
