/**
 * @module Which failed article-page fetches are worth retrying on a later poll. A page we may never
 * fetch (a refused address, an oversized body, a bad URL, a client error other than 408 and 429) is
 * final: the feed's text stays. An outage, a timeout or a rate limit is retried.
 */
import { errorCode, FetchError } from '../shared/errors.ts';

/** Error codes that mean the page can never be fetched, however often we try. */
const FINAL_CODES: readonly string[] = ['fetch_blocked_address', 'fetch_too_large', 'fetch_bad_url'];

/** True when an HTTP status says the request itself is wrong (4xx), except a timeout (408) and a rate limit (429). */
function isFinalStatus(status: number | undefined): boolean {
  return status !== undefined && status >= 400 && status < 500 && status !== 429 && status !== 408;
}

/** Should a page fetch that failed with `err` be tried again on a later poll? */
export function isPageFetchRetryable(err: unknown): boolean {
  if (FINAL_CODES.includes(errorCode(err))) return false;
  return !(err instanceof FetchError && isFinalStatus(err.status));
}
