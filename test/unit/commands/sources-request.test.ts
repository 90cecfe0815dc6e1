import { describe, expect, it } from 'vitest';
import { parseSourcesRequest } from '../../../src/commands/sources-request.ts';

describe('commands/sources-request', () => {
  it.each([
    ['sources', null],
    ['Sources?', null],
    ['sources pls', null],
    ['links please', null],
    ['show me the sources', null],
    ['what are the sources for 2', 2],
    ['sources 3', 3],
    ['source #2', 2],
    ['<@U0BOT> sources', null],
    ['where is this from?', null],
    ['where did this come from', null],
  ])('"%s" asks for the sources (number %s)', (text, number) => {
    expect(parseSourcesRequest(text)).toEqual({ number });
  });

  it.each([
    'thanks!',
    'the sources say Russia retook the town',
    'I doubt the sources on this one, who wrote it?',
    'open source intelligence has more',
    '',
    `sources ${'really '.repeat(20)}`,
  ])('"%s" is not a request for sources', (text) => {
    expect(parseSourcesRequest(text)).toBeNull();
  });
});
