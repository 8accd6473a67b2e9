import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as l1 from '../../imports/networking.istio.io';
import { fail, quote } from '../core/errors';
import { validatePercent, validateWeight, validateWeightTotal } from '../core/percent';
import { MeshResource, MeshResourceProps } from '../core/resource';
import { validateDnsLabel, validateDnsSubdomain, validateHostname } from '../core/names';
import { Match } from '../traffic/match';
import { RedirectOptions, RedirectScheme } from '../traffic/route-action';
import { RewriteOptions } from '../traffic/route';
import type { FaultInjection } from '../resilience/fault-injection';
import { istioFault, istioRetries } from '../resilience/istio-render';
import type { RetryPolicy } from '../resilience/retry-policy';
import { validateRouteResilience } from '../resilience/route-checks';
import { istioRewrite } from './path-semantics';
import { istioDuration, istioHttpMatches } from './render';

/** A destination of an Istio route. */
export interface IstioDestination {
  /** The destination host (a Service name, FQDN or ServiceEntry host). */
  readonly host: string;
  /** @default - no subset */
  readonly subset?: string;
  /** @default - the host's only port */
  readonly port?: number;
}

/** A weighted destination of an Istio route. */
export interface IstioWeightedDestination extends IstioDestination {
  /** @default - all traffic (a single destination) */
  readonly weight?: number;
}

/** A fixed response of an {@link IstioHttpRoute} (`directResponse`). */
export interface IstioDirectResponse {
  /** The HTTP status, 200–599. */
  readonly status: number;
  /** @default - no body */
  readonly body?: string;
}

/** Where an {@link IstioHttpRoute} mirrors requests to (`mirror` and `mirrorPercentage`). */
export interface IstioMirror extends IstioDestination {
  /** The share of requests mirrored, 0–100. */
  readonly percent: number;
}

/**
 * The VirtualService an {@link IstioHttpRoute} hands its requests to (`delegate`): Istio merges
 * that VirtualService's routes into this one, each with the route's matches added (a delegate
 * route whose matches are not within them is dropped) and the route's timeout, retries, fault,
 * mirror and rewrite where the delegate sets none (pilot/pkg/model/virtualservice.go
 * MergeHTTPRoutes). The delegate has no hosts or gateways and no delegate of its own (one level);
 * sidecars follow delegates since Istio 1.8, always on since 1.14. A delegate that does not exist
 * drops the route.
 */
export interface IstioDelegate {
  /** The delegate VirtualService's name. */
  readonly name: string;
  /** @default - the namespace of the delegating VirtualService */
  readonly namespace?: string;
}

/** An HTTP route of a {@link VirtualService}, built from the library's value types. */
export interface IstioHttpRoute {
  /** @default - unnamed */
  readonly name?: string;
  /** @default - every request */
  readonly matches?: Match[];
  /**
   * Restricts the route to requests arriving through these gateways (`mesh` for sidecars).
   * @default - the VirtualService's gateways
   */
  readonly sourceGateways?: string[];
  /** @default - none; exactly one of destinations, redirect, directResponse and delegate is required */
  readonly destinations?: IstioWeightedDestination[];
  /**
   * Hands the requests to another VirtualService (a root route): not with destinations, redirect
   * or directResponse.
   * @default - none
   */
  readonly delegate?: IstioDelegate;
  /** @default - none */
  readonly redirect?: RedirectOptions;
  /** @default - none */
  readonly directResponse?: IstioDirectResponse;
  /** @default - none */
  readonly rewrite?: RewriteOptions;
  /** @default - none */
  readonly timeout?: Duration;
  /** @default - none */
  readonly mirror?: IstioMirror;
  /** @default - Istio's default retries (2 attempts) */
  readonly retries?: RetryPolicy;
  /** @default - none */
  readonly fault?: FaultInjection;
}

/** Props of a {@link VirtualService}. */
export interface VirtualServiceProps extends MeshResourceProps {
  /** The hosts the routes apply to. */
  readonly hosts: string[];
  /**
   * Gateways (and `mesh`) the routes apply to.
   * @default - sidecars only (`mesh`)
   */
  readonly gateways?: string[];
  /** @default - all namespaces */
  readonly exportTo?: string[];
  /** @default - none; add with addHttpRoute() */
  readonly http?: IstioHttpRoute[];
}

/**
 * An Istio `VirtualService` (networking.istio.io/v1).
 *
 * Services in the mesh get theirs from `MeshService`; use this L2 directly for gateway-bound and
 * external hosts.
 */
export class VirtualService extends MeshResource {
  public readonly apiObject: ApiObject;
  public readonly hosts: string[];
  public readonly gateways: string[];
  private readonly routes: IstioHttpRoute[] = [];
  private readonly routeSources: Array<() => IstioHttpRoute[]> = [];
  private readonly exportTo?: string[];

  public constructor(scope: Construct, id: string, props: VirtualServiceProps) {
    super(scope, id, props);
    if (!props.hosts?.length) fail(this, 'hosts', 'must list at least one host', 'pass the host(s) the routes apply to');
    props.hosts.forEach((h, i) => validateHostname(this, `hosts[${i}]`, h, { wildcard: true }));
    this.hosts = [...props.hosts];
    this.gateways = [...(props.gateways ?? [])];
    this.exportTo = props.exportTo;
    for (const r of props.http ?? []) this.addHttpRoute(r);
    this.apiObject = new l1.VirtualService(this, 'Resource', {
      metadata: this.metadata(props),
      spec: Lazy.any({ produce: () => this._toKube() }) as l1.VirtualServiceSpec,
    });
  }

  /** Appends an HTTP route. Istio evaluates routes in order; the first match wins. */
  public addHttpRoute(route: IstioHttpRoute): void {
    validateRoute(this, `http[${this.routes.length}]`, route);
    this.routes.push(route);
  }

  /** The HTTP routes in evaluation order (a copy). */
  public get httpRoutes(): IstioHttpRoute[] {
    return [...this.routes, ...this.routeSources.flatMap((s) => s())];
  }

  /** @internal appends routes computed at synth time (a MeshService's routing table) */
  public _addRouteSource(source: () => IstioHttpRoute[]): void {
    this.routeSources.push(source);
  }

  /** @internal */
  public _toKube(): l1.VirtualServiceSpec {
    return virtualServiceSpec(this, { hosts: this.hosts, gateways: this.gateways, exportTo: this.exportTo, http: this.httpRoutes });
  }
}

/**
 * Renders a VirtualService spec. Shared by the L2 and by `MeshService`, which renders its routing
 * table straight into an L1 object (one construct less per service).
 * @internal
 */
export function virtualServiceSpec(scope: Construct, vs: { hosts: string[]; gateways?: string[]; exportTo?: string[]; http: IstioHttpRoute[] }): l1.VirtualServiceSpec {
  const http = vs.http.map((r, i) => renderHttpRoute(scope, `http[${i}]`, r));
  return {
    // a delegate has none (pilot validation: a delegate VirtualService must not set hosts)
    hosts: vs.hosts.length ? vs.hosts : undefined,
    gateways: vs.gateways?.length ? vs.gateways : undefined,
    exportTo: vs.exportTo,
    http: http.length ? http : undefined,
  } as l1.VirtualServiceSpec;
}

function validateRoute(scope: Construct, prop: string, r: IstioHttpRoute): void {
  const actions = [r.destinations?.length ? 'destinations' : undefined, r.redirect ? 'redirect' : undefined, r.directResponse ? 'directResponse' : undefined, r.delegate ? 'delegate' : undefined].filter(Boolean);
  if (actions.length !== 1) {
    fail(scope, prop, `needs exactly one of destinations, redirect, directResponse and delegate, got ${actions.length ? actions.join(' and ') : 'none'}`, 'a route either forwards, redirects, responds or delegates');
  }
  if (r.delegate) validateDnsSubdomain(scope, `${prop}.delegate.name`, r.delegate.name);
  if (r.delegate?.namespace !== undefined) validateDnsLabel(scope, `${prop}.delegate.namespace`, r.delegate.namespace);
  const dests = r.destinations ?? [];
  if (dests.length > 1 || dests.some((d) => d.weight !== undefined)) {
    dests.forEach((d, i) => validateWeight(scope, `${prop}.destinations[${i}].weight`, d.weight ?? NaN));
    validateWeightTotal(scope, `${prop} weights`, dests.map((d) => [d.subset ?? d.host, d.weight ?? 0]));
  }
  if (r.mirror) validatePercent(scope, `${prop}.mirror.percent`, r.mirror.percent);
  if ((r.retries || r.fault) && !r.destinations?.length && !r.delegate) fail(scope, prop, 'sets retries or fault on a route that does not forward', 'set them on forwarding routes only');
  validateRouteResilience(scope, { retries: r.retries, fault: r.fault, timeout: r.timeout }, ` (${prop})`);
  if (r.redirect?.statusCode !== undefined && ![301, 302, 303, 307, 308].includes(r.redirect.statusCode)) {
    fail(scope, `${prop}.redirect.statusCode`, `must be 301, 302, 303, 307 or 308, got ${quote(r.redirect.statusCode)}`, 'use RedirectStatus');
  }
}

function destination(d: IstioDestination): Record<string, unknown> {
  return { host: d.host, subset: d.subset, port: d.port !== undefined ? { number: d.port } : undefined };
}

function renderHttpRoute(scope: Construct, prop: string, r: IstioHttpRoute): l1.VirtualServiceSpecHttp {
  let match = r.matches?.flatMap(istioHttpMatches);
  if (r.sourceGateways?.length) match = (match?.length ? match : [{}]).map((m) => ({ ...m, gateways: r.sourceGateways }));
  const dests = r.destinations ?? [];
  return {
    name: r.name,
    match: match?.length ? match : undefined,
    route: dests.length ? dests.map((d) => ({ destination: destination(d), weight: dests.length > 1 ? d.weight : undefined })) : undefined,
    redirect: r.redirect ? {
      scheme: r.redirect.scheme === RedirectScheme.HTTPS ? 'https' : r.redirect.scheme,
      authority: r.redirect.host,
      uri: r.redirect.path,
      port: r.redirect.port,
      redirectCode: r.redirect.statusCode,
    } : undefined,
    directResponse: r.directResponse ? { status: r.directResponse.status, body: r.directResponse.body !== undefined ? { string: r.directResponse.body } : undefined } : undefined,
    delegate: r.delegate ? { name: r.delegate.name, namespace: r.delegate.namespace } : undefined,
    rewrite: r.rewrite ? istioRewrite(r.rewrite, r.matches) : undefined,
    timeout: istioDuration(scope, `${prop}.timeout`, r.timeout),
    mirror: r.mirror ? destination(r.mirror) : undefined,
    mirrorPercentage: r.mirror && r.mirror.percent !== 100 ? { value: r.mirror.percent } : undefined,
    retries: r.retries ? istioRetries(scope, `${prop}.retries`, r.retries) : undefined,
    fault: r.fault ? istioFault(scope, `${prop}.fault`, r.fault) : undefined,
  } as l1.VirtualServiceSpecHttp;
}
