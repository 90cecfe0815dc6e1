import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
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

describe('cli: feeds import', () => {
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
});
