import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { describeValue, fail, quote } from '../core/errors';
import { chartNamespace, Mesh, meshOf } from '../core/mesh';
import { validateDnsSubdomain, validateHostname } from '../core/names';
import { validatePositiveInt, validateWeight, validateWeightTotal } from '../core/percent';
import { GatewayApiGateway, GatewayListener, ListenerProtocol } from '../gateway-api/gateway';
import { HttpRoute, HttpRouteBackend, HttpRouteRule } from '../gateway-api/http-route';
import { checkRedirectStatus } from '../gateway-api/redirect-status';
import { ParentRef } from '../gateway-api/parent-ref';
import { GrantFrom, GrantTo, ReferenceGrant } from '../gateway-api/reference-grant';
import { gatewayApiMatch } from '../gateway-api/render';
import { GatewayTlsMode, IstioGateway } from '../istio/gateway';
import { IstioHttpRoute, IstioWeightedDestination, VirtualService } from '../istio/virtual-service';
import { MeshService } from '../service/mesh-service';
import { ServicePort } from '../service/service-port';
import { requireFeature } from '../target/feature-support';
import { GATEWAY_FRONTEND_TLS } from '../target/features';
import { Match } from '../traffic/match';
import { RewriteOptions } from '../traffic/route';
import { validateRouteAction } from '../traffic/route-values';
import { RedirectScheme, RedirectStatus, RouteActionKind, RouteTo } from '../traffic/route-action';
import { IngressTls } from './ingress-tls';
import { istioServiceHost } from '../istio/render';
import { chosenName } from '../core/object-names';

/** The API an {@link IngressGateway} is rendered with. */
export enum IngressApi {
  /** Istio's own `Gateway` and a gateway-bound `VirtualService` (Istio only). */
  ISTIO = 'istio',
  /** The Gateway API `Gateway` and `HTTPRoute`, implemented by the GatewayClass. */
  GATEWAY_API = 'gateway-api',
}

/** Props of an {@link IngressGateway}. */
export interface IngressGatewayProps {
  /**
   * The API to render the ingress with. Istio implements both; the other meshes only the Gateway API.
   * @default - IngressApi.ISTIO for Mesh.ISTIO, IngressApi.GATEWAY_API for the other meshes
   */
  readonly api?: IngressApi;
  /**
   * The name of the Gateway (Istio or Gateway API).
   * @default `<id>-gateway`
   */
  readonly gatewayName?: string;
  /**
   * The name of the gateway-bound VirtualService (Istio) or HTTPRoute (Gateway API).
   * @default - the construct id
   */
  readonly routeName?: string;
  /** The HTTP→HTTPS redirect HTTPRoute (Gateway API, `httpsRedirect`). @default `<routeName>-https-redirect` */
  readonly redirectRouteName?: string;
  /** The ReferenceGrants letting the HTTPRoute reach Services in other namespaces (Gateway API). @default `<routeName>-from-<namespace>` */
  readonly referenceGrantName?: string;
  /** @default - the chart's namespace, or `default` */
  readonly namespace?: string;
  /**
   * The hosts served, e.g. `bookinfo.example.com` or `*.example.com`; `*` serves every host.
   * @default ['*']
   */
  readonly hosts?: string[];
  /**
   * The plain-HTTP port of the gateway.
   * @default 80
   */
  readonly httpPort?: number;
  /**
   * Terminate TLS on `httpsPort`.
   * @default - no HTTPS
   */
  readonly tls?: IngressTls;
  /**
   * The HTTPS port of the gateway (with `tls`).
   * @default 443
   */
  readonly httpsPort?: number;
  /**
   * Answer plain-HTTP requests with a 301 redirect to HTTPS (needs `tls`).
   * @default false
   */
  readonly httpsRedirect?: boolean;
  /**
   * Istio: the labels of the gateway pods.
   * @default { istio: 'ingressgateway' }
   */
  readonly selector?: Record<string, string>;
  /**
   * Gateway API: the GatewayClass that implements the Gateway.
   * @default - `istio` for Mesh.ISTIO, `cilium` for Mesh.CILIUM; required for Mesh.GATEWAY_API and Mesh.LINKERD (Linkerd has no ingress of its own)
   */
  readonly gatewayClassName?: string;
}

/** A route of an {@link IngressGateway}. */
export interface IngressRouteOptions {
  /** @default - unnamed */
  readonly name?: string;
  /**
   * The requests the route selects: any one of the matches.
   * @default - every request (a catch-all route, rendered after the matched routes)
   */
  readonly matches?: Match[];
  /**
   * Where the requests go: `RouteTo.service(productpage, { port: 9080 })`, a weighted split
   * between services or their versions, or a redirect.
   */
  readonly to: RouteTo;
  /** @default - none */
  readonly rewrite?: RewriteOptions;
  /** @default - none */
  readonly timeout?: Duration;
}

interface ResolvedIngressBackend {
  readonly service: MeshService;
  readonly port: number;
  readonly version?: string;
  readonly versionServiceName?: string;
  readonly weight: number;
}

interface ResolvedIngressRoute {
  readonly options: IngressRouteOptions;
  readonly backends: ResolvedIngressBackend[];
}

/** The GatewayClass used when none is given: the mesh's own ingress, where it has one. */
const DEFAULT_GATEWAY_CLASS: Record<Mesh, string | undefined> = {
  [Mesh.ISTIO]: 'istio',
  [Mesh.CILIUM]: 'cilium',
  [Mesh.GATEWAY_API]: undefined,
  [Mesh.LINKERD]: undefined,
};

/** The listener names an IngressGateway gives its Gateway API listeners. */
const HTTP_LISTENER = 'http';
const HTTPS_LISTENER = 'https';

/**
 * Exposes services of the mesh at the edge: hosts, TLS (SIMPLE or MUTUAL with a `credentialName`
 * Secret), an optional HTTP→HTTPS redirect and path routes to services.
 *
 * Rendered for the chart's mesh: Istio gets a `Gateway` plus a `VirtualService` bound to it;
 * Gateway API meshes (GAMMA, Linkerd, Cilium) get a Gateway API `Gateway` plus an `HTTPRoute`
 * (and a redirect HTTPRoute), as does Istio with `api: IngressApi.GATEWAY_API`. A gateway-bound
 * VirtualService is not a mesh VirtualService, so it does not conflict with the per-service one.
 *
 * @example
 * const ingress = new IngressGateway(chart, 'bookinfo', { httpPort: 8080 });
 * ingress.addRoute({
 *   matches: [Match.path.exact('/productpage'), Match.path.prefix('/static')],
 *   to: RouteTo.service(productpage, { port: 9080 }),
 * });
 */
export class IngressGateway extends Construct {
  public readonly mesh: Mesh;
  /** The API the ingress is rendered with. */
  public readonly api: IngressApi;
  public readonly namespace: string;
  public readonly hosts: string[];
  public readonly gatewayName: string;
  public readonly routeName: string;
  private readonly referenceGrantName: string;
  /** Istio: the Gateway. */
  public readonly istioGateway?: IstioGateway;
  /** Istio: the VirtualService bound to the gateway. */
  public readonly virtualService?: VirtualService;
  /** Gateway API meshes: the Gateway. */
  public readonly gateway?: GatewayApiGateway;
  /** Gateway API meshes: the HTTPRoute with the routes. */
  public readonly httpRoute?: HttpRoute;
  /** Gateway API meshes with `httpsRedirect`: the HTTPRoute that redirects plain HTTP. */
  public readonly redirectRoute?: HttpRoute;

  private readonly routes: ResolvedIngressRoute[] = [];
  private readonly grants = new Map<string, ReferenceGrant>();

  public constructor(scope: Construct, id: string, props: IngressGatewayProps = {}) {
    super(scope, id);
    this.mesh = meshOf(this);
    const api = props.api ?? (this.mesh === Mesh.ISTIO ? IngressApi.ISTIO : IngressApi.GATEWAY_API);
    if (!Object.values(IngressApi).includes(api)) fail(this, 'api', `is not an ingress API, got ${quote(api)}`, 'use IngressApi.ISTIO or IngressApi.GATEWAY_API');
    if (api === IngressApi.ISTIO && this.mesh !== Mesh.ISTIO) {
      fail(this, 'api', `is IngressApi.ISTIO, but this chart renders for ${this.mesh}, which does not implement Istio's Gateway`, 'use IngressApi.GATEWAY_API (the default for this mesh)');
    }
    this.api = api;
    this.namespace = props.namespace ?? chartNamespace(this);
    this.gatewayName = validateDnsSubdomain(this, 'gatewayName', props.gatewayName ?? `${id}-gateway`);
    this.routeName = validateDnsSubdomain(this, 'routeName', props.routeName ?? id);
    this.referenceGrantName = chosenName(this, 'referenceGrantName', 'gateway.networking.k8s.io/ReferenceGrant', props.referenceGrantName, `${this.routeName}-from-${this.namespace}`);
    const hosts = props.hosts ?? ['*'];
    if (!Array.isArray(hosts) || hosts.length === 0) fail(this, 'hosts', 'must list at least one host', "pass e.g. ['shop.example.com'], or ['*'] for every host");
    hosts.forEach((h, i) => validateHostname(this, `hosts[${i}]`, h, { wildcard: true }));
    if (hosts.includes('*') && hosts.length > 1) fail(this, 'hosts', `mixes '*' with other hosts (${quote(hosts)})`, "use ['*'] alone, or list the hosts");
    if (new Set(hosts).size !== hosts.length) fail(this, 'hosts', `repeats a host (${quote(hosts)})`, 'list each host once');
    this.hosts = [...hosts];
    const httpPort = validatePositiveInt(this, 'httpPort', props.httpPort ?? 80, { max: 65535 });
    const httpsPort = validatePositiveInt(this, 'httpsPort', props.httpsPort ?? 443, { max: 65535 });
    if (props.tls !== undefined && !(props.tls instanceof IngressTls)) fail(this, 'tls', `must be an IngressTls, got ${quote(props.tls)}`, "use IngressTls.simple('my-credential') or IngressTls.mutual(...)");
    if (props.httpsRedirect && !props.tls) fail(this, 'httpsRedirect', 'needs tls: there is no HTTPS server to redirect to', "pass tls: IngressTls.simple('my-credential')");
    if (props.tls && httpPort === httpsPort) fail(this, 'httpsPort', `is the same as httpPort (${httpPort})`, 'use different ports for HTTP and HTTPS');

    if (api === IngressApi.ISTIO) {
      if (props.gatewayClassName !== undefined) fail(this, 'gatewayClassName', `is for the Gateway API, but this ingress renders Istio's Gateway (got ${quote(props.gatewayClassName)})`, 'remove it, or pass api: IngressApi.GATEWAY_API');
      this.istioGateway = new IstioGateway(this, 'Gateway', { name: this.gatewayName, namespace: this.namespace, selector: props.selector });
      this.istioGateway.addServer({ port: ServicePort.http(httpPort), hosts: this.hosts, httpsRedirect: props.httpsRedirect || undefined });
      if (props.tls) {
        this.istioGateway.addServer({
          port: ServicePort.https(httpsPort),
          hosts: this.hosts,
          tls: { mode: props.tls.mode, credentialName: props.tls.credentialName, minProtocolVersion: props.tls.minProtocolVersion, subjectAltNames: props.tls.subjectAltNames },
        });
      }
      this.virtualService = new VirtualService(this, 'VirtualService', { name: this.routeName, namespace: this.namespace, hosts: this.hosts, gateways: [this.gatewayName] });
      this.virtualService._addRouteSource(() => this.ordered().map((r) => this.istioRoute(r)));
      this.node.addValidation({ validate: () => (this.routes.length ? [] : [`${this.node.path}: routes must list at least one route. Fix: call addRoute()`]) });
      return;
    }

    if (props.selector !== undefined) fail(this, 'selector', 'selects Istio gateway pods, but this ingress renders the Gateway API', 'remove it; the GatewayClass decides which pods serve the Gateway');
    const gatewayClassName = props.gatewayClassName ?? DEFAULT_GATEWAY_CLASS[this.mesh];
    if (!gatewayClassName) {
      fail(this, 'gatewayClassName', `is required for ${this.mesh}${this.mesh === Mesh.LINKERD ? ', which has no ingress of its own' : ''}`, "pass the GatewayClass of your ingress implementation, e.g. 'istio', 'cilium' or 'envoy-gateway'");
    }
    const tls = props.tls;
    if (tls?.minProtocolVersion) this.unsupported('tls.minProtocolVersion', 'the Gateway API has no standard TLS version setting', 'remove minProtocolVersion');
    if (tls?.subjectAltNames) this.unsupported('tls.subjectAltNames', 'the Gateway API cannot restrict client certificate SANs', 'remove subjectAltNames');
    if (tls?.mode === GatewayTlsMode.MUTUAL && !tls.clientCaConfigMap) {
      fail(this, 'tls.clientCaConfigMap', `is required for MUTUAL TLS on ${this.mesh}: the Gateway API reads the client CA from a ConfigMap (key ca.crt)`, "pass IngressTls.mutual(credential, { clientCaConfigMap: 'my-client-ca' })");
    }
    if (tls?.mode === GatewayTlsMode.MUTUAL) {
      requireFeature(this, 'tls', GATEWAY_FRONTEND_TLS, this.mesh === Mesh.ISTIO ? "render Istio's Gateway with MUTUAL TLS (api: IngressApi.ISTIO)" : 'use IngressTls.simple(...)');
    }
    const hostname = this.hosts[0] !== '*' && this.hosts.length === 1 ? this.hosts[0] : undefined;
    const listeners: GatewayListener[] = [{ name: HTTP_LISTENER, port: httpPort, protocol: ListenerProtocol.HTTP, hostname }];
    if (tls) listeners.push({ name: HTTPS_LISTENER, port: httpsPort, protocol: ListenerProtocol.HTTPS, hostname, tls: { certificateRefs: [tls.credentialName] } });
    this.gateway = new GatewayApiGateway(this, 'Gateway', {
      name: this.gatewayName,
      namespace: this.namespace,
      gatewayClassName,
      listeners,
      clientCaConfigMaps: tls?.clientCaConfigMap ? [tls.clientCaConfigMap] : undefined,
    });
    const hostnames = this.hosts[0] === '*' ? undefined : this.hosts;
    this.httpRoute = new HttpRoute(this, 'HTTPRoute', {
      name: this.routeName,
      namespace: this.namespace,
      parents: [ParentRef.gateway(this.gatewayName, { sectionName: props.httpsRedirect ? HTTPS_LISTENER : undefined })],
      hostnames,
    });
    this.httpRoute._addRuleSource(() => this.ordered().map((r) => this.gatewayApiRule(r)));
    if (props.httpsRedirect) {
      this.redirectRoute = new HttpRoute(this, 'RedirectRoute', {
        name: chosenName(this, 'redirectRouteName', 'gateway.networking.k8s.io/HTTPRoute', props.redirectRouteName, `${this.routeName}-https-redirect`),
        namespace: this.namespace,
        parents: [ParentRef.gateway(this.gatewayName, { sectionName: HTTP_LISTENER })],
        hostnames,
        rules: [{ redirect: { scheme: RedirectScheme.HTTPS, statusCode: RedirectStatus.MOVED_PERMANENTLY } }],
      });
    }
    this.node.addValidation({ validate: () => (this.routes.length ? [] : [`${this.node.path}: routes must list at least one route. Fix: call addRoute()`]) });
  }

  /**
   * Adds a route. Matched routes are rendered in the order added, then the catch-all route
   * (Gateway API implementations order by match precedence; add specific routes first so Istio
   * agrees).
   */
  public addRoute(options: IngressRouteOptions): void {
    const prop = `routes[${this.routes.length}]`;
    if (!(options.to instanceof RouteTo)) fail(this, `${prop}.to`, `must be a RouteTo, got ${describeValue(options.to)}`, 'use RouteTo.service(service, { port })');
    const matches = options.matches ?? [];
    matches.forEach((m, i) => {
      if (!(m instanceof Match)) fail(this, `${prop}.matches[${i}]`, `must be a Match, got ${quote(m)}`, "use Match.path.prefix('/api'), ...");
    });
    if (options.matches !== undefined && matches.length === 0) fail(this, `${prop}.matches`, 'is empty', 'omit matches for a catch-all route, or pass at least one match');
    if (matches.length === 0 && this.routes.some((r) => !r.options.matches?.length)) fail(this, `${prop}.matches`, 'are omitted twice: there can be only one catch-all route', 'give the route matches');
    for (const r of this.routes) {
      for (const m of matches) {
        if (r.options.matches?.some((e) => e.toString() === m.toString())) {
          fail(this, `${prop}.matches`, `repeat the match "${m}" of an earlier route, which makes this route unreachable (IST0130)`, 'merge the two routes or change one match');
        }
      }
      if (options.name !== undefined && r.options.name === options.name) fail(this, `${prop}.name`, `repeats the route name ${quote(options.name)}`, 'give each route a unique name');
    }
    if (options.to.kind === RouteActionKind.DIRECT_RESPONSE && this.api !== IngressApi.ISTIO) {
      this.unsupported(`${prop}.to`, 'the Gateway API has no direct response', 'route to a service that answers, or render this chart for Istio');
    }
    validateRouteAction(this, options.to, options, `${prop}.`);
    const status = options.to.redirectOptions?.statusCode;
    if (this.api !== IngressApi.ISTIO) {
      checkRedirectStatus(this, `${prop}.to.redirect.statusCode`, status);
      matches.forEach((m) => gatewayApiMatch(`${this.node.path} ${prop}`, m));
      if (this.routes.length >= 16) fail(this, 'routes', 'cannot hold more than 16 routes on a Gateway API mesh (the HTTPRoute rule limit)', 'combine matches into fewer routes');
    }
    const backends = options.to.kind === RouteActionKind.FORWARD ? this.resolve(prop, options.to) : [];
    this.routes.push({ options: { ...options, matches: matches.length ? [...matches] : undefined }, backends });
  }

  private resolve(prop: string, to: RouteTo): ResolvedIngressBackend[] {
    const dests = to.destinations;
    if (dests.length > 1) {
      dests.forEach((d, i) => validateWeight(this, `${prop}.to[${i}].weight`, d.weight));
      validateWeightTotal(this, `${prop}.to weights`, dests.map((d) => [String(d.to), d.weight]));
    }
    return dests.map((d, i) => {
      const where = `${prop}.to[${i}]`;
      const service = d.to.meshService;
      if (!service) {
        fail(this, where, `is ${d.to.externalHost ? `the host ${quote(d.to.externalHost)}` : `the version ${quote(d.to.versionName)} of no service`}, but an ingress route forwards to services of the mesh`,
          'use RouteTo.service(service, { port, version })');
      }
      let port = d.to.port;
      if (port === undefined) {
        if (service.ports.length > 1) fail(this, `${where}.port`, `is required: ${service.serviceName} has several ports (${service.ports.map((p) => p.port).join(', ')})`, 'pass RouteTo.service(service, { port })');
        port = service.ports[0].port;
      }
      service.port(port, this, `${where}.port`);
      const version = d.to.versionName !== undefined ? service.version(d.to.versionName, this, `${where}.version`) : undefined;
      if (version && this.api === IngressApi.GATEWAY_API && this.mesh === Mesh.ISTIO) {
        this.unsupported(`${where}.version`, `an Istio mesh has no per-version Services for an HTTPRoute to forward to (${version.serviceName}), and gateway routes cannot use DestinationRule subsets`,
          'route to the service and split versions in its mesh routes, or use IngressApi.ISTIO');
      }
      if (this.api === IngressApi.GATEWAY_API && service.namespace !== this.namespace) {
        this.grantFor(service.namespace).addTo(GrantTo.services(version?.serviceName ?? service.serviceName));
      }
      return { service, port, version: version?.name, versionServiceName: version?.serviceName, weight: d.weight };
    });
  }

  /** The ReferenceGrant, in `namespace`, that lets this gateway's HTTPRoute forward to Services there. */
  private grantFor(namespace: string): ReferenceGrant {
    let grant = this.grants.get(namespace);
    if (!grant) {
      grant = new ReferenceGrant(this, `ReferenceGrant-${namespace}`, {
        name: this.referenceGrantName,
        namespace,
        from: [GrantFrom.httpRoutes(this.namespace)],
      });
      this.grants.set(namespace, grant);
    }
    return grant;
  }

  /** Gateway API meshes: the ReferenceGrants that allow routes to Services of other namespaces, by namespace. */
  public get referenceGrants(): ReferenceGrant[] {
    return [...this.grants.values()];
  }

  /** Matched routes in the order added, then the catch-all. */
  private ordered(): ResolvedIngressRoute[] {
    return [...this.routes.filter((r) => r.options.matches), ...this.routes.filter((r) => !r.options.matches)];
  }

  private istioRoute(r: ResolvedIngressRoute): IstioHttpRoute {
    const o = r.options;
    const single = r.backends.length === 1;
    return {
      name: o.name,
      matches: o.matches,
      destinations: r.backends.length ? r.backends.map((b): IstioWeightedDestination => ({
        host: istioServiceHost(b.service, this.namespace),
        subset: b.version,
        port: b.port,
        weight: single ? undefined : b.weight,
      })) : undefined,
      redirect: o.to.kind === RouteActionKind.REDIRECT ? o.to.redirectOptions : undefined,
      directResponse: o.to.kind === RouteActionKind.DIRECT_RESPONSE ? { status: o.to.status!, body: o.to.body } : undefined,
      rewrite: o.rewrite,
      timeout: o.timeout,
    };
  }

  private gatewayApiRule(r: ResolvedIngressRoute): HttpRouteRule {
    const o = r.options;
    const single = r.backends.length === 1;
    return {
      name: o.name,
      matches: o.matches,
      backends: r.backends.length ? r.backends.map((b): HttpRouteBackend => ({
        name: b.versionServiceName ?? b.service.serviceName,
        namespace: b.service.namespace !== this.namespace ? b.service.namespace : undefined,
        port: b.port,
        weight: single ? undefined : b.weight,
      })) : undefined,
      redirect: o.to.kind === RouteActionKind.REDIRECT ? o.to.redirectOptions : undefined,
      rewrite: o.rewrite,
      timeout: o.timeout,
    };
  }

  private unsupported(prop: string, what: string, fix: string): never {
    return fail(this, prop, `cannot be rendered for ${this.mesh === Mesh.GATEWAY_API || this.mesh === Mesh.ISTIO ? 'the Gateway API' : this.mesh}: ${what}`, fix);
  }
}
