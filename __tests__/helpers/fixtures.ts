import { readFileSync } from 'node:fs';

/**
 * Okta's own response examples (from its Management API OpenAPI description, Apache-2.0),
 * copied into __tests__/fixtures/okta-examples.json with attribution.
 */
const examples = JSON.parse(readFileSync(new URL('../fixtures/okta-examples.json', import.meta.url), 'utf8')) as {
  responses: Record<string, Record<string, Record<string, unknown>>>;
  errors: Record<string, { errorCode: string; errorSummary: string }>;
};

/** One 200 example of an endpoint. */
export function example<T = unknown>(path: string, name: string, status = '200'): T {
  const value = examples.responses[path]?.[status]?.[name];
  if (value === undefined) throw new Error(`no example ${path} ${status} ${name}`);
  return structuredClone(value) as T;
}

/** One of Okta's standard error bodies. */
export function errorBody(name: 'ErrorAccessDenied' | 'ErrorTooManyRequests' | 'ErrorInvalidTokenProvided' | 'ErrorResourceNotFound' | 'ErrorInternalServer'): { errorCode: string; errorSummary: string } {
  return structuredClone(examples.errors[name]!);
}
