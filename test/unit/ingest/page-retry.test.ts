import { describe, expect, it } from 'vitest';
import { isPageFetchRetryable } from '../../../src/ingest/page-retry.ts';
import { FetchError } from '../../../src/shared/errors.ts';

const url = 'https://example.com/a';
const httpStatus = (status: number) => new FetchError('fetch_http_status', `HTTP ${status}`, { url, status });

describe('ingest/page-retry', () => {
  it.each(['fetch_blocked_address', 'fetch_too_large', 'fetch_bad_url'] as const)('gives up on %s', (code) => {
    expect(isPageFetchRetryable(new FetchError(code, 'no', { url }))).toBe(false);
  });

  it.each([400, 401, 403, 404, 410, 451])('gives up on HTTP %i', (status) => {
    expect(isPageFetchRetryable(httpStatus(status))).toBe(false);
  });

  it.each([408, 429, 500, 502, 503])('retries HTTP %i', (status) => {
    expect(isPageFetchRetryable(httpStatus(status))).toBe(true);
  });

  it('retries timeouts, network failures and errors it does not know', () => {
    expect(isPageFetchRetryable(new FetchError('fetch_timeout', 'slow', { url }))).toBe(true);
    expect(isPageFetchRetryable(new FetchError('fetch_network', 'reset', { url }))).toBe(true);
    expect(isPageFetchRetryable(new Error('boom'))).toBe(true);
    expect(isPageFetchRetryable(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe(true);
  });

  it('reads the code of any error, not only a FetchError', () => {
    expect(isPageFetchRetryable(Object.assign(new Error('blocked'), { code: 'fetch_blocked_address' }))).toBe(false);
  });
});
