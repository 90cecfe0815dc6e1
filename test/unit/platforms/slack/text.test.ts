import { describe, expect, it } from 'vitest';
import { clipAtWord, escapeSlackText, slackLink, splitAtSentences } from '../../../../src/platforms/slack/text.ts';

const ZWJ = '\u200D';

describe('platforms/slack/text', () => {
  describe('escapeSlackText', () => {
    it('escapes the three mrkdwn control characters', () => {
      expect(escapeSlackText('Rates & bonds <up> 5 > 4')).toBe('Rates &amp; bonds &lt;up&gt; 5 &gt; 4');
      expect(escapeSlackText('&amp;')).toBe('&amp;amp;');
    });

    it('keeps feed text’s *bold*, _italic_, ~strike~ and `code` from turning into formatting', () => {
      const out = escapeSlackText('Vote *tonight* on _the_ ~old~ `plan`');
      // Every marker is followed by a zero-width space, so no two markers pair up.
      expect(out).toBe('Vote *\u200Btonight*\u200B on _\u200Bthe_\u200B ~\u200Bold~\u200B `\u200Bplan`\u200B');
      expect(out.replace(/\u200B/g, '')).toBe('Vote *tonight* on _the_ ~old~ `plan`');
    });

    it('makes Slack mention and link syntax in feed text inert', () => {
      for (const raw of [
        '<!channel>',
        '<!here>',
        '<!everyone>',
        '<@U123>',
        '<!subteam^S1>',
        '<#C024BE7LR>',
        '<https://evil.example|click>',
      ]) {
        const out = escapeSlackText(`Before ${raw} after`);
        expect(out).not.toContain('<');
        expect(out).not.toContain('>');
        expect(out).toContain(raw.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
      }
    });

    it('breaks the ping words with a zero-width joiner, in any case', () => {
      expect(escapeSlackText('Attention @here and @channel, @everyone')).toBe(`Attention @${ZWJ}here and @${ZWJ}channel, @${ZWJ}everyone`);
      expect(escapeSlackText('@HERE @Channel')).toBe(`@${ZWJ}HERE @${ZWJ}Channel`);
      expect(escapeSlackText('mail press@example.org')).toBe('mail press@example.org');
      expect(escapeSlackText('Say @here')).not.toMatch(/@here/i);
    });
  });

  describe('slackLink', () => {
    it('links http(s) URLs with an escaped label', () => {
      expect(slackLink('https://news.example/a', 'Ports & docks')).toBe('<https://news.example/a|Ports &amp; docks>');
      expect(slackLink('http://news.example/b', '[2]')).toBe('<http://news.example/b|[2]>');
    });

    it('neutralises | and > in the label and strips <>| from the URL', () => {
      const link = slackLink('https://news.example/a?x=<1>|y', 'Rates | forecasts > views <!here>');
      expect(link).toBe('<https://news.example/a?x=1y|Rates ∣ forecasts &gt; views &lt;!here&gt;>');
      expect(link.match(/\|/g)).toHaveLength(1);
      expect(link.match(/[<>]/g)).toHaveLength(2);
    });

    it('escapes & in the URL as Slack itself does', () => {
      expect(slackLink('https://news.example/?a=1&b=2', 'x')).toBe('<https://news.example/?a=1&amp;b=2|x>');
    });

    it('gives the plain escaped label for anything but http(s)', () => {
      expect(slackLink('javascript:alert(1)', 'Click <me>')).toBe('Click &lt;me&gt;');
      expect(slackLink('JAVASCRIPT:alert(1)//https://x', 'a')).toBe('a');
      expect(slackLink('data:text/html,<b>x</b>', 'a')).toBe('a');
      expect(slackLink('mailto:desk@news.example', 'desk')).toBe('desk');
      expect(slackLink('/relative/path', 'rel')).toBe('rel');
      expect(slackLink(null, 'none')).toBe('none');
      expect(slackLink('https://', 'empty host')).toBe('empty host');
    });
  });

  describe('clipAtWord', () => {
    it('cuts at a word boundary with an ellipsis and never inside an entity', () => {
      expect(clipAtWord('short', 10)).toBe('short');
      const clipped = clipAtWord('one two three four five', 12);
      expect(clipped).toBe('one two…');
      expect(clipped.length).toBeLessThanOrEqual(12);
      const entity = clipAtWord('x&amp;&amp;&amp;&amp;', 9);
      expect(entity.length).toBeLessThanOrEqual(9);
      expect(entity).not.toMatch(/&[a-z]*…$/);
    });
  });

  describe('splitAtSentences', () => {
    const sentences = Array.from(
      { length: 60 },
      (_, i) => `Harbour inspector ${i + 1} said crane ${i + 1} was cleared for use after a check of its cables on Tuesday.`,
    );
    const text = sentences.join(' ');

    it('returns short text whole and empty text as nothing', () => {
      expect(splitAtSentences('One. Two.', 100)).toEqual(['One. Two.']);
      expect(splitAtSentences('   ', 100)).toEqual([]);
    });

    it('keeps every chunk within max and never cuts a sentence', () => {
      for (const max of [120, 500, 3000]) {
        const chunks = splitAtSentences(text, max);
        expect(chunks.length).toBeGreaterThan(1);
        for (const c of chunks) {
          expect(c.length).toBeLessThanOrEqual(max);
          expect(c).toMatch(/\.$/);
        }
        for (const s of sentences) expect(chunks.filter((c) => c.includes(s))).toHaveLength(1);
        expect(chunks.join(' ')).toBe(text);
      }
    });

    it('splits a sentence longer than max at the last space before max', () => {
      const long = `Long ${'word '.repeat(50).trim()}.`;
      const chunks = splitAtSentences(`Short one. ${long} Tail here.`, 60);
      for (const c of chunks) expect(c.length).toBeLessThanOrEqual(60);
      expect(chunks[0]).toBe('Short one.');
      expect(chunks.every((c) => !c.startsWith(' ') && !c.endsWith(' '))).toBe(true);
      expect(chunks.join(' ').replace(/\s+/g, ' ')).toBe(`Short one. ${long} Tail here.`);
      // a word with no space to cut at is cut hard, but never inside an entity
      const hard = splitAtSentences('x'.repeat(30) + '&amp;'.repeat(10), 32);
      for (const c of hard) {
        expect(c.length).toBeLessThanOrEqual(32);
        expect(c).not.toMatch(/&[a-z]{0,3}$/);
      }
    });

    it('keeps line breaks and indentation between lines', () => {
      const lines = ['• First point. It has two sentences.', '      ◦ *Side*: a claim. Another.', '• Second point.'].join('\n');
      const chunks = splitAtSentences(lines, 45);
      for (const c of chunks) expect(c.length).toBeLessThanOrEqual(45);
      expect(chunks).toContain('      ◦ *Side*: a claim. Another.');
    });

    it('never cuts inside a link it was given', () => {
      const link = '<https://news.example/a|A title. With two sentences in it>';
      const chunks = splitAtSentences(`Lead sentence here. See ${link} now. Last one.`, 70);
      expect(chunks.some((c) => c.includes(link))).toBe(true);
      for (const c of chunks) expect((c.match(/</g) ?? []).length).toBe((c.match(/>/g) ?? []).length);
    });

    it('rejects a useless max', () => {
      expect(() => splitAtSentences('a', 0)).toThrow(RangeError);
    });
  });
});
