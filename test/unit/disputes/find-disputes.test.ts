import { describe, expect, it } from 'vitest';
import { findDisputes } from '../../../src/disputes/find-disputes.ts';

const article = (id: string, outlet: string, text: string) => ({
  id,
  url: `https://${id}.example/`,
  outlet,
  publishedAt: '2025-06-03T10:00:00Z',
  title: id,
  text,
});

describe('disputes/find-disputes', () => {
  it('opposes a claim and its denial, each side citing the articles that carry it', () => {
    const [point] = findDisputes([
      article('a', 'Gazette', 'Russia’s defence ministry said that all Ukrainian forces had been expelled from the Kursk region.'),
      article(
        'b',
        'Wire',
        'Ukraine’s General Staff denied that its forces had been expelled from the Kursk region, saying its units still hold positions there.',
      ),
    ]);
    expect(point?.kind).toBe('claim_vs_denial');
    expect(point?.sides.map((s) => s.by.split(' ')[0])).toEqual(['Russia', 'Ukraine']);
    expect(point?.sides[0]?.sources).toEqual(['https://a.example/']);
    expect(point?.sides[1]?.sources).toEqual(['https://b.example/']);
  });

  it('reports the same quantity given differently by two parties', () => {
    const [point] = findDisputes([
      article('a', 'Gazette', 'The police said about 12,000 people took part in the march.'),
      article('b', 'Wire', 'The organisers said 40,000 people took part in the march.'),
    ]);
    expect(point?.kind).toBe('figures_differ');
    expect(point?.sides.map((s) => s.claim)).toEqual(['about 12,000 people took part', '40,000 people took part']);
  });

  it('does not invent a dispute from a change over time, an update, or agreement', () => {
    expect(
      findDisputes([
        article('a', 'Gazette', 'Rebels now hold about 30 sq km, down from the 1,300 sq km they captured in August, the army said.'),
        article('b', 'Wire', 'The rebels captured about 1,300 sq km in August.'),
      ]),
    ).toEqual([]);
    expect(
      findDisputes([
        article('a', 'Gazette', 'The museum reopened on Saturday after a three-year renovation, the city said.'),
        article('b', 'Wire', 'After three years of work, the museum opened its doors again on Saturday, officials said.'),
      ]),
    ).toEqual([]);
  });

  it('takes "rejected the claim" to answer the claim before it, not a characterisation said in between', () => {
    const [point] = findDisputes([
      article(
        'a',
        'Gazette',
        'Russia’s chief of staff, Anton Vell, said the last Ukrainian units had been driven out of the Kursk region. Putin called the operation a complete success. Ukraine’s General Staff rejected the claim, saying its forces were still holding positions in the region.',
      ),
      article('b', 'Wire', 'Ukraine’s General Staff said its units continued to hold defensive lines inside the Kursk region.'),
    ]);
    expect(point?.kind).toBe('claim_vs_denial');
    expect(point?.sides[0]?.by).toBe('Russia (Vell)');
    expect(point?.sides[0]?.claim).toMatch(/driven out of the Kursk region/);
    expect(point?.sides[1]?.by).toMatch(/^Ukraine/);
    expect(point?.sides[1]?.claim).toMatch(/still holding positions/);
  });

  it('gives each figure to the side that gives it, and names sides without repeating them', () => {
    const points = findDisputes([
      article(
        'a',
        'Gazette',
        'The Brenna dam gave way on Sunday, flooding three villages, officials said. Governor Ilse Varga said 3,000 people had been evacuated. Varga said the operator, Norvik Power, had skipped an inspection. Norvik Power denied skipping any inspection.',
      ),
      article(
        'b',
        'Wire',
        'Local rescue services said more than 5,000 people had been evacuated, well above the figure of 3,000 given by Governor Ilse Varga. Norvik Power said the dam had passed its inspection in March.',
      ),
    ]);
    const figures = points.find((p) => p.kind === 'figures_differ');
    expect(figures?.sides.map((s) => s.by)).toEqual(['Ilse Varga', 'Local rescue services']);
    const claim = points.find((p) => p.kind === 'claim_vs_denial');
    expect(claim?.sides.map((s) => s.by)).toEqual(['Ilse Varga', 'Norvik Power']);
  });

  it('reads a denial reported in passing (", a view the owner disputes") as the other side', () => {
    const [point] = findDisputes([
      article(
        'a',
        'Gazette',
        'Mayor Petra Lind said the warehouse fire had been started deliberately, a view the owner, Castel Foods, disputes.',
      ),
      article('b', 'Wire', 'Police said they were questioning two men about the fire at the Castel Foods warehouse.'),
    ]);
    expect(point?.kind).toBe('claim_vs_denial');
    expect(point?.sides.map((s) => s.by)).toEqual(['Petra Lind', 'Castel Foods']);
    expect(point?.sides[0]?.claim).toBe('the warehouse fire had been started deliberately');
  });
});
