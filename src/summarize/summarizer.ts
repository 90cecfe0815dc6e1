/**
 * @module The summarizer port: an event's articles (and what the sources dispute) in, a few summary
 * sentences out. The default is extractive and offline; an LLM-backed one is optional.
 */
import type { DisputedPoint } from '../core/types.ts';

export interface SummaryArticle {
  id: string;
  title: string;
  text: string;
  outlet: string;
  publishedAt: string;
  /** False for near-copies of another source. */
  independent: boolean;
}

export interface SummaryRequest {
  articles: readonly SummaryArticle[];
  /** Found disputes: claims they contain must appear attributed, never as bare fact. */
  disputed: readonly DisputedPoint[];
}

export interface Summarizer {
  /** Returns 2–5 sentences (fewer when the sources are that thin). Never throws for bad input. */
  summarize(request: SummaryRequest): Promise<string[]>;
}
