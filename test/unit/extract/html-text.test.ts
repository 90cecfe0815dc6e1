import { describe, expect, it } from 'vitest';
import { collapseWhitespace, htmlToParagraphs, htmlToText } from '../../../src/extract/html-text.ts';

describe('extract/html-text', () => {
  it('keeps chat mention syntax in a headline as visible text instead of dropping it as a tag', () => {
    expect(htmlToText('Council meets tonight <!channel> and <!here>')).toBe('Council meets tonight @channel and @here');
    expect(htmlToText('Alert &lt;!everyone&gt; for <b>residents</b>')).toBe('Alert @everyone for residents');
    expect(htmlToParagraphs('<p>Ping <@U024BE7LH> about it.</p>')).toEqual(['Ping @U024BE7LH about it.']);
    // HTML's own declarations are still markup.
    expect(htmlToText('<!-- note --><p>Plain</p>')).toBe('Plain');
  });

  describe('htmlToParagraphs', () => {
    it('returns one paragraph per block element, in order', () => {
      const html =
        '<h2>Flood warning</h2><p>Rivers are rising.</p><ul><li>Move valuables upstairs.</li><li>Check on neighbours.</li></ul><blockquote>Stay out of the water.</blockquote>';
      expect(htmlToParagraphs(html)).toEqual([
        'Flood warning',
        'Rivers are rising.',
        'Move valuables upstairs.',
        'Check on neighbours.',
        'Stay out of the water.',
      ]);
    });

    it('decodes named and numeric entities', () => {
      expect(
        htmlToParagraphs('<p>Fish &amp; chips cost &pound;9 &ndash; up 50&#37; on 2019&#8217;s price, said &#x201C;Jo&#x201D;.</p>'),
      ).toEqual(['Fish & chips cost £9 – up 50% on 2019’s price, said “Jo”.']);
    });

    it('splits text separated by <br><br> into paragraphs', () => {
      const html =
        '<div class="story">The fire grew overnight.<br><br>Crews held the line at Sawmill Road.<br />\n&nbsp;<br/>Evacuations remain in place.</div>';
      expect(htmlToParagraphs(html)).toEqual([
        'The fire grew overnight.',
        'Crews held the line at Sawmill Road.',
        'Evacuations remain in place.',
      ]);
    });

    it('keeps a single <br> inside its paragraph', () => {
      expect(htmlToParagraphs('<p>Pinecrest High School,<br>400 Alder Way</p>')).toEqual(['Pinecrest High School, 400 Alder Way']);
    });

    it('does not treat newlines in the source as paragraph breaks', () => {
      expect(htmlToParagraphs('<p>The council met\n\n   on Tuesday\n\nevening.</p>')).toEqual(['The council met on Tuesday evening.']);
    });

    it('skips script, style, figcaption, nav, aside and form text', () => {
      const html = `<script>var ad = "Buy now";</script><style>p { color: red }</style>
<nav><a href="/">Home</a></nav><p>The bridge reopened on Friday.</p>
<figure><img src="bridge.jpg" alt="The bridge"><figcaption>The bridge at dawn. Photograph: Staff</figcaption></figure>
<aside>Most read: Ten best beaches</aside><form><button>Subscribe</button></form><p>Traffic was light.</p>`;
      expect(htmlToParagraphs(html)).toEqual(['The bridge reopened on Friday.', 'Traffic was light.']);
    });

    it('does not glue text around a figure onto the next paragraph', () => {
      const html = '<p>First.</p><figure><img src="a.jpg"><span class="credit">Credit line</span></figure><p>Second.</p>';
      expect(htmlToParagraphs(html)).toEqual(['First.', 'Credit line', 'Second.']);
    });

    it('copes with unclosed paragraphs', () => {
      expect(htmlToParagraphs('<div><p>One is here.<p>Two is here.<p>Three</div>')).toEqual(['One is here.', 'Two is here.', 'Three']);
    });
  });

  describe('htmlToText', () => {
    it('turns a fragment into one line of text', () => {
      expect(htmlToText('<p>Quake <b>shakes</b> coast</p><p>Power cut to 40,000 homes</p>')).toBe(
        'Quake shakes coast Power cut to 40,000 homes',
      );
    });

    it('decodes entities in text that has no tags', () => {
      expect(htmlToText('Tom &amp; Jerry&#8217;s day out')).toBe('Tom & Jerry’s day out');
    });

    it('returns an empty string for nothing', () => {
      expect(htmlToText(null)).toBe('');
      expect(htmlToText(undefined)).toBe('');
      expect(htmlToText('   ')).toBe('');
    });
  });

  describe('collapseWhitespace', () => {
    it('collapses spaces, newlines, non-breaking and zero-width spaces', () => {
      expect(collapseWhitespace('  a\u00a0\u00a0b\n\tc\u200bd  ')).toBe('a b c d');
    });
  });
});
