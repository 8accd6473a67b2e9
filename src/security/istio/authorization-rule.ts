import { ErrorSource, fail, quote } from '../../core/errors';
import { HttpMethod } from '../../traffic/match';
import { AuthorizationCondition } from './authorization-condition';

/** Who a rule matches (`rules[].from[].source`). All lists are optional; at least one must be set. */
export interface RequestSource {
  /** mTLS identities, `<trust-domain>/ns/<ns>/sa/<sa>` (use `MeshService.principal`). Needs mTLS. @default - any */
  readonly principals?: string[];
  /** @default - none excluded */
  readonly notPrincipals?: string[];
  /** Source namespaces (from the mTLS identity). @default - any */
  readonly namespaces?: string[];
  /** @default - none excluded */
  readonly notNamespaces?: string[];
  /** Source IPs or CIDRs of the peer. @default - any */
  readonly ipBlocks?: string[];
  /** @default - none excluded */
  readonly notIpBlocks?: string[];
  /** Original client IPs (X-Forwarded-For, with `numTrustedProxies`). @default - any */
  readonly remoteIpBlocks?: string[];
  /** @default - none excluded */
  readonly notRemoteIpBlocks?: string[];
  /** JWT principals `<iss>/<sub>`; `*` means any valid token. Needs a RequestAuthentication. @default - any */
  readonly requestPrincipals?: string[];
  /** @default - none excluded */
  readonly notRequestPrincipals?: string[];
}

/** What a rule matches (`rules[].to[].operation`). At least one field must be set. */
export interface RequestOperation {
  /** @default - any */
  readonly methods?: HttpMethod[];
  /** @default - none excluded */
  readonly notMethods?: HttpMethod[];
  /** Exact paths, or with a `*` prefix or suffix wildcard (`/reviews/*`). @default - any */
  readonly paths?: string[];
  /** @default - none excluded */
  readonly notPaths?: string[];
  /** Workload (container) ports. @default - any */
  readonly ports?: number[];
  /** @default - none excluded */
  readonly notPorts?: number[];
  /** Host headers. @default - any */
  readonly hosts?: string[];
  /** @default - none excluded */
  readonly notHosts?: string[];
}

/** One rule of an {@link AuthorizationPolicy}: it matches when a source, an operation and every condition match. */
export interface AuthorizationRule {
  /** @default - any source */
  readonly from?: RequestSource[];
  /** @default - any operation */
  readonly to?: RequestOperation[];
  /** @default - no conditions */
  readonly when?: AuthorizationCondition[];
}

const SOURCE_KEYS = ['principals', 'notPrincipals', 'namespaces', 'notNamespaces', 'ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks', 'requestPrincipals', 'notRequestPrincipals'] as const;
const OPERATION_KEYS = ['methods', 'notMethods', 'paths', 'notPaths', 'ports', 'notPorts', 'hosts', 'notHosts'] as const;
const IPV4 = /^(\d{1,3})(\.\d{1,3}){3}(\/\d{1,2})?$/;
const IPV6 = /^[0-9a-fA-F:]+(\/\d{1,3})?$/;

function wildcard(where: ErrorSource, prop: string, v: unknown, what: string): string {
  if (typeof v !== 'string' || v === '' || /\s/.test(v) || v.slice(1, -1).includes('*')) {
    fail(where, prop, `has ${quote(v)}, which is not ${what} (a '*' is allowed only at the start or the end)`, `use e.g. ${prop.includes('rincipal') ? '"cluster.local/ns/default/sa/productpage"' : '"/reviews/*"'}`);
  }
  return v;
}

function ipBlock(where: ErrorSource, prop: string, v: unknown): string {
  const ok = typeof v === 'string' && ((IPV4.test(v) && v.split('/')[0].split('.').every((o) => Number(o) <= 255) && (!v.includes('/') || Number(v.split('/')[1]) <= 32))
    || (v.includes(':') && IPV6.test(v)));
  if (!ok) fail(where, prop, `has ${quote(v)}, which is not an IP address or CIDR`, 'use e.g. "10.0.0.0/8" or "203.0.113.7"');
  return v as string;
}

function list<T>(where: ErrorSource, prop: string, values: readonly T[] | undefined, each: (v: T) => unknown): unknown[] | undefined {
  if (values === undefined) return undefined;
  if (!Array.isArray(values) || values.length === 0) fail(where, prop, `must be a non-empty list when given, got ${quote(values)}`, `leave ${prop} out to match anything`);
  return values.map((v) => each(v));
}

/** Validates a source and renders it as Istio's `Source`. */
export function renderSource(where: ErrorSource, prop: string, s: RequestSource): Record<string, unknown> {
  if (!s || SOURCE_KEYS.every((k) => s[k] === undefined)) {
    fail(where, prop, 'is empty', `set at least one of ${SOURCE_KEYS.join(', ')}; leave "from" out to match any source`);
  }
  const out: Record<string, unknown> = {};
  for (const k of SOURCE_KEYS) {
    const p = `${prop}.${k}`;
    const check = /IpBlocks$|ipBlocks$/.test(k) ? (v: string) => ipBlock(where, p, v)
      : (v: string) => wildcard(where, p, v, /amespaces$/.test(k) ? 'a namespace pattern' : 'a principal');
    out[k] = list(where, p, s[k], check);
  }
  return out;
}

/** Validates an operation and renders it as Istio's `Operation` (ports as strings). */
export function renderOperation(where: ErrorSource, prop: string, o: RequestOperation): Record<string, unknown> {
  if (!o || OPERATION_KEYS.every((k) => o[k] === undefined)) {
    fail(where, prop, 'is empty', `set at least one of ${OPERATION_KEYS.join(', ')}; leave "to" out to match any operation`);
  }
  const methods = (k: 'methods' | 'notMethods') => list(where, `${prop}.${k}`, o[k], (m) => {
    if (!Object.values(HttpMethod).includes(m)) fail(where, `${prop}.${k}`, `has ${quote(m)}, which is not an HttpMethod`, 'use HttpMethod.GET, HttpMethod.POST, ...');
    return m;
  });
  const ports = (k: 'ports' | 'notPorts') => list(where, `${prop}.${k}`, o[k], (p) => {
    if (!Number.isInteger(p) || p < 1 || p > 65535) fail(where, `${prop}.${k}`, `has ${quote(p)}, which is not a port number`, 'use the workload (container) port, 1-65535');
    return String(p);
  });
  const paths = (k: 'paths' | 'notPaths') => list(where, `${prop}.${k}`, o[k], (p) => {
    const v = wildcard(where, `${prop}.${k}`, p, 'a path');
    if (!v.startsWith('/') && !v.startsWith('*')) fail(where, `${prop}.${k}`, `has ${quote(v)}, which does not start with '/' or '*'`, `write it as ${quote(`/${v}`)}`);
    return v;
  });
  const hosts = (k: 'hosts' | 'notHosts') => list(where, `${prop}.${k}`, o[k], (h) => wildcard(where, `${prop}.${k}`, h, 'a host'));
  return {
    methods: methods('methods'), notMethods: methods('notMethods'), paths: paths('paths'), notPaths: paths('notPaths'),
    ports: ports('ports'), notPorts: ports('notPorts'), hosts: hosts('hosts'), notHosts: hosts('notHosts'),
  };
}

/** Validates a rule and renders it as Istio's `Rule`. */
export function renderRule(where: ErrorSource, prop: string, r: AuthorizationRule): Record<string, unknown> {
  const from = list(where, `${prop}.from`, r.from, (s) => ({ source: renderSource(where, `${prop}.from`, s) }));
  const to = list(where, `${prop}.to`, r.to, (o) => ({ operation: renderOperation(where, `${prop}.to`, o) }));
  const when = list(where, `${prop}.when`, r.when, (c) => {
    if (!(c instanceof AuthorizationCondition)) fail(where, `${prop}.when`, `has ${quote(c)}, which is not an AuthorizationCondition`, 'use AuthorizationCondition.claim("role").in("admin")');
    return c._render();
  });
  return { from, to, when };
}
