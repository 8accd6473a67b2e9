import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as l1 from '../../imports/gateway.networking.k8s.io';
import { gatewayApiDuration } from '../core/duration';
import { fail, quote } from '../core/errors';
import { validateHostname, validateServiceName } from '../core/names';
import { validatePercent, validateWeight } from '../core/percent';
import { MeshResource, MeshResourceProps } from '../core/resource';
import { requireFeature, supports } from '../target/feature-support';
import { HTTPROUTE_RULE_NAME, REQUEST_MIRROR_PERCENT } from '../target/features';
import { DEFAULT_BACKEND_WEIGHT, defaultedMatches } from './api-server-defaults';
import { checkRedirectStatus } from './redirect-status';
import { Match } from '../traffic/match';
import { RewriteOptions } from '../traffic/route';
import { validateRewrite } from '../traffic/route-values';
import { RedirectOptions, RedirectStatus } from '../traffic/route-action';
import { StringMatchKind } from '../traffic/string-match';
import { ParentRef } from './parent-ref';
import { gatewayApiMatch } from './render';

/** A Service a rule forwards to. */
export interface HttpRouteBackend {
  /** The Service name. */
  readonly name: string;
  /** @default - the route's namespace */
  readonly namespace?: string;
  /** The Service port; the Gateway API requires it for Service backends. */
  readonly port: number;
  /** Relative weight. @default - 1 (equal shares) */
  readonly weight?: number;
}

/** Where an {@link HttpRouteRule} mirrors requests to (a `RequestMirror` filter). */
export interface HttpRouteMirror extends HttpRouteBackend {
  /** The share of requests mirrored, 0–100 (whole numbers for the Gateway API). */
  readonly percent: number;
}

/** A rule of an {@link HttpRoute}. */
export interface HttpRouteRule {
  /** @default - unnamed */
  readonly name?: string;
  /** @default - every request (path prefix `/`) */
  readonly matches?: Match[];
  /** @default - none; a rule forwards (backends) or redirects */
  readonly backends?: HttpRouteBackend[];
  /** @default - none */
  readonly redirect?: RedirectOptions;
  /** @default - none */
  readonly rewrite?: RewriteOptions;
  /** The request timeout (`timeouts.request`). @default - the implementation's */
  readonly timeout?: Duration;
  /** @default - none */
  readonly mirror?: HttpRouteMirror;
}

/** Props of an {@link HttpRoute}. */
export interface HttpRouteProps extends MeshResourceProps {
  /** What the route attaches to: Services (GAMMA) or Gateways. */
  readonly parents: ParentRef[];
  /** @default - any host (required to be empty for Service parents) */
  readonly hostnames?: string[];
  /** @default - none; add with addRule() */
  readonly rules?: HttpRouteRule[];
}

/** The most rules and backends per rule the Gateway API accepts. */
export const GATEWAY_API_LIMITS = { rules: 16, backendRefs: 16, matches: 64 } as const;

/**
 * A Gateway API `HTTPRoute` (gateway.networking.k8s.io/v1), attached to Services (GAMMA mesh
 * routing, used by Linkerd, Istio and Cilium) or to Gateways (ingress).
 */
export class HttpRoute extends MeshResource {
  /** The most rules an HTTPRoute holds (`GATEWAY_API_LIMITS.rules`). */
  public static readonly MAX_RULES: number = GATEWAY_API_LIMITS.rules;
  /** The most backendRefs a rule holds (`GATEWAY_API_LIMITS.backendRefs`). */
  public static readonly MAX_BACKEND_REFS: number = GATEWAY_API_LIMITS.backendRefs;
  /** The most matches a rule holds (`GATEWAY_API_LIMITS.matches`). */
  public static readonly MAX_MATCHES: number = GATEWAY_API_LIMITS.matches;
  public readonly apiObject: ApiObject;
  public readonly parents: ParentRef[];
  public readonly hostnames: string[];
  private readonly _rules: HttpRouteRule[] = [];
  private readonly ruleSources: Array<() => HttpRouteRule[]> = [];

  public constructor(scope: Construct, id: string, props: HttpRouteProps) {
    super(scope, id, props);
    if (!props.parents?.length) fail(this, 'parents', 'must list at least one parent', 'pass ParentRef.service(...) or ParentRef.gateway(...)');
    this.parents = [...props.parents];
    this.hostnames = (props.hostnames ?? []).map((h, i) => validateHostname(this, `hostnames[${i}]`, h, { wildcard: true }));
    for (const r of props.rules ?? []) this.addRule(r);
    this.apiObject = new l1.HttpRoute(this, 'Resource', {
      metadata: this.metadata(props),
      spec: Lazy.any({ produce: () => this._toKube() }) as l1.HttpRouteSpec,
    });
  }

  /** Appends a rule. */
  public addRule(rule: HttpRouteRule): void {
    validateRule(this, `rules[${this._rules.length}]`, rule);
    if (this._rules.length >= GATEWAY_API_LIMITS.rules) fail(this, 'rules', `cannot hold more than ${GATEWAY_API_LIMITS.rules} rules`, 'split the routes into several HTTPRoutes');
    this._rules.push(rule);
  }

  /** The rules (a copy). */
  public get rules(): HttpRouteRule[] {
    return [...this._rules, ...this.ruleSources.flatMap((s) => s())];
  }

  /** @internal appends rules computed at synth time (a MeshService's routing table) */
  public _addRuleSource(source: () => HttpRouteRule[]): void {
    this.ruleSources.push(source);
  }

  /** @internal */
  public _toKube(): l1.HttpRouteSpec {
    const rules = this.rules;
    if (rules.length > GATEWAY_API_LIMITS.rules) {
      fail(this, 'rules', `has ${rules.length} rules, more than the Gateway API's ${GATEWAY_API_LIMITS.rules}`, 'split the routes into several HTTPRoutes');
    }
    return {
      parentRefs: this.parents.map((p) => p._render() as unknown as l1.HttpRouteSpecParentRefs),
      hostnames: this.hostnames.length ? this.hostnames : undefined,
      rules: rules.map((r, i) => renderRule(this, `rules[${i}]`, r)),
    } as l1.HttpRouteSpec;
  }
}

function validateBackend(scope: Construct, prop: string, b: HttpRouteBackend): void {
  validateServiceName(scope, `${prop}.name`, b.name);
  if (!Number.isInteger(b.port) || b.port < 1 || b.port > 65535) fail(scope, `${prop}.port`, `must be the Service port, got ${quote(b.port)}`, 'pass the port number of the backend Service');
}

function validateRule(scope: Construct, prop: string, r: HttpRouteRule): void {
  const hasBackends = (r.backends?.length ?? 0) > 0;
  if (hasBackends === Boolean(r.redirect)) fail(scope, prop, `needs exactly one of backends and redirect`, 'a rule either forwards or redirects');
  if ((r.backends?.length ?? 0) > GATEWAY_API_LIMITS.backendRefs) fail(scope, `${prop}.backends`, `has more than ${GATEWAY_API_LIMITS.backendRefs} backends`, 'reduce the number of backends');
  if ((r.matches?.length ?? 0) > GATEWAY_API_LIMITS.matches) fail(scope, `${prop}.matches`, `has more than ${GATEWAY_API_LIMITS.matches} matches`, 'split the rule');
  r.backends?.forEach((b, i) => {
    validateBackend(scope, `${prop}.backends[${i}]`, b);
    if (b.weight !== undefined) validateWeight(scope, `${prop}.backends[${i}].weight`, b.weight);
  });
  if (r.mirror) {
    validateBackend(scope, `${prop}.mirror`, r.mirror);
    validatePercent(scope, `${prop}.mirror.percent`, r.mirror.percent);
    if (!Number.isInteger(r.mirror.percent)) fail(scope, `${prop}.mirror.percent`, `must be a whole number for the Gateway API, got ${r.mirror.percent}`, `use ${Math.round(r.mirror.percent)}`);
  }
  checkRedirectStatus(scope, `${prop}.redirect.statusCode`, r.redirect?.statusCode);
  if (r.rewrite) validateRewrite(scope, `${prop}.rewrite`, r.rewrite);
  r.matches?.forEach((m) => gatewayApiMatch(`${scope.node.path} ${prop}`, m));
}

function backendRef(b: HttpRouteBackend): Record<string, unknown> {
  return { group: '', kind: 'Service', name: b.name, namespace: b.namespace, port: b.port, weight: b.weight ?? DEFAULT_BACKEND_WEIGHT };
}

function renderRule(scope: Construct, prop: string, r: HttpRouteRule): l1.HttpRouteSpecRules {
  const filters: Record<string, unknown>[] = [];
  if (r.redirect) {
    filters.push({
      type: 'RequestRedirect',
      requestRedirect: {
        // rendered even when it is the default: the library's default is 301 (as Istio's), the Gateway API's 302
        scheme: r.redirect.scheme, hostname: r.redirect.host, port: r.redirect.port, statusCode: r.redirect.statusCode ?? RedirectStatus.MOVED_PERMANENTLY,
        path: r.redirect.path !== undefined ? { type: 'ReplaceFullPath', replaceFullPath: r.redirect.path } : undefined,
      },
    });
  }
  if (r.rewrite) {
    // The prefix of a PathPrefix match can be replaced; otherwise the whole path is.
    const prefixOnly = !!r.matches?.length && r.matches.every((m) => m.pathMatch?.kind === StringMatchKind.PREFIX);
    filters.push({
      type: 'URLRewrite',
      urlRewrite: {
        hostname: r.rewrite.authority,
        path: r.rewrite.path === undefined ? undefined : prefixOnly
          ? { type: 'ReplacePrefixMatch', replacePrefixMatch: r.rewrite.path }
          : { type: 'ReplaceFullPath', replaceFullPath: r.rewrite.path },
      },
    });
  }
  if (r.mirror) {
    if (r.mirror.percent !== 100) requireFeature(scope, `${prop}.mirror.percent`, REQUEST_MIRROR_PERCENT, `mirror 100% of the requests (got ${r.mirror.percent}%)`);
    filters.push({ type: 'RequestMirror', requestMirror: { backendRef: { group: '', kind: 'Service', name: r.mirror.name, namespace: r.mirror.namespace, port: r.mirror.port }, percent: r.mirror.percent !== 100 ? r.mirror.percent : undefined } });
  }
  return {
    name: supports(scope, HTTPROUTE_RULE_NAME) ? r.name : undefined,
    // in the form the API server stores (a catch-all path match, weight 1), so that Git and the cluster agree
    matches: defaultedMatches(r.matches?.map((m) => gatewayApiMatch(`${scope.node.path} ${prop}`, m))),
    filters: filters.length ? filters : undefined,
    backendRefs: r.backends?.length ? r.backends.map(backendRef) : undefined,
    timeouts: r.timeout ? { request: gatewayApiDuration(scope, `${prop}.timeout`, r.timeout) } : undefined,
  } as l1.HttpRouteSpecRules;
}
