import { Construct } from 'constructs';
import { MetricsScraper } from '../../core/metrics-scrapers';
import { HttpMethod } from '../../traffic/match';
import { RequestPath } from '../request-path';
import { ANY_NETWORK, ILinkerdAuthentication, MeshTlsAuthentication, NetworkAuthentication } from './authentication';
import { LinkerdAuthorizationPolicy, LinkerdPolicyTarget } from './authorization-policy';
import { LinkerdServerRoute } from './http-route';
import { LinkerdProxyProtocol, LinkerdServer } from './server';
import { chosenName } from '../../core/object-names';

/** The Linkerd proxy's admin port name, serving `/metrics`, `/live` and `/ready` on 4191. */
const ADMIN_PORT = 'linkerd-admin';

/** The names of the objects a {@link LinkerdScrapeAdmission} renders in its namespace. */
export interface LinkerdScrapeAdmissionNames {
  /**
   * The Server on the proxies' admin port.
   * @default 'proxy-admin'
   */
  readonly server?: string;
  /**
   * The HTTPRoute for GET /metrics.
   * @default 'proxy-metrics'
   */
  readonly metricsRoute?: string;
  /**
   * The HTTPRoute for the proxies' probes (GET /live, /ready).
   * @default 'proxy-probes'
   */
  readonly probesRoute?: string;
  /**
   * The scrapers' authentication and the AuthorizationPolicy admitting them to the metrics route.
   * @default 'prometheus-scrape'
   */
  readonly scrapers?: string;
  /**
   * The kubelet's NetworkAuthentication and the AuthorizationPolicy admitting it to the probes route.
   * @default 'proxy-probes'
   */
  readonly probes?: string;
}

/** Props of a {@link LinkerdScrapeAdmission}. */
export interface LinkerdScrapeAdmissionProps {
  /** The namespace whose proxies are scraped. */
  readonly namespace: string;
  /**
   * Authenticate the scrapers by network (any address) instead of by the mesh identity of their
   * namespaces: only when a NetworkPolicy admits nothing but their pods to the admin port.
   * @default false
   */
  readonly authenticateByNetwork?: boolean;
  /**
   * Names for the objects, to keep those of existing objects (e.g. from `linkerd viz allow-scrapes`).
   * @default - see LinkerdScrapeAdmissionNames
   */
  readonly names?: LinkerdScrapeAdmissionNames;
}

/**
 * Lets Prometheus scrape the Linkerd proxies of a `default-inbound-policy: deny` namespace, as
 * `linkerd viz allow-scrapes` does: a Server `proxy-admin` on the meshed pods' `linkerd-admin`
 * port, an HTTPRoute `proxy-metrics` (GET /metrics) authorized for the scrapers, and an HTTPRoute
 * `proxy-probes` (GET /live, /ready) authorized for the kubelet — with routes on the Server,
 * Linkerd no longer admits the proxy's own probes by itself.
 *
 * The scrapers are authenticated by network when the namespace's default-deny NetworkPolicy
 * admits only their pods to the port (so a Prometheus outside the mesh can scrape), else by the
 * mesh identity of their namespaces (the Prometheus must then be meshed, as viz's is).
 */
export class LinkerdScrapeAdmission extends Construct {
  public readonly server: LinkerdServer;
  private readonly scrapers: MetricsScraper[] = [];

  public constructor(scope: Construct, id: string, props: LinkerdScrapeAdmissionProps) {
    super(scope, id);
    const namespace = props.namespace;
    const names = props.names ?? {};
    const linkerd = (prop: keyof LinkerdScrapeAdmissionNames, kind: string, fallback: string) => chosenName(this, `names.${prop}`, `policy.linkerd.io/${kind}`, names[prop], fallback);
    this.server = new LinkerdServer(this, 'Server', {
      name: linkerd('server', 'Server', 'proxy-admin'), namespace, port: ADMIN_PORT, proxyProtocol: LinkerdProxyProtocol.HTTP1,
      // the injector labels every meshed pod with its control plane's namespace
      podSelector: { 'linkerd.io/control-plane-ns': 'linkerd' },
    });
    const route = (id: string, name: string, paths: string[]) => new LinkerdServerRoute(this, `HTTPRoute-${id}`, {
      name, namespace, server: this.server, matches: paths.map((p) => ({ method: HttpMethod.GET, path: RequestPath.exact(p) })),
    });
    const policy = (id: string, name: string, target: LinkerdServerRoute, authentication: ILinkerdAuthentication) => new LinkerdAuthorizationPolicy(this, `AuthorizationPolicy-${id}`, {
      name, namespace, target: LinkerdPolicyTarget.route(target), requiredAuthentications: [authentication],
    });

    const byNetwork = props.authenticateByNetwork ?? false;
    const scrapersName = linkerd('scrapers', byNetwork ? 'NetworkAuthentication' : 'MeshTLSAuthentication', 'prometheus-scrape');
    const probesName = linkerd('probes', 'NetworkAuthentication', 'proxy-probes');
    let scrapers: ILinkerdAuthentication;
    if (byNetwork) {
      scrapers = new NetworkAuthentication(this, 'NetworkAuthentication-prometheus-scrape', { name: scrapersName, namespace, networks: ANY_NETWORK });
    } else {
      const auth = new MeshTlsAuthentication(this, 'MeshTLSAuthentication-prometheus-scrape', { name: scrapersName, namespace });
      auth._addServiceAccountSource(() => [...new Set(this.scrapers.map((s) => s.namespace))].sort().map((ns) => ({ namespace: ns })));
      scrapers = auth;
    }
    policy('prometheus-scrape', scrapersName, route('proxy-metrics', linkerd('metricsRoute', 'HTTPRoute', 'proxy-metrics'), ['/metrics']), scrapers);
    const kubelet = new NetworkAuthentication(this, 'NetworkAuthentication-proxy-probes', { name: probesName, namespace, networks: ANY_NETWORK });
    policy('proxy-probes', probesName, route('proxy-probes', linkerd('probesRoute', 'HTTPRoute', 'proxy-probes'), ['/live', '/ready']), kubelet);
  }

  /** Authorizes one more scraper (its namespace, when authenticated by identity). */
  public addScraper(scraper: MetricsScraper): void {
    this.scrapers.push(scraper);
  }
}
