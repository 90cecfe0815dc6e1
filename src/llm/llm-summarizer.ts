/**
 * @module Optional: a brief written by an LLM behind an OpenAI-compatible endpoint (OpenAI, Azure,
 * Ollama, vLLM, LM Studio…). The model sees numbered source sentences and must answer in a JSON schema
 * that cites sentence ids. Nothing it writes is trusted: every summary sentence and every disputed side
 * is checked against the sentences it cites — each number and each name must appear there — and is
 * dropped if unsupported. On any failure (HTTP error, timeout, invalid JSON, too little left after
 * checking) the offline extractive brief is used instead.
 */
import { z } from 'zod';
import type { DisputedPoint } from '../core/types.ts';
import { splitSentences } from '../nlp/sentences.ts';
import { normalizeNumber } from '../nlp/tokenize.ts';
import { errorMessage } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { Summarizer, SummaryRequest, SummaryResult } from '../summarize/summarizer.ts';

export interface LlmOptions {
  baseUrl: string;
  apiKey: string | undefined;
  model: string;
  timeoutMs: number;
  /** Source sentences sent to the model (the opening of each independent article). */
  maxSentences?: number;
}

export interface SourceSentence {
  id: string;
  articleId: string;
  url: string | null;
  outlet: string;
  text: string;
}

const answerSchema = z.object({
  summary: z.array(z.object({ text: z.string().min(1), cites: z.array(z.string()).min(1) })).max(8),
  disputed: z
    .array(
      z.object({
        point: z.string().min(1),
        sides: z.array(z.object({ by: z.string().min(1), claim: z.string().min(1), cites: z.array(z.string()).min(1) })).min(2),
      }),
    )
    .max(6)
    .default([]),
});

export type LlmAnswer = z.infer<typeof answerSchema>;

/** The JSON schema sent with the request (response_format), mirroring answerSchema. */
export const ANSWER_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['summary', 'disputed'],
  properties: {
    summary: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['text', 'cites'],
        properties: { text: { type: 'string' }, cites: { type: 'array', items: { type: 'string' } } },
      },
    },
    disputed: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['point', 'sides'],
        properties: {
          point: { type: 'string' },
          sides: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['by', 'claim', 'cites'],
              properties: { by: { type: 'string' }, claim: { type: 'string' }, cites: { type: 'array', items: { type: 'string' } } },
            },
          },
        },
      },
    },
  },
} as const;

const SYSTEM_PROMPT = `You write neutral news briefs from numbered source sentences.
Answer with JSON only, in the given schema:
- "summary": 2 to 5 sentences, at most 120 words in all, saying what happened. Keep attribution ("X said…"): never state a contested claim as fact.
- "disputed": the points the sources disagree on (a claim and its denial, a figure reported differently, a characterisation one side rejects). For each point, each side: who ("by"), what they say ("claim"). Do not invent disagreement: if the sources agree, return an empty list. At most 4 points.
Every sentence and every side must cite the ids (like "S3") of the source sentences that support it. Use only facts, numbers and names found in the cited sentences.`;

/** The opening sentences of each independent article, numbered S1, S2, … */
export function numberSources(req: SummaryRequest, max = 80): SourceSentence[] {
  const pool = req.articles.some((a) => a.independent) ? req.articles.filter((a) => a.independent) : req.articles;
  const perArticle = Math.max(4, Math.floor(max / Math.max(1, pool.length)));
  const out: SourceSentence[] = [];
  for (const a of pool) {
    const sentences = a.text
      .split(/\n+/)
      .flatMap(splitSentences)
      .filter((s) => s.split(/\s+/).length >= 5)
      .slice(0, perArticle);
    for (const text of sentences) {
      if (out.length >= max) break;
      out.push({ id: `S${out.length + 1}`, articleId: a.id, url: a.url ?? null, outlet: a.outlet, text });
    }
  }
  return out;
}

function numbersIn(text: string): string[] {
  return [...text.matchAll(/\d[\d,.]*\d|\d/g)].map((m) => normalizeNumber(m[0]));
}

const NOT_NAMES = new Set(
  'The A An In On At By For But And Or Of To It Its He She They We I This That These Those There Their His Her Our Both Each Some Many Most No Not As After Before While When What Who Why How Whether According'.split(
    ' ',
  ),
);

function namesIn(text: string): string[] {
  return [...text.matchAll(/\p{Lu}[\p{L}'’-]+/gu)].map((m) => m[0].replace(/['’]s$/, '')).filter((w) => !NOT_NAMES.has(w));
}

/** True when every number and name in `text` appears in the cited source sentences. */
export function isSupported(text: string, cited: readonly SourceSentence[]): boolean {
  if (cited.length === 0) return false;
  const source = cited.map((c) => c.text).join(' ');
  const sourceNumbers = new Set(numbersIn(source));
  const sourceLower = source.toLowerCase();
  return numbersIn(text).every((n) => sourceNumbers.has(n)) && namesIn(text).every((n) => sourceLower.includes(n.toLowerCase()));
}

/** Keeps only what the cited sentences support; returns null when too little is left to use. */
export function verifyAnswer(
  answer: LlmAnswer,
  sources: readonly SourceSentence[],
): { summary: string[]; disputed: DisputedPoint[] } | null {
  const byId = new Map(sources.map((s) => [s.id, s]));
  const citedOf = (ids: readonly string[]) => ids.map((id) => byId.get(id.trim())).filter((s): s is SourceSentence => s !== undefined);
  const summary: string[] = [];
  let words = 0;
  for (const s of answer.summary) {
    const text = s.text.replace(/\s+/g, ' ').trim();
    const n = text.split(' ').length;
    if (n > 45 || summary.length >= 5 || words + n > 120) continue;
    if (!isSupported(text, citedOf(s.cites))) continue;
    summary.push(text);
    words += n;
  }
  if (summary.length < 2) return null;
  const disputed: DisputedPoint[] = [];
  for (const d of answer.disputed.slice(0, 4)) {
    const sides = d.sides
      .map((side) => {
        const cited = citedOf(side.cites);
        if (!isSupported(`${side.by} ${side.claim}`, cited)) return null;
        const urls = [...new Set(cited.map((c) => c.url).filter((u): u is string => u !== null))];
        return urls.length ? { by: side.by.trim(), claim: side.claim.trim(), sources: urls } : null;
      })
      .filter((s): s is NonNullable<typeof s> => s !== null);
    // A point stands only with at least two supported sides.
    if (sides.length >= 2) disputed.push({ point: d.point.trim(), kind: 'claim_vs_denial', sides });
  }
  return { summary, disputed };
}

export function createLlmSummarizer(
  options: LlmOptions,
  fallback: Summarizer,
  logger: Logger,
  fetchImpl: typeof fetch = fetch,
): Summarizer {
  const endpoint = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  return {
    async summarize(request: SummaryRequest): Promise<SummaryResult> {
      const sources = numberSources(request, options.maxSentences);
      if (sources.length < 3) return fallback.summarize(request);
      const userContent = sources.map((s) => `[${s.id}] (${s.outlet}) ${s.text}`).join('\n');
      try {
        const res = await fetchImpl(endpoint, {
          method: 'POST',
          signal: AbortSignal.timeout(options.timeoutMs),
          headers: {
            'content-type': 'application/json',
            ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
          },
          body: JSON.stringify({
            model: options.model,
            temperature: 0,
            messages: [
              { role: 'system', content: SYSTEM_PROMPT },
              { role: 'user', content: userContent },
            ],
            response_format: { type: 'json_schema', json_schema: { name: 'brief', strict: true, schema: ANSWER_JSON_SCHEMA } },
          }),
        });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const body = (await res.json()) as { choices?: Array<{ message?: { content?: string } }> };
        const content = body.choices?.[0]?.message?.content;
        if (!content) throw new Error('no message content in the response');
        const parsed = answerSchema.safeParse(JSON.parse(content.replace(/^```(?:json)?\s*|\s*```$/g, '')));
        if (!parsed.success) throw new Error(`answer does not match the schema: ${parsed.error.issues[0]?.message ?? ''}`);
        const verified = verifyAnswer(parsed.data, sources);
        if (!verified) throw new Error('too little of the answer is supported by the cited sources');
        const dropped = parsed.data.summary.length - verified.summary.length;
        if (dropped > 0) logger.info('llm sentences dropped as unsupported', { dropped });
        return { summary: verified.summary, disputed: verified.disputed, by: 'llm' };
      } catch (err) {
        logger.warn('llm brief failed; using the extractive brief', { error: errorMessage(err) });
        return fallback.summarize(request);
      }
    },
  };
}
