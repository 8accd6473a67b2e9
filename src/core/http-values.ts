import { ErrorSource, fail, quote } from './errors';
import { HTTP_TOKEN } from './names';

/**
 * The Gateway API's limits on HTTP values (HTTPRoute CRD, standard channel). They are applied to
 * the mesh-agnostic intents on every mesh: a path Envoy normalizes away (`/../`, `/./`), a fragment
 * (`#`, never sent) or an invalid escape (`%zz`) makes an Istio route that can never match, so
 * refusing them everywhere keeps one intent meaning one thing on every mesh.
 */
export const HTTP_LIMITS = { path: 1024, headerName: 256, headerValue: 4096 } as const;

/** The characters the Gateway API allows in an Exact or PathPrefix path (its CEL rule). */
const PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$/;

/** Forbidden substrings and endings of a path, each with the reason (the Gateway API's CEL rules). */
const PATH_RULES: ReadonlyArray<readonly [(p: string) => boolean, string]> = [
  [(p) => p.includes('//'), "contains '//'"],
  [(p) => p.includes('/./') || p.endsWith('/.'), "contains the dot segment '/.'"],
  [(p) => p.includes('/../') || p.endsWith('/..'), "contains the dot segment '/..'"],
  [(p) => /%2f/i.test(p), "contains an encoded '/' (%2F)"],
  [(p) => p.includes('#'), "contains a fragment ('#'), which clients never send"],
];

/** A readable suggestion for a bad path: percent-encoded, with duplicate slashes and dot segments removed. */
function suggestPath(path: string): string {
  const segments = String(path).split(/[?#]/)[0].split('/').filter((s) => s !== '' && s !== '.' && s !== '..');
  const encoded = segments.map((s) => s.replace(/%(?![0-9a-fA-F]{2})/g, '%25').replace(/[^-A-Za-z0-9._~!$&'()*+,;=:@%]/g, (c) => encodeURIComponent(c)));
  return `/${encoded.join('/')}`;
}

/**
 * Checks a request path as the Gateway API requires of Exact and PathPrefix matches and of
 * rewritten or redirected paths: absolute, at most 1,024 characters, URL characters or valid
 * percent-escapes only, no `//`, dot segments, `%2F` or `#`.
 */
export function validateHttpPath(source: ErrorSource, prop: string, path: string): string {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    fail(source, prop, `must be an absolute path starting with '/', got ${quote(path)}`, `use e.g. ${quote(suggestPath(String(path)))}`);
  }
  if (path.length > HTTP_LIMITS.path) {
    fail(source, prop, `is ${path.length} characters long, more than the ${HTTP_LIMITS.path} the Gateway API allows: ${quote(`${path.slice(0, 40)}...`)}`, 'match a shorter prefix of the path');
  }
  for (const [broken, what] of PATH_RULES) {
    if (broken(path)) fail(source, prop, `${what}, which the Gateway API refuses and Envoy normalizes away, got ${quote(path)}`, `use ${quote(suggestPath(path))}`);
  }
  if (!PATH_CHARS.test(path)) {
    fail(source, prop, `contains characters a URL path cannot hold unescaped, or an invalid %-escape, got ${quote(path)}`,
      `percent-encode them (letters, digits and -._~!$&'()*+,;=:@/ are allowed as is), e.g. ${quote(suggestPath(path))}`);
  }
  return path;
}

/** Checks a header or query-parameter name: an HTTP token (RFC 9110) of at most 256 characters. */
export function validateHttpToken(source: ErrorSource, prop: string, name: string, example: string): string {
  if (typeof name !== 'string' || !HTTP_TOKEN.test(name) || name.length > HTTP_LIMITS.headerName) {
    fail(source, prop, `must be an HTTP token (letters, digits and !#$%&'*+-.^_\`|~, no spaces, ':', '=' or '/', at most ${HTTP_LIMITS.headerName} characters), got ${quote(name)}`, `use e.g. ${quote(example)}`);
  }
  return name;
}

/**
 * Checks a header or query-parameter value to match: 1 to 4,096 characters (the Gateway API's
 * limits) without control characters, which no HTTP field value holds.
 */
export function validateHttpValue(source: ErrorSource, prop: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    fail(source, prop, `must be a non-empty string, got ${quote(value)}`, 'pass the value to match; to match any value use a regex such as ".*"');
  }
  if (value.length > HTTP_LIMITS.headerValue) {
    fail(source, prop, `is ${value.length} characters long, more than the ${HTTP_LIMITS.headerValue} the Gateway API allows`, 'match a shorter value, e.g. a prefix');
  }
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) {
    fail(source, prop, `contains a control character (e.g. a line break), which no HTTP field value holds, got ${quote(value)}`, 'remove the control characters');
  }
  return value;
}
