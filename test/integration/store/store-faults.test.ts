import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHealthServer } from '../../../src/runtime/http-server.ts';
import { createSqliteStore } from '../../../src/store/sqlite/sqlite-store.ts';
import { type FakeFeedServer, startFakeFeedServer } from '../../fakes/fake-feed-server.ts';
import { type Harness, manualClock, serveStories, startHarness, tempDir, writeAndLoadConfig } from '../../helpers/bot-harness.ts';
import { BRIDGE, FLOOD, QUAKES } from '../../helpers/stories.ts';

const root = resolve(import.meta.dirname, '../../..');

/**
 * Opens (and so migrates) the database at `path` in several Node processes at the same moment: each
 * loads the code, says it is ready, and waits for the go file before opening.
 */
async function openAtOnce(path: string, processes: number): Promise<Array<{ code: number; stderr: string }>> {
  const go = `${path}.go`;
  const script = `import { existsSync } from 'node:fs';
    import { createSqliteStore } from ${JSON.stringify(join(root, 'src/store/sqlite/sqlite-store.ts'))};
    process.stdout.write('ready\\n');
    while (!existsSync(${JSON.stringify(go)})) await new Promise((r) => setTimeout(r, 1));
    createSqliteStore(${JSON.stringify(path)}).close();`;
  let ready = 0;
  let release: () => void = () => undefined;
  const allReady = new Promise<void>((r) => {
    release = r;
  });
  const runs = Array.from(
    { length: processes },
    () =>
      new Promise<{ code: number; stderr: string }>((done) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        child.stdout.on('data', () => {
          if (++ready === processes) release();
        });
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
        });
        child.on('exit', (code) => done({ code: code ?? 1, stderr }));
      }),
  );
  await allReady;
  writeFileSync(go, '');
  return Promise.all(runs);
}

describe('store: faults an operator meets', () => {
  it('lets several processes open a fresh database at once: the migrations run once, nobody fails', async () => {
    for (let round = 0; round < 3; round++) {
      const runs = await openAtOnce(join(tempDir('race'), 'briefbot.db'), 4);
      for (const r of runs) expect(r, r.stderr).toMatchObject({ code: 0 });
    }
  });

  it('says the disk is full when it is, not "cannot rollback", and keeps what was stored', () => {
    const store = createSqliteStore(join(tempDir('full'), 'briefbot.db'), { maxSize: 200 * 1024 });
    try {
      const save = (i: number) =>
        store.events.save({
          id: `e${i}`,
          title: 't',
          relatedTo: null,
          createdAt: '2025-01-01T00:00:00Z',
          updatedAt: '2025-01-01T00:00:00Z',
          firstPublishedAt: '2025-01-01T00:00:00Z',
          lastPublishedAt: '2025-01-01T00:00:00Z',
          articleCount: 0,
          independentCount: 0,
          state: 'x'.repeat(4000),
        });
      let error: Error | null = null;
      let saved = 0;
      for (let i = 0; i < 500 && !error; i++) {
        try {
          store.transaction(() => save(i));
          saved = i + 1;
        } catch (err) {
          error = err as Error;
        }
      }
      expect(error?.message).toMatch(/database or disk is full/);
      expect(error?.message).toMatch(/the disk is full: free space/);
      expect(error?.message).not.toMatch(/cannot rollback/);
      expect(store.events.get(`e${saved - 1}`)?.id).toBe(`e${saved - 1}`);
    } finally {
      store.close();
    }
  });

  it('explains a database it cannot open: a file where a folder should be, a file that is not a database', () => {
    const dir = tempDir('open');
    writeFileSync(join(dir, 'data'), 'not a folder');
    expect(() => createSqliteStore(join(dir, 'data', 'briefbot.db'))).toThrow(/a file is where a folder of the path should be/);
    mkdirSync(join(dir, 'other'));
    writeFileSync(join(dir, 'other', 'briefbot.db'), 'this is some text, not SQLite'.repeat(200));
    expect(() => createSqliteStore(join(dir, 'other', 'briefbot.db'))).toThrow(/not a briefbot database/);
  });
});

describe('bot: a full disk on /healthz', () => {
  let feeds: FakeFeedServer;
  let h: Harness | undefined;
  beforeEach(async () => {
    feeds = await startFakeFeedServer();
  });
  afterEach(async () => {
    await h?.close();
    await feeds.close();
  });

  it('turns /healthz 503 with the cause and the fix while polling cannot write, yet stays alive', async () => {
    const urls = serveStories(feeds, [...BRIDGE, ...FLOOD, ...QUAKES]);
    const dir = tempDir('full-bot');
    const config = writeAndLoadConfig(dir, urls, { store: { maxSize: '120KB' } }, {});
    const clock = manualClock('2025-06-03T12:00:00Z');
    h = await startHarness(config, clock);
    await expect(h.bot.cycle()).rejects.toThrow(/disk is full/);
    const server = await startHealthServer({
      port: 0,
      host: '127.0.0.1',
      metrics: h.metrics,
      health: () => h?.bot.health() ?? { status: 'ok' },
    });
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { problems: string[] };
      expect(body.problems.join(' ')).toMatch(/polling fails: .*database or disk is full.*free space/);
      // Alive all the same: restarting would not free the disk.
      expect((await fetch(`http://127.0.0.1:${server.port}/livez`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
