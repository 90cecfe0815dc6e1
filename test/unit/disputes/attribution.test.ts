import { describe, expect, it } from 'vitest';
import { findAttributions } from '../../../src/disputes/attribution.ts';

const read = (s: string) => findAttributions(s).map((a) => `${a.verbClass}|${a.speaker}|${a.content}`);

describe('disputes/attribution', () => {
  it('reads speaker-first and quote-first attributions', () => {
    expect(read('The regional governor said on Monday that 2,000 people had been evacuated.')).toEqual([
      'assert|the regional governor|2,000 people had been evacuated.',
    ]);
    expect(read('“Our units still hold the eastern quarter,” the Corps spokesman said.')).toEqual([
      'assert|the Corps spokesman|Our units still hold the eastern quarter',
    ]);
  });

  it('classes denials and keeps the denied proposition', () => {
    expect(read('The ministry denied that any of its drones had crossed the border.')).toEqual([
      'deny|the ministry|any of its drones had crossed the border.',
    ]);
  });

  it('splits coordinated and participle statements by the same speaker', () => {
    expect(read('Lumen Mobile said it would appeal, and denied that it had misled customers.')).toEqual([
      'assert|Lumen Mobile|it would appeal',
      'deny|Lumen Mobile|it had misled customers.',
    ]);
    expect(
      read('The association said oil had reached the bay, contradicting assurances from the port authority that the spill was contained.'),
    ).toEqual([
      'assert|the association|oil had reached the bay',
      'deny|the association|assurances from the port authority that the spill was contained.',
    ]);
  });

  it('reads "according to" lists and appositive speakers, and drops datelines', () => {
    expect(read('More than 12,000 troops were deployed, according to the Ukrainian, South Korean and American governments.')[0]).toMatch(
      /^assert\|the Ukrainian, South Korean and American governments\|More than 12,000 troops were deployed/,
    );
    expect(read('HALLIN (Northline) - About 4,000 people were evacuated, the town’s mayor, Greta Solberg, said on Wednesday.')).toEqual([
      'assert|the town’s mayor, Greta Solberg|About 4,000 people were evacuated',
    ]);
  });

  it('does not take clauses, passives or adjectives for speakers', () => {
    expect(read('Troops moved along the disputed border before dawn.')).toEqual([]);
    expect(read('North Korean troops were noted for their discipline.')).toEqual([]);
    expect(read('Neither side disputes that the dam is unsafe.')).toEqual([]);
  });
});
