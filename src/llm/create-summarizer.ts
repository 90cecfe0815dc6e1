/** Builds the configured summarizer: the LLM one when an endpoint is configured, else extractive. */
import type { Config } from '../config/load-config.ts';
import type { Logger } from '../shared/logger.ts';
import { createExtractiveSummarizer } from '../summarize/extractive-summarizer.ts';
import type { Summarizer } from '../summarize/summarizer.ts';
import { createLlmSummarizer } from './llm-summarizer.ts';

export function createSummarizer(config: Pick<Config, 'llm'>, logger: Logger): Summarizer {
  const extractive = createExtractiveSummarizer();
  return config.llm ? createLlmSummarizer(config.llm, extractive, logger.child({ module: 'llm' })) : extractive;
}
