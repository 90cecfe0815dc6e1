import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../../../src/nlp/sentences.ts';
import {
  discordLink,
  escapeDiscordText,
  packLines,
  safeHttpUrl,
  shortenLine,
  splitAtSentences,
  ZWSP,
} from '../../../../src/platforms/discord/text.ts';

describe('platforms/discord/text', () => {
  describe('escapeDiscordText', () => {
    it('leaves ordinary news text alone', () => {
      const s = 'The council voted 7-2 on Tuesday (after a 3-hour debate), officials said: "It passes."';
      expect(escapeDiscordText(s)).toBe(s);
    });

    it.each([
      ['**bold**', '\\*\\*bold\\*\\*'],
      ['_italic_ and __underline__', '\\_italic\\_ and \\_\\_underline\\_\\_'],
      ['~~struck~~', '\\~\\~struck\\~\\~'],
      ['`code` and ```block```', '\\`code\\` and \\`\\`\\`block\\`\\`\\`'],
      ['||spoiler||', '\\|\\|spoiler\\|\\|'],
      ['a \\ backslash', 'a \\\\ backslash'],
      ['C:\\*', 'C:\\\\\\*'],
    ])('escapes inline markdown: %s', (input, expected) => {
      expect(escapeDiscordText(input)).toBe(expected);
    });

    it('escapes block quotes, headings and subtext at a line start only', () => {
      expect(escapeDiscordText('> quoted')).toBe('\\> quoted');
      expect(escapeDiscordText('>>> all quoted')).toBe('\\>>> all quoted');
      expect(escapeDiscordText('# Heading')).toBe('\\# Heading');
      expect(escapeDiscordText('### Small')).toBe('\\### Small');
      expect(escapeDiscordText('-# subtext')).toBe('\\-# subtext');
      expect(escapeDiscordText('first line\n  # second')).toBe('first line\n  \\# second');
      expect(escapeDiscordText('rates > 3% and issue #4 and x -# y')).toBe('rates > 3% and issue #4 and x -# y');
    });

    it('neutralises @everyone and @here', () => {
      expect(escapeDiscordText('Hey @everyone look')).toBe(`Hey @${ZWSP}everyone look`);
      expect(escapeDiscordText('@here now')).toBe(`@${ZWSP}here now`);
      expect(escapeDiscordText('@EVERYONE')).toBe(`@${ZWSP}EVERYONE`);
      expect(escapeDiscordText('email press@example.com')).toBe('email press@example.com');
    });

    it.each([
      ['<@123456789012345678>', `<${ZWSP}@123456789012345678>`],
      ['<@!123>', `<${ZWSP}@!123>`],
      ['<@&456>', `<${ZWSP}@&456>`],
      ['<#789>', `<${ZWSP}#789>`],
      ['</brief:123>', `<${ZWSP}/brief:123>`],
      ['<:smile:123>', `<${ZWSP}:smile:123>`],
      ['<t:1700000000:R>', `<${ZWSP}t:1700000000:R>`],
    ])('breaks mention-like token %s', (input, expected) => {
      const out = escapeDiscordText(input);
      expect(out).toBe(expected);
      expect(out).not.toMatch(/<[@#/:]|<t:/);
    });

    it('keeps less-than comparisons readable', () => {
      expect(escapeDiscordText('turnout <50% and 3 < 4')).toBe('turnout <50% and 3 < 4');
    });

    it('turns masked links into plain text', () => {
      const out = escapeDiscordText('[click here](https://evil.example/login)');
      expect(out).toBe('\\[click here\\](https://evil.example/login)');
      expect(out).not.toMatch(/(^|[^\\])\[[^\]]*\]\(/);
    });
  });

  describe('safeHttpUrl and discordLink', () => {
    it('links http(s) URLs with an escaped label', () => {
      expect(discordLink('https://news.example/a', 'Council *votes*')).toBe('[Council \\*votes\\*](https://news.example/a)');
      expect(discordLink('http://news.example/a', '2')).toBe('[2](http://news.example/a)');
    });

    it('neutralises ] and ) in the label', () => {
      const out = discordLink('https://news.example/a', 'Evil](https://evil.example) [x');
      expect(out).toBe('[Evil\\]\\(https://evil.example\\) \\[x](https://news.example/a)');
      // Exactly one unescaped "](" — the one that ends our label.
      expect(out.match(/(?<!\\)\]\(/g)).toHaveLength(1);
    });

    it('percent-encodes ), ( and spaces in the URL', () => {
      expect(discordLink('https://wiki.example/Foo_(bar) baz', 'x')).toBe('[x](https://wiki.example/Foo_%28bar%29%20baz)');
    });

    it('gives just the escaped label for anything but http(s)', () => {
      for (const url of [
        'javascript:alert(1)',
        'JAVASCRIPT:alert(1)',
        'data:text/html,hi',
        '/relative/path',
        'ftp://files.example/x',
        'https//broken',
        '',
        null,
      ]) {
        expect(safeHttpUrl(url)).toBeNull();
        expect(discordLink(url, 'A *title*')).toBe('A \\*title\\*');
      }
    });

    it('neutralises mentions in labels', () => {
      expect(discordLink('https://news.example/a', 'ping @everyone <@&1>')).toBe(
        `[ping @${ZWSP}everyone <${ZWSP}@&1>](https://news.example/a)`,
      );
    });

    it('falls back to the host name for an empty label', () => {
      expect(discordLink('https://news.example/a', '  ')).toBe('[news.example](https://news.example/a)');
    });
  });

  describe('splitAtSentences', () => {
    const text =
      'The river rose 3.2 metres overnight. Mr. Okafor, the mayor, ordered an evacuation of the lower town. ' +
      'About 4,000 people left their homes, civil protection said. The U.S. embassy advised against travel. ' +
      'Schools will stay shut until Friday.';

    it('returns short text whole', () => {
      expect(splitAtSentences('One sentence.', 100)).toEqual(['One sentence.']);
      expect(splitAtSentences('  ', 100)).toEqual([]);
    });

    it('never cuts a sentence and keeps every chunk within the limit', () => {
      const sentences = splitSentences(text);
      for (const max of [40, 80, 120, 200]) {
        const chunks = splitAtSentences(text, max);
        for (const c of chunks) expect(c.length).toBeLessThanOrEqual(max);
        const longest = Math.max(...sentences.map((s) => s.length));
        if (max >= longest) {
          // Each chunk is a run of whole sentences, and together they are the text.
          for (const c of chunks) for (const s of splitSentences(c)) expect(sentences).toContain(s);
          expect(chunks.join(' ')).toBe(text);
        }
      }
    });

    it('respects abbreviations and decimals', () => {
      const chunks = splitAtSentences(text, 110);
      expect(chunks.some((c) => c.endsWith('Mr.'))).toBe(false);
      expect(chunks.some((c) => c.endsWith('U.S.'))).toBe(false);
      expect(chunks.some((c) => c.endsWith('3.'))).toBe(false);
    });

    it('splits an over-long sentence at the last space that fits', () => {
      const long = `${'word '.repeat(60).trim()}.`;
      const chunks = splitAtSentences(long, 50);
      for (const c of chunks) {
        expect(c.length).toBeLessThanOrEqual(50);
        expect(c.startsWith(' ') || c.endsWith(' ')).toBe(false);
      }
      expect(chunks.join(' ')).toBe(long);
    });

    it('hard-cuts a spaceless run without splitting an escape', () => {
      const chunks = splitAtSentences('\\*'.repeat(30), 7);
      for (const c of chunks) {
        expect(c.length).toBeLessThanOrEqual(7);
        expect(c.endsWith('\\')).toBe(false);
      }
      expect(chunks.join('')).toBe('\\*'.repeat(30));
    });

    it('keeps paragraph breaks inside a chunk', () => {
      expect(splitAtSentences('First para. Still first.\n\nSecond para.', 100)).toEqual(['First para. Still first.\n\nSecond para.']);
      expect(splitAtSentences('First para. Still first.\n\nSecond para.', 30)).toEqual(['First para. Still first.', 'Second para.']);
    });
  });

  describe('packLines and shortenLine', () => {
    it('packs whole lines', () => {
      expect(packLines(['aaaa', 'bbbb', 'cccc'], 9)).toEqual(['aaaa\nbbbb', 'cccc']);
    });

    it('shortens at a word with an ellipsis', () => {
      expect(shortenLine('one two three four', 12)).toBe('one two…');
      expect(shortenLine('short', 12)).toBe('short');
      expect(shortenLine('a\nmulti  line', 20)).toBe('a multi line');
    });
  });
});
