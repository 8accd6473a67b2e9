import { fail, quote } from '../core/errors';
import { validateHttpPath } from '../core/http-values';

/** How a {@link RequestPath} matches. */
export enum RequestPathKind {
  EXACT = 'Exact',
  PREFIX = 'PathPrefix',
}

const PATH = /^\/[A-Za-z0-9\-._~!$&'()+,;=:@%/]*$/;

/**
 * A request path an allow rule admits, with the same meaning on every mesh.
 *
 * `prefix('/reviews')` matches `/reviews` and everything below `/reviews/` (path-segment prefix, as in
 * the Gateway API), rendered as Istio paths `["/reviews", "/reviews/*"]`, a Linkerd `PathPrefix`
 * and the Cilium regex `/reviews([/?].*)?` (Cilium matches `:path` with its query string).
 *
 * @example
 * RequestPath.exact('/health')
 * RequestPath.prefix('/reviews')
 */
export class RequestPath {
  /** Exactly this path. */
  public static exact(path: string): RequestPath {
    return new RequestPath(RequestPathKind.EXACT, check('RequestPath.exact', path));
  }

  /** This path and every path below it (segment-wise). `prefix('/')` is every path. */
  public static prefix(path: string): RequestPath {
    const p = check('RequestPath.prefix', path);
    if (p.length > 1 && p.endsWith('/')) {
      fail('RequestPath.prefix', 'path', `must not end with '/', got ${quote(path)}`, `use ${quote(p.replace(/\/+$/, ''))}: a prefix already matches everything below it`);
    }
    return new RequestPath(RequestPathKind.PREFIX, p);
  }

  private constructor(public readonly kind: RequestPathKind, public readonly path: string) {}

  /** Istio `paths` entries. */
  public toIstio(): string[] {
    if (this.kind === RequestPathKind.EXACT) return [this.path];
    return this.path === '/' ? ['/*'] : [this.path, `${this.path}/*`];
  }

  /**
   * A Cilium path regex. Cilium matches it against the whole `:path` header, query string
   * included, so the regex admits an optional `?query`: `/reviews([/?].*)?`, `/health(\?.*)?`.
   */
  public toRegex(): string {
    const escaped = this.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (this.kind === RequestPathKind.EXACT) return `${escaped}(\\?.*)?`;
    return this.path === '/' ? '/.*' : `${escaped}([/?].*)?`;
  }

  /** A readable form for messages. */
  public toString(): string {
    return this.kind === RequestPathKind.EXACT ? this.path : `${this.path}${this.path === '/' ? '' : '/'}**`;
  }
}

function check(where: string, path: string): string {
  if (typeof path !== 'string' || !PATH.test(path)) {
    fail(where, 'path', `must be an absolute URL path without wildcards, query or fragment, got ${quote(path)}`, 'use e.g. "/reviews"');
  }
  return validateHttpPath(where, 'path', path);
}
