import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../../src/cli/progress.ts';
import { tempDir } from '../../helpers/bot-harness.ts';
import { runBriefbot } from '../../helpers/cli-io.ts';

const EXAMPLE = resolve(import.meta.dirname, '../../../config/briefbot.yaml');

const OPML = `<?xml version="1.0"?>
<opml version="2.0"><head><title>Subscriptions</title></head><body>
  <outline text="World">
    <outline type="rss" text="Harbour Gazette" xmlUrl="https://harbourgazette.example/feed"/>
    <outline type="rss" text="BBC again" xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml"/>
    <outline type="rss" text="Gazette twice" xmlUrl="https://harbourgazette.example/feed"/>
    <outline type="rss" text="An FTP feed" xmlUrl="ftp://files.example/feed"/>
    <outline type="rss" text="Lost its URL" htmlUrl="https://lost.example/"/>
  </outline>
  <outline text="Empty folder"/>
</body></opml>`;

describe('cli: on the terminal', () => {
  it('adds the new feeds after the last one, keeping every comment and alignment of the file', async () => {
    const dir = tempDir('import');
    const config = join(dir, 'briefbot.yaml');
    copyFileSync(EXAMPLE, config);
    writeFileSync(join(dir, 'subs.opml'), OPML);
    const before = readFileSync(config, 'utf8');
    const run = await runBriefbot(['feeds', 'import', 'subs.opml', '--config', config], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const after = readFileSync(config, 'utf8');
    // The original text is all there, in order, untouched: only the new entry's lines were inserted.
    const inserted = after.split('\n').filter((l) => !before.split('\n').includes(l));
    expect(inserted).toEqual(['  - url: https://harbourgazette.example/feed', '    name: Harbour Gazette']);
    expect(after.replace(`${inserted.join('\n')}\n`, '')).toBe(before);
    expect(run.stdout).toMatch(/added +https:\/\/harbourgazette\.example\/feed/);
    // One added; one already there; the repeat counted once; the FTP and URL-less feed outlines skipped; the folders not counted.
    expect(run.stderr).toMatch(
      /1 feed added to .*; 1 already there, 1 repeated outline counted once, 2 outlines without an http\(s\) feed URL skipped/,
    );
  });

  it('lists a failed feed once, in the summary, not also as a log line', async () => {
    const dir = tempDir('fail-once');
    const run = await runBriefbot(['once', '--feed', 'http://127.0.0.1:9/feed.xml', '--db', join(dir, 'b.db'), '--format', 'json'], {
      cwd: dir,
    });
    expect(run.code).toBe(0);
    expect(run.stderr.match(/127\.0\.0\.1:9\/feed\.xml/g)).toHaveLength(1);
    expect(run.stderr).toMatch(/1 feed polled \(0 ok, 1 failed\)/);
  });

  it('tells someone running it through npm without --silent why the JSON has a banner before it', async () => {
    const dir = tempDir('npm');
    const env = { npm_lifecycle_event: 'briefbot', npm_config_loglevel: 'notice' };
    const noisy = await runBriefbot(['brief', 'anything', '--db', join(dir, 'b.db'), '--format', 'json'], { cwd: dir, env });
    expect(noisy.stderr).toMatch(/use `npm run --silent briefbot -- …` \(or --out FILE\)/);
    const silent = await runBriefbot(['brief', 'anything', '--db', join(dir, 'b.db'), '--format', 'json'], {
      cwd: dir,
      env: { ...env, npm_config_loglevel: 'silent' },
    });
    expect(silent.stderr).not.toMatch(/--silent/);
  });
});

describe('cli/progress', () => {
  it('writes log lines above the progress line instead of into it', () => {
    let written = '';
    const write = (s: string) => {
      written += s;
      return true;
    };
    const stream = { isTTY: true, columns: 80, write } as unknown as NodeJS.WriteStream;
    const progress = createProgress(stream, 'polling feeds');
    progress.update(1, 3, 'https://a.example/feed');
    progress.interrupt('WARN  something happened');
    expect(written).toBe(
      '\r\x1b[2Kpolling feeds 1/3 · https://a.example/feed' +
        '\r\x1b[2KWARN  something happened\n' +
        '\r\x1b[2Kpolling feeds 1/3 · https://a.example/feed',
    );
    progress.done();
    expect(written.endsWith('\r\x1b[2K')).toBe(true);
  });
});
