import { Construct } from 'constructs';
import { MetricsScraper } from '../../core/metrics-scrapers';
import { HttpMethod } from '../../traffic/match';
import { RequestPath } from '../request-path';
import { ANY_NETWORK, ILinkerdAuthentication, MeshTlsAuthentication, NetworkAuthentication } from './authentication';
import { LinkerdAuthorizationPolicy, LinkerdPolicyTarget } from './authorization-policy';
import { LinkerdServerRoute } from './http-route';
import { LinkerdProxyProtocol, LinkerdServer } from './server';

/** The Linkerd proxy's admin port name, serving `/metrics`, `/live` and `/ready` on 4191. */
const ADMIN_PORT = 'linkerd-admin';

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
    this.server = new LinkerdServer(this, 'Server', {
      name: 'proxy-admin', namespace, port: ADMIN_PORT, proxyProtocol: LinkerdProxyProtocol.HTTP1,
      // the injector labels every meshed pod with its control plane's namespace
      podSelector: { 'linkerd.io/control-plane-ns': 'linkerd' },
    });
    const route = (name: string, paths: string[]) => new LinkerdServerRoute(this, `HTTPRoute-${name}`, {
      name, namespace, server: this.server, matches: paths.map((p) => ({ method: HttpMethod.GET, path: RequestPath.exact(p) })),
    });
    const policy = (name: string, target: LinkerdServerRoute, authentication: ILinkerdAuthentication) => new LinkerdAuthorizationPolicy(this, `AuthorizationPolicy-${name}`, {
      name, namespace, target: LinkerdPolicyTarget.route(target), requiredAuthentications: [authentication],
    });

    let scrapers: ILinkerdAuthentication;
    if (props.authenticateByNetwork ?? false) {
      scrapers = new NetworkAuthentication(this, 'NetworkAuthentication-prometheus-scrape', { name: 'prometheus-scrape', namespace, networks: ANY_NETWORK });
    } else {
      const auth = new MeshTlsAuthentication(this, 'MeshTLSAuthentication-prometheus-scrape', { name: 'prometheus-scrape', namespace });
      auth._addServiceAccountSource(() => [...new Set(this.scrapers.map((s) => s.namespace))].sort().map((ns) => ({ namespace: ns })));
      scrapers = auth;
    }
    policy('prometheus-scrape', route('proxy-metrics', ['/metrics']), scrapers);
    const kubelet = new NetworkAuthentication(this, 'NetworkAuthentication-proxy-probes', { name: 'proxy-probes', namespace, networks: ANY_NETWORK });
    policy('proxy-probes', route('proxy-probes', ['/live', '/ready']), kubelet);
  }

  /** Authorizes one more scraper (its namespace, when authenticated by identity). */
  public addScraper(scraper: MetricsScraper): void {
    this.scrapers.push(scraper);
  }
}
