import { Duration } from 'cdk8s';
import { ErrorSource, fail, quote } from '../core/errors';
import { validateHttpPath } from '../core/http-values';
import { validateHostname } from '../core/names';
import { Mirror } from './mirror';
import { RewriteOptions } from './route';
import { RedirectOptions, RedirectScheme, RedirectStatus, RouteActionKind, RouteTo } from './route-action';

/** Checks a redirect's parts against the Gateway API's rules (the same on every mesh). */
export function validateRedirect(source: ErrorSource, prop: string, r: RedirectOptions): RedirectOptions {
  if (typeof r !== 'object' || r === null) fail(source, prop, `must be redirect options, got ${quote(r)}`, 'pass e.g. { scheme: RedirectScheme.HTTPS }');
  if (r.scheme !== undefined && !Object.values(RedirectScheme).includes(r.scheme)) fail(source, `${prop}.scheme`, `must be a RedirectScheme, got ${quote(r.scheme)}`, 'use RedirectScheme.HTTPS or RedirectScheme.HTTP');
  if (r.host !== undefined) validateHostname(source, `${prop}.host`, r.host);
  if (r.path !== undefined) validateHttpPath(source, `${prop}.path`, r.path);
  if (r.port !== undefined && (!Number.isInteger(r.port) || r.port < 1 || r.port > 65535)) fail(source, `${prop}.port`, `must be a port number from 1 to 65535, got ${quote(r.port)}`, 'pass e.g. 443');
  if (r.statusCode !== undefined && !Object.values(RedirectStatus).includes(r.statusCode)) {
    fail(source, `${prop}.statusCode`, `must be a RedirectStatus (301, 302, 303, 307 or 308), got ${quote(r.statusCode)}`, 'use RedirectStatus.MOVED_PERMANENTLY or RedirectStatus.FOUND');
  }
  return r;
}

/** Checks a rewrite: an absolute path under the Gateway API's path rules, and a host name. */
export function validateRewrite(source: ErrorSource, prop: string, r: RewriteOptions): RewriteOptions {
  if (typeof r !== 'object' || r === null) fail(source, prop, `must be rewrite options, got ${quote(r)}`, "pass e.g. { path: '/' }");
  if (r.path === undefined && r.authority === undefined) fail(source, prop, 'rewrites nothing', 'set path or authority, or remove the rewrite');
  if (r.path !== undefined) validateHttpPath(source, `${prop}.path`, r.path);
  if (r.authority !== undefined) validateHostname(source, `${prop}.authority`, r.authority);
  return r;
}

/** What a route does besides choosing its action. */
export interface RouteExtras {
  readonly rewrite?: RewriteOptions;
  readonly mirror?: Mirror;
  readonly timeout?: Duration;
}

/**
 * Checks a route's action together with its extras: the Gateway API refuses a redirect with a
 * rewrite in one rule, and Istio a redirect with anything that forwards (mirror, timeout).
 */
export function validateRouteAction(source: ErrorSource, to: RouteTo, extras: RouteExtras, propPrefix = ''): void {
  const prop = `${propPrefix}to`;
  if (to.kind === RouteActionKind.REDIRECT) {
    const extra = (['rewrite', 'mirror', 'timeout'] as const).filter((k) => extras[k] !== undefined);
    if (extra.length) fail(source, prop, `is a redirect, which cannot be combined with ${extra.join(' and ')}`, `remove ${extra.join(' and ')}, or forward the requests instead`);
  }
  if (extras.rewrite !== undefined) validateRewrite(source, `${propPrefix}rewrite`, extras.rewrite);
}
