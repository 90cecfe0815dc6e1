import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlmSummarizer, numberSources } from '../../../src/llm/llm-summarizer.ts';
import { silentLogger } from '../../../src/shared/logger.ts';
import { createExtractiveSummarizer } from '../../../src/summarize/extractive-summarizer.ts';
import type { SummaryRequest } from '../../../src/summarize/summarizer.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../../fakes/fake-openai.ts';

let ai: FakeOpenAi;

const request: SummaryRequest = {
  disputed: [],
  articles: [
    {
      id: 'a1',
      url: 'https://gazette.example/a1',
      outlet: 'Harbour Gazette',
      title: 'Army says it holds Veltra',
      publishedAt: '2025-06-03T08:00:00Z',
      independent: true,
      text: 'Dravenia’s army said on Tuesday that it had taken full control of the town of Veltra after a week of fighting.\n\nThe army said 40 rebel fighters had surrendered near the grain elevator.\n\nDefence Minister Ana Korvel called it a turning point in the campaign.',
    },
    {
      id: 'a2',
      url: 'https://wire.example/a2',
      outlet: 'Northline Wire',
      title: 'Rebels deny losing Veltra',
      publishedAt: '2025-06-03T10:00:00Z',
      independent: true,
      text: 'The Highland Defence Corps denied that it had been driven out of Veltra and said its units still held the eastern quarter.\n\nCorps spokesman Miro Stanek said about 15 fighters had been captured, not 40.\n\nFighting continued around the grain elevator on Tuesday afternoon, residents said.',
    },
  ],
};

const answer = (o: unknown) => ({ content: JSON.stringify(o) });

function summarizer(timeoutMs = 2000) {
  return createLlmSummarizer(
    { baseUrl: ai.baseUrl, apiKey: 'sk-test-key', model: 'test-model', timeoutMs },
    createExtractiveSummarizer(),
    silentLogger,
  );
}

beforeAll(async () => {
  ai = await startFakeOpenAi();
});
afterAll(() => ai.close());

describe('summarize/llm-summarizer', () => {
  it('sends numbered source sentences and a JSON schema, and keeps a well-supported answer', async () => {
    const sources = numberSources(request);
    ai.respond(
      answer({
        summary: [
          { text: 'Dravenia’s army said it had taken full control of Veltra.', cites: ['S1'] },
          { text: 'The Highland Defence Corps denied it had been driven out of Veltra.', cites: ['S4'] },
        ],
        disputed: [
          {
            point: 'Who controls Veltra',
            sides: [
              { by: 'Dravenia’s army', claim: 'full control of Veltra', cites: ['S1'] },
              { by: 'Highland Defence Corps', claim: 'its units still hold the eastern quarter', cites: ['S4'] },
            ],
          },
        ],
      }),
    );
    const result = await summarizer().summarize(request);
    expect(result.by).toBe('llm');
    expect(result.summary).toEqual([
      'Dravenia’s army said it had taken full control of Veltra.',
      'The Highland Defence Corps denied it had been driven out of Veltra.',
    ]);
    expect(result.disputed?.[0]?.sides.map((s) => s.sources)).toEqual([['https://gazette.example/a1'], ['https://wire.example/a2']]);
    const sent = ai.requests.at(-1);
    expect(sent?.path).toBe('/v1/chat/completions');
    expect(sent?.headers.authorization).toBe('Bearer sk-test-key');
    expect(sent?.body.model).toBe('test-model');
    expect(sent?.body.response_format).toMatchObject({ type: 'json_schema' });
    expect(sent?.body.messages?.[1]?.content).toContain(`[S1] (Harbour Gazette) ${sources[0]?.text}`);
  });

  it('drops sentences and sides whose numbers or names the cited sentences do not contain', async () => {
    ai.respond(
      answer({
        summary: [
          { text: 'Dravenia’s army said it had taken full control of Veltra.', cites: ['S1'] },
          { text: 'The army said 400 rebel fighters had surrendered.', cites: ['S2'] },
          { text: 'President Olaf Grimm praised the troops.', cites: ['S3'] },
          { text: 'The Highland Defence Corps denied it had been driven out of Veltra.', cites: ['S4'] },
        ],
        disputed: [
          {
            point: 'Number of fighters captured',
            sides: [
              { by: 'army', claim: '40 fighters surrendered', cites: ['S2'] },
              { by: 'Corps spokesman Miro Stanek', claim: 'about 25 fighters were captured', cites: ['S5'] },
            ],
          },
        ],
      }),
    );
    const result = await summarizer().summarize(request);
    expect(result.summary).toHaveLength(2);
    expect(result.summary.join(' ')).not.toMatch(/400|Grimm/);
    expect(result.disputed).toEqual([]);
  });

  it('falls back to the extractive brief on invalid JSON, a schema mismatch, or an HTTP error', async () => {
    const extractive = await createExtractiveSummarizer().summarize(request);
    for (const reply of [
      { content: 'Here is your brief: Veltra fell.' },
      answer({ summary: 'Veltra fell' }),
      { status: 503 },
      answer({ summary: [], disputed: [] }),
    ]) {
      ai.respond(reply);
      const result = await summarizer().summarize(request);
      expect(result.by).toBe('extractive');
      expect(result.summary).toEqual(extractive.summary);
    }
  });

  it('falls back to the extractive brief when the endpoint is too slow', async () => {
    ai.respond({ ...answer({ summary: [], disputed: [] }), delayMs: 1500 });
    const started = Date.now();
    const result = await summarizer(200).summarize(request);
    expect(result.by).toBe('extractive');
    expect(Date.now() - started).toBeLessThan(1200);
  });
});
