/**
 * @module The summarizer port: an event's articles (and what the sources dispute) in, a few summary
 * sentences out. The default is extractive and offline; an LLM-backed one is optional.
 */
import type { DisputedPoint } from '../core/types.ts';

export interface SummaryArticle {
  id: string;
  url?: string | null;
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

export interface SummaryResult {
  /** 2–5 sentences (fewer when the sources are that thin). */
  summary: string[];
  /** Disputed points the summarizer found itself (an LLM), already checked against the sources; absent when it found none. */
  disputed?: DisputedPoint[];
  /** Which writer produced this ("extractive", "llm"), for logs and metrics. */
  by: string;
}

export interface Summarizer {
  /** Never throws for bad input or a failing backend: falls back to what it can do offline. */
  summarize(request: SummaryRequest): Promise<SummaryResult>;
}
