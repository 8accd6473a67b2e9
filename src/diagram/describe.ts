import { Duration } from 'cdk8s';
import { renderDuration } from '../core/duration';
import type { FaultInjection } from '../resilience/fault-injection';
import { Match } from '../traffic/match';
import type { RouteBehaviour } from '../traffic/route';
import { StringMatch, StringMatchKind } from '../traffic/string-match';

// Short, readable texts for the conditions and behaviours shown on diagram edges.

function stringMatch(m: StringMatch): string {
  switch (m.kind) {
    case StringMatchKind.EXACT: return `= ${m.value}`;
    case StringMatchKind.PREFIX: return `^= ${m.value}`;
    default: return `~ ${m.value}`;
  }
}

/** One match, e.g. `path ^= /api & header end-user = jason`. */
export function describeMatch(m: Match): string {
  const parts: string[] = [];
  if (m.pathMatch) parts.push(`path ${stringMatch(m.pathMatch)}`);
  if (m.httpMethod) parts.push(`method ${m.httpMethod}`);
  if (m.destinationPort) parts.push(`port ${m.destinationPort}`);
  for (const h of m.headerMatches) parts.push(`header ${h.name} ${stringMatch(h.match)}`);
  for (const q of m.queryParamMatches) parts.push(`query ${q.name} ${stringMatch(q.match)}`);
  return parts.join(' & ') || 'any';
}

/** A route's matches (any one selects it), one per line. */
export function describeMatches(matches: readonly Match[]): string {
  return matches.map(describeMatch).join('\nor ');
}

function kindValue(obj: Record<string, unknown> | undefined): string | undefined {
  if (!obj || typeof obj !== 'object') return undefined;
  if (typeof obj.exact === 'string') return `= ${obj.exact}`;
  if (typeof obj.prefix === 'string') return `^= ${obj.prefix}`;
  if (typeof obj.regex === 'string') return `~ ${obj.regex}`;
  return undefined;
}

/** An Istio `HTTPMatchRequest` (plain JSON), described like {@link describeMatch}. */
export function describeIstioMatch(m: Record<string, any>): string {
  const parts: string[] = [];
  const uri = kindValue(m.uri);
  if (uri) parts.push(`path ${uri}`);
  const method = kindValue(m.method);
  if (method) parts.push(`method ${method.replace(/^= /, '')}`);
  if (typeof m.port === 'number') parts.push(`port ${m.port}`);
  for (const [n, v] of Object.entries<Record<string, unknown>>(m.headers ?? {})) parts.push(`header ${n} ${kindValue(v) ?? 'present'}`);
  for (const [n, v] of Object.entries<Record<string, unknown>>(m.queryParams ?? {})) parts.push(`query ${n} ${kindValue(v) ?? 'present'}`);
  return parts.join(' & ') || 'any';
}

/** A Gateway API `HTTPRouteMatch` (plain JSON), described like {@link describeMatch}. */
export function describeGatewayApiMatch(m: Record<string, any>): string {
  const parts: string[] = [];
  const kind = (type: string | undefined) => (type === 'Exact' ? '=' : type === 'RegularExpression' ? '~' : '^=');
  if (m.path) parts.push(`path ${kind(m.path.type)} ${m.path.value ?? '/'}`);
  if (m.method) parts.push(`method ${m.method}`);
  for (const h of m.headers ?? []) parts.push(`header ${String(h.name).toLowerCase()} ${h.type === 'RegularExpression' ? '~' : '='} ${h.value}`);
  for (const q of m.queryParams ?? []) parts.push(`query ${q.name} ${q.type === 'RegularExpression' ? '~' : '='} ${q.value}`);
  return parts.join(' & ') || 'any';
}

function duration(d: Duration): string {
  return renderDuration('diagram', 'duration', d);
}

/** A fault, e.g. `delay 7s (100%)` or `abort 500 (100%)`. */
export function describeFault(f: FaultInjection): string {
  const parts: string[] = [];
  const { injectedDelay: delay, injectedAbort: abort } = f;
  if (delay) parts.push(`delay ${duration(delay.fixedDelay)} (${delay.percent}%)`);
  if (abort) parts.push(`abort ${abort.httpStatus} (${abort.percent}%)`);
  return parts.join(' + ');
}

/** What a route does besides forwarding: fault, timeout, retries, rewrite. */
export function describeBehaviour(b: RouteBehaviour): string[] {
  const out: string[] = [];
  if (b.fault) out.push(`fault: ${describeFault(b.fault)}`);
  if (b.timeout) out.push(`timeout ${duration(b.timeout)}`);
  if (b.retries) out.push(b.retries.attempts === 0 ? 'no retries' : `retries ${b.retries.attempts}${b.retries.perTryTimeout ? ` × ${duration(b.retries.perTryTimeout)}` : ''}`);
  if (b.rewrite?.path) out.push(`rewrite path ${b.rewrite.path}`);
  if (b.rewrite?.authority) out.push(`rewrite host ${b.rewrite.authority}`);
  return out;
}
