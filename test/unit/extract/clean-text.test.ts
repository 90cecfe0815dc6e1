import { describe, expect, it } from 'vitest';
import { cleanParagraphs, isBoilerplate, wordCount } from '../../../src/extract/clean-text.ts';

/** An invented article: a water-main burst, five paragraphs that end as sentences do. */
const article = [
  'A water main burst under Fenner Road early on Tuesday, flooding a row of shops and cutting supply to about 6,000 homes in the north of the city, the water company said.',
  'Engineers isolated the 36-inch main by 7 a.m., but the road was expected to stay closed for at least three days while the pipe, laid in 1952, is replaced.',
  '“The water came up through the floor like a fountain,” said Pavla Horvath, who owns a dry cleaner’s on the corner. “We lost everything on the bottom rail.”',
  'Bottled water was being handed out at the Fenner Road community centre, and the company said it would pay compensation to customers who were without water for more than 12 hours.',
  'Supply had been restored to all but 400 homes by Tuesday evening.',
];

const truncatedTeasers = [
  'Library opening hours to be cut at four branches',
  'Four of the city’s branch libraries will close on Mondays from next month under savings plans approved by the council, which said the change would save',
  'Fenner Road traders call for business rates holiday',
  'Shopkeepers on Fenner Road have written to the council asking for a three-month break from business rates, saying months of roadworks last year had already cost them',
];

describe('extract/clean-text', () => {
  describe('cleanParagraphs', () => {
    it('keeps an article that has nothing to remove', () => {
      expect(cleanParagraphs(article)).toEqual(article);
    });

    it('cuts a Related articles block', () => {
      const input = [
        ...article,
        'Related articles',
        'Gas works to close Mill Lane for a fortnight',
        'Mill Lane will be closed to through traffic for two weeks from Monday while a gas main is replaced.',
        'City bus fares frozen for another year',
        'Bus fares in the city will stay at £2 for another year after the council agreed to extend the subsidy.',
      ];
      expect(cleanParagraphs(input)).toEqual(article);
    });

    it('keeps the article after an inline "Read more" box of links', () => {
      const input = [
        ...article.slice(0, 2),
        'READ MORE:',
        'Why old water mains burst in cold weather',
        'How to claim compensation for a supply cut',
        ...article.slice(2),
      ];
      expect(cleanParagraphs(input)).toEqual(article);
    });

    it('drops inline "Read more: headline" lines between paragraphs', () => {
      const input = [article[0], 'Read more: Why old water mains burst in cold weather', ...article.slice(1)] as string[];
      expect(cleanParagraphs(input)).toEqual(article);
    });

    it('trims a tail of headline + truncated snippet teasers', () => {
      expect(cleanParagraphs([...article, ...truncatedTeasers])).toEqual(article);
    });

    it('trims a teaser tail that is longer than the article', () => {
      const short = article.slice(0, 2);
      const teasers = [...truncatedTeasers, ...truncatedTeasers.map((t) => t.replace('Fenner', 'Alder').replace('four', 'five'))];
      expect(cleanParagraphs([...short, ...teasers])).toEqual(short);
    });

    it('trims teasers whose snippets end in an ellipsis', () => {
      const teasers = [
        'Recycling collections move to fortnightly',
        'Recycling bins in the city will be emptied every two weeks instead of weekly from April, the council has confirmed, after a trial in two wards found…',
        'Swimming pool reopens after roof repairs',
        'The Eastgate swimming pool has reopened after eight months of repairs to its roof. Swimmers said the new changing rooms were [...]',
      ];
      expect(cleanParagraphs([...article, ...teasers])).toEqual(article);
    });

    it('trims teasers whose headlines end in a question mark or a quotation mark', () => {
      const teasers = [
        'Will the Fenner Road repairs be finished by Christmas?',
        'The water company says the new main will be in place within a fortnight, but traders who remember last year’s roadworks are not convinced that the road',
        'Horvath: ‘We cannot go through this again’',
        'Pavla Horvath has run her dry cleaner’s on Fenner Road for 22 years. She says last year’s roadworks cost her a third of her customers and that another closure',
      ];
      expect(cleanParagraphs([...article, ...teasers])).toEqual(article);
    });

    it('cuts at a "Visited N times" counter and the teasers after it', () => {
      const input = [
        ...article,
        'Visited 12 times, 1 visit(s) today',
        'Gas works to close Mill Lane for a fortnight',
        'Mill Lane will be closed to through traffic for two weeks from Monday while a gas main is replaced.',
      ];
      expect(cleanParagraphs(input)).toEqual(article);
    });

    it('drops "The post … appeared first on …" and everything after it', () => {
      const input = [
        ...article,
        'The post Water main bursts under Fenner Road appeared first on City Desk.',
        'City bus fares frozen for another year',
        'Bus fares in the city will stay at £2 for another year after the council agreed to extend the subsidy.',
      ];
      expect(cleanParagraphs(input)).toEqual(article);
    });

    it('cuts at a comment widget and keeps comments out', () => {
      const input = [
        ...article,
        'Leave a Reply',
        'You must be logged in to post a comment.',
        'We had no water on Elm Street either, and nobody from the company answered the phone all morning.',
        'Same here. Two days without a shower is not acceptable in this day and age.',
      ];
      expect(cleanParagraphs(input)).toEqual(article);
    });

    it('drops share, like, cookie and newsletter lines', () => {
      const input = [
        'We use cookies to improve your experience on our site.',
        ...article.slice(0, 3),
        'Advertisement',
        'Get our morning newsletter in your inbox every weekday',
        ...article.slice(3),
        'Share this:',
        'Facebook',
        'X',
        'Like this:',
        'Like Loading…',
        '© 2026 City Desk. All rights reserved.',
      ];
      expect(cleanParagraphs(input)).toEqual(article);
    });

    it('keeps a final short sign-off line when it is alone', () => {
      const input = [...article, 'See you next week, Tomasz'];
      expect(cleanParagraphs(input)).toEqual(input);
    });

    it('keeps short subheadings inside the body', () => {
      const input = [article[0], 'Why it matters', article[1], article[2], 'What happens next', article[3], article[4]] as string[];
      expect(cleanParagraphs(input)).toEqual(input);
    });

    it('keeps a subheading over a last paragraph that was cut short', () => {
      const input = [
        ...article.slice(0, 4),
        'What happens next',
        'The company said the new main would be tested on Wednesday and that, if the pressure holds, the road could reopen',
      ];
      expect(cleanParagraphs(input)).toEqual(input);
    });

    it('keeps a closing list that a sentence introduces with a colon', () => {
      const input = [
        ...article.slice(0, 4),
        'Bottled water is being handed out at:',
        'Fenner Road community centre',
        'St Anne’s church hall on Mill Lane',
        'The car park of the Eastgate leisure centre',
      ];
      expect(cleanParagraphs(input)).toEqual(input);
    });

    it('strips a "Headline/ Outlet/ CITY/ Author/ " slash chain before the first sentence', () => {
      const first = `Water main bursts under Fenner Road/ City Desk/ NORTHBROOK/ Lena Marsh/ ${article[0]}`;
      expect(cleanParagraphs([first, ...article.slice(1)])).toEqual(article);
    });

    it('leaves slashes inside a sentence alone', () => {
      const p = 'Engineers worked 24/7 on the and/or junction of the A40/ A41 link, the company said in a statement on Tuesday.';
      expect(cleanParagraphs([p, ...article])).toEqual([p, ...article]);
    });

    it('drops a repeated title as first paragraph', () => {
      const title = 'Water main bursts under Fenner Road, flooding shops';
      expect(cleanParagraphs([title, ...article], { title })).toEqual(article);
      expect(cleanParagraphs(['Water main bursts under Fenner Road — flooding shops', ...article], { title })).toEqual(article);
    });

    it('drops exact repeats and a pull quote that repeats a sentence of the article', () => {
      const pull = '“The water came up through the floor like a fountain,” said Pavla Horvath';
      const input = [article[0], article[1], article[0], pull, ...article.slice(2)] as string[];
      expect(cleanParagraphs(input)).toEqual(article);
    });

    it('removes the link and attribution line of an embedded post', () => {
      const input = [
        article[0],
        'Crews are on site at Fenner Road. Please avoid the area while we repair the main. pic.twitter.com/Ab12Cd34Ef',
        '— City Water (@CityWater) May 5, 2026',
        ...article.slice(1),
      ] as string[];
      expect(cleanParagraphs(input)).toEqual([
        article[0],
        'Crews are on site at Fenner Road. Please avoid the area while we repair the main.',
        ...article.slice(1),
      ]);
    });

    it('never trims more than the article’s tail', () => {
      // The article's own last paragraph ends as a sentence: what comes before it is never touched.
      expect(cleanParagraphs([...article, ...truncatedTeasers])).toHaveLength(article.length);
      // A text made only of headline-like lines and snippets is not trimmed to nothing.
      expect(cleanParagraphs(truncatedTeasers)).toEqual(truncatedTeasers);
      // A single unfinished last paragraph is left alone.
      const cutShort = [
        ...article.slice(0, 4),
        'The company said it would pay compensation to customers who were without water for more than 12 hours and that',
      ];
      expect(cleanParagraphs(cutShort)).toEqual(cutShort);
      // A "Related" heading before any article text does not cut the article.
      expect(cleanParagraphs(['Related', ...article])).toEqual(article);
    });
  });

  describe('isBoilerplate', () => {
    it.each([
      'Advertisement',
      'Share this:',
      'Share on Facebook',
      'Visited 12 times, 1 visit(s) today',
      'Would love your thoughts, please comment.x',
      'You must Register or Login to post a comment.',
      'Stay informed with free updates',
      '© 2026 City Desk. All rights reserved.',
      'Story continues below advertisement',
      '0',
      '()',
    ])('flags %j', (line) => {
      expect(isBoilerplate(line)).toBe(true);
    });

    it.each([
      'Shares in the water company fell 4 per cent after the burst was reported.',
      'Subscribers to the council’s alert service were told about the closure at 6 a.m.',
      'Why it matters',
      'Until next week, Tomasz',
    ])('keeps %j', (line) => {
      expect(isBoilerplate(line)).toBe(false);
    });
  });

  describe('wordCount', () => {
    it('counts words, keeping contractions whole', () => {
      expect(wordCount('It’s four homes — don’t panic.')).toBe(5);
      expect(wordCount('')).toBe(0);
    });
  });
});
