import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeFeedServer, startFakeFeedServer } from '../../fakes/fake-feed-server.ts';
import { storiesFeed } from '../../helpers/build.ts';
import { runBriefbot } from '../../helpers/cli-io.ts';
import { BRIDGE, FLOOD, type Story } from '../../helpers/stories.ts';

let server: FakeFeedServer;
let dir: string;

function feedOf(outlet: string, stories: Story[]): string {
  return storiesFeed(server.url, outlet, stories);
}

beforeAll(async () => {
  server = await startFakeFeedServer();
  dir = mkdtempSync(join(tmpdir(), 'briefbot-runs-'));
});
afterAll(() => server.close());

interface JsonEvent {
  id: string;
  title: string;
  articles: number;
  independentSources: number;
  sources: Array<{ url: string }>;
}

describe('pipeline: clustering across runs', () => {
  it("joins the second run's articles to the events of the first run, with stable ids", async () => {
    const db = join(dir, 'runs.db');
    // Run 1: the first two bridge reports and the first flood report.
    server.route('/feed.xml', { body: feedOf('Mixed Desk', [BRIDGE[0], BRIDGE[1], FLOOD[0]] as Story[]) });
    const first = await runBriefbot(['once', '--feed', `${server.url}/feed.xml`, '--db', db, '--format', 'json'], { cwd: dir });
    expect(first.code).toBe(0);
    const run1 = JSON.parse(first.stdout).events as JsonEvent[];
    expect(run1).toHaveLength(2);
    const bridgeEvent = run1.find((e) => /bridge/i.test(e.title));
    const floodEvent = run1.find((e) => /lisky|flood/i.test(e.title));
    expect(bridgeEvent?.articles).toBe(2);

    // Run 2 (a later poll, a new process): two more bridge reports and two flood reports arrive.
    server.route('/feed.xml', { body: feedOf('Mixed Desk', [...BRIDGE, ...FLOOD]) });
    const second = await runBriefbot(['once', '--feed', `${server.url}/feed.xml`, '--db', db, '--format', 'json'], { cwd: dir });
    const run2 = JSON.parse(second.stdout).events as JsonEvent[];
    expect(run2.map((e) => e.id).sort()).toEqual([bridgeEvent?.id, floodEvent?.id].sort());
    const bridge2 = run2.find((e) => e.id === bridgeEvent?.id);
    expect(bridge2?.articles).toBe(4);
    expect(bridge2?.sources.map((s) => s.url).sort()).toEqual(BRIDGE.map((s) => `${server.url}/a/${s.id}`).sort());
    expect(run2.find((e) => e.id === floodEvent?.id)?.articles).toBe(3);
  });

  it('reports articles and independent origins per event', async () => {
    const db = join(dir, 'copies.db');
    const original = BRIDGE[0] as Story;
    const wireCopy: Story = {
      ...original,
      id: 'bridge-copy',
      outlet: 'Reprint Daily',
      publishedAt: '2025-06-02T07:40:00Z',
      title: `${original.title} (wire)`,
    };
    server.route('/a.xml', { body: feedOf('Harbour Gazette', [original]) });
    server.route('/b.xml', { body: feedOf('Reprint Daily', [wireCopy]) });
    server.route('/c.xml', { body: feedOf('Northline Wire', [BRIDGE[1] as Story]) });
    const run = await runBriefbot(
      [
        'once',
        '--feed',
        `${server.url}/a.xml`,
        '--feed',
        `${server.url}/b.xml`,
        '--feed',
        `${server.url}/c.xml`,
        '--db',
        db,
        '--format',
        'json',
      ],
      {
        cwd: dir,
      },
    );
    const [event] = JSON.parse(run.stdout).events as JsonEvent[];
    expect(event?.articles).toBe(3);
    expect(event?.independentSources).toBe(2);
  });
});
