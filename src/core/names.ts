import { ErrorSource, fail, quote } from './errors';

/** An RFC 1123 label (without the length limit). */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** An RFC 1035 label (without the length limit). */
export const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** An RFC 1123 subdomain (without the length limit). */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Checks an RFC 1123 label (namespaces, subset and version names): lower-case alphanumerics and '-', at most 63. */
export function validateDnsLabel(source: ErrorSource, prop: string, value: string): string {
  if (value.length > 63 || !DNS_LABEL.test(value)) {
    fail(source, prop, `must be a DNS label (lower-case letters, digits and '-', starting and ending with an alphanumeric, at most 63 characters), got ${quote(value)}`,
      `use a name such as ${quote(suggestDnsLabel(value))}`);
  }
  return value;
}

/** Checks an RFC 1035 label, which Kubernetes requires of Service names: like a DNS label but starting with a letter. */
export function validateServiceName(source: ErrorSource, prop: string, value: string): string {
  if (value.length > 63 || !DNS_1035_LABEL.test(value)) {
    fail(source, prop, `must be a valid Service name (RFC 1035 label: lower-case letters, digits and '-', starting with a letter, at most 63 characters), got ${quote(value)}`,
      `use a name such as ${quote(suggestDnsLabel(value, true))}`);
  }
  return value;
}

/** Checks an RFC 1123 subdomain (object names such as Gateways and ServiceEntries). */
export function validateDnsSubdomain(source: ErrorSource, prop: string, value: string): string {
  if (value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
    fail(source, prop, `must be a DNS subdomain (lower-case alphanumerics, '-' and '.', at most 253 characters), got ${quote(value)}`,
      `use a name such as ${quote(suggestDnsLabel(value))}`);
  }
  return value;
}

/** Checks a host name as used in mesh resources: a DNS name, optionally with a leading `*.` wildcard. */
export function validateHostname(source: ErrorSource, prop: string, value: string, options: { wildcard?: boolean } = {}): string {
  const bare = options.wildcard && value.startsWith('*.') ? value.slice(2) : value;
  if (value === '*' && options.wildcard) return value;
  if (bare.length > 253 || !DNS_SUBDOMAIN.test(bare)) {
    fail(source, prop, `must be a DNS host name${options.wildcard ? " (a leading '*.' is allowed)" : ''}, got ${quote(value)}`,
      'use lower-case letters, digits, \'-\' and \'.\', e.g. "shop.example.com"');
  }
  return value;
}

function suggestDnsLabel(value: string, startWithLetter = false): string {
  const trim = (x: string): string => x.replace(/^-+/, '').slice(0, 63).replace(/-+$/, '');
  let s = trim(String(value).toLowerCase().replace(/[^a-z0-9-]+/g, '-'));
  if (!s) return 'my-service';
  if (startWithLetter && !/^[a-z]/.test(s)) s = trim(`s-${s}`);
  return s;
}

/** An HTTP token (RFC 9110): the syntax of header and cookie names. */
export const HTTP_TOKEN = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;

/** True for an HTTP token (a header or cookie name). */
export function isHttpToken(value: unknown): value is string {
  return typeof value === 'string' && HTTP_TOKEN.test(value);
}

/** True for an IANA service name, the syntax of port names: at most 15 lower-case alphanumerics and '-', with a letter. */
export function isPortName(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 15 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value) && /[a-z]/.test(value);
}
