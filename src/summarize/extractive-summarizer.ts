/** The extractive summarizer behind the Summarizer port. */
import { DEFAULT_EXTRACTIVE_OPTIONS, type ExtractiveOptions, summarizeExtractive } from './extractive.ts';
import type { Summarizer } from './summarizer.ts';

export function createExtractiveSummarizer(options: ExtractiveOptions = DEFAULT_EXTRACTIVE_OPTIONS): Summarizer {
  return {
    summarize: (request) => Promise.resolve({ summary: summarizeExtractive(request, options), by: 'extractive' }),
  };
}
