import { describe, expect, it } from 'vitest';
import { findQuantities } from '../../../src/disputes/quantities.ts';

describe('disputes/quantities', () => {
  it('reads ranges, bounds and approximations as intervals', () => {
    const [range] = findQuantities('Officials said between 10,000 and 12,000 troops were sent.');
    expect(range).toMatchObject({ low: 10000, high: 12000, measure: 'troops' });
    const [more] = findQuantities('More than 12,000 North Korean troops were deployed.');
    expect(more?.low).toBeGreaterThan(12000);
    expect(more?.high).toBe(Number.POSITIVE_INFINITY);
    const [about] = findQuantities('The area covers about 30 sq km.');
    expect(about).toMatchObject({ low: 27, high: 33, unit: 'sq km' });
  });

  it('says what is counted, whatever the noun', () => {
    expect(findQuantities('The health ministry said 27 people had been killed.')[0]?.measure).toBe('dead');
    expect(findQuantities('Police put the crowd at 12,000.')[0]?.measure).toBe('protesters');
    expect(findQuantities('More than 6,500 residents have had to leave their homes.')[0]?.measure).toBe('displaced');
  });

  it('marks changes over time only when both values are given', () => {
    expect(findQuantities('Its territory has fallen to about 30 sq km from 1,300 sq km in August.').map((q) => q.change)).toEqual([
      true,
      true,
    ]);
    expect(findQuantities('The toll has risen to 27, the ministry said.').map((q) => q.change)).toEqual([false]);
  });

  it('records when a figure applies, forecasts, and what a percentage is of', () => {
    expect(findQuantities('By January the zone was down to roughly 500 sq km.')[0]?.anchor).toBe('january');
    expect(findQuantities('The museum hoped to welcome 200,000 visitors.')[0]?.prospective).toBe(true);
    const [inflation, target] = findQuantities('Inflation, at 2.9% in May, was above the bank’s 2% target.');
    expect(inflation?.about).toBe('inflation');
    expect(target?.about).toBe('target');
  });

  it('ignores years, ages, times and spelled-out small numbers', () => {
    expect(findQuantities('In 2024 an 88-year-old woman arrived at 11 a.m. with two dogs.')).toEqual([]);
  });

  it('reads "the number" as the thing an earlier sentence counted, at the same time', () => {
    const earlier = findQuantities('Analysts estimated that between 10,000 and 12,000 soldiers were sent to the front late last year.');
    const [later] = findQuantities('The defence ministry has put the number at more than 12,000.', earlier);
    expect(later).toMatchObject({ measure: 'troops', anchor: 'last year', low: 12_000 * 1.000001 });
    // Without an earlier figure, "the number" alone says nothing about what is counted.
    expect(findQuantities('The defence ministry has put the number at more than 12,000.')[0]?.measure).not.toBe('troops');
  });
});
