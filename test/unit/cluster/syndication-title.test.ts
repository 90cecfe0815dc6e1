import { describe, expect, it } from 'vitest';
import { chooseEventTitle, cleanHeadline } from '../../../src/cluster/event-title.ts';
import { findCopies } from '../../../src/cluster/syndication.ts';
import { BRIDGE } from '../../helpers/stories.ts';

const wire = {
  id: 'wire',
  publishedAt: '2025-06-02T07:00:00Z',
  title: 'Bridge collapses',
  text: 'A section of the road bridge over the Oder river near Tarnica collapsed before dawn on Monday, sending two cars into the water, the regional fire service said. Rescuers were searching for two drivers who were still missing, fire service spokesman Piotr Halas told reporters. A third driver was pulled from the river with minor injuries. The bridge, built in the 1970s, had been due for repairs next year, the county said.',
};

describe('cluster/syndication', () => {
  it('marks a republished wire story with small edits as a copy of the original', () => {
    const copy = {
      ...wire,
      id: 'copy',
      publishedAt: '2025-06-02T07:30:00Z',
      text: wire.text.replace('before dawn on Monday', 'early on Monday').replace('the county said', 'officials said'),
    };
    expect(findCopies([wire], [copy])).toEqual(new Map([['copy', 'wire']]));
  });

  it('marks a sentence-by-sentence rewrite of the same report as a copy', () => {
    const rewrite = {
      id: 'rewrite',
      publishedAt: '2025-06-02T09:00:00Z',
      title: 'Tarnica bridge falls',
      text: 'Part of the road bridge across the Oder river near Tarnica collapsed before dawn on Monday, and two cars fell into the water, the regional fire service reported. Rescuers searched for the two drivers still missing, fire service spokesman Piotr Halas said. A third driver was rescued from the river with minor injuries. The bridge dating from the 1970s had been scheduled for repairs next year, according to the county.',
    };
    expect(findCopies([wire], [rewrite]).get('rewrite')).toBe('wire');
  });

  it('treats independent reports of the same event as independent', () => {
    const [a, b, c] = BRIDGE;
    expect(
      findCopies(
        [],
        [a, b, c].filter((x) => x !== undefined),
      ),
    ).toEqual(new Map());
  });
});

describe('cluster/event-title', () => {
  it('picks the headline closest to what the sources share, not a question or a teaser', () => {
    const title = chooseEventTitle([
      { title: 'Is any bridge in the country safe? You won’t believe what engineers found', independent: true },
      { title: 'Road bridge over the Oder collapses near Tarnica, two drivers missing', independent: true },
      { title: 'Divers search Oder after Tarnica bridge collapse - Northline News', independent: true },
      { title: 'Tarnica bridge collapse: two drivers missing in the Oder', independent: true },
    ]);
    expect(title).toMatch(/Tarnica/);
    expect(title).not.toMatch(/\?|believe|Northline/);
  });

  it('strips outlet suffixes and live-blog tags', () => {
    expect(cleanHeadline('LIVE: Tarnica bridge collapse - Harbour Gazette')).toBe('Tarnica bridge collapse');
    expect(cleanHeadline('Storm hits coast | Reuters')).toBe('Storm hits coast');
    expect(cleanHeadline('Minister: we will rebuild')).toBe('Minister: we will rebuild');
  });
});
