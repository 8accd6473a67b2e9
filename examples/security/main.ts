// Zero-trust security with cdk8s-mesh, one chart per mesh (one file each in dist/security/):
// STRICT mTLS namespaces with deny-by-default baselines, an allow graph rendered as Istio
// AuthorizationPolicies, Linkerd Server/AuthorizationPolicy/MeshTLSAuthentication and a
// CiliumNetworkPolicy with L7 rules, Kubernetes NetworkPolicies everywhere, JWT at the gateway,
// and a team namespace with quota and RBAC.
import { App, Chart } from 'cdk8s';
import {
  AuthorizationCondition, Caller, ClientTls, ClientTlsPolicy, HttpMethod, JwtPolicy, JwtTarget, Mesh, MeshService,
  MeshWideMtls, MtlsMode, RequestPath, ServiceAuthorization, ServicePort, ServiceWorkloads, StrictMtlsNamespace, TeamMember, TeamNamespace,
  useMesh,
} from '../../src';

function service(chart: Chart, name: string, port: number, image: string, versions = ['v1']): MeshService {
  const svc = new MeshService(chart, name, { ports: [ServicePort.http(port)], versions });
  new ServiceWorkloads(chart, `${name}-workloads`, { service: svc, versions: versions.map((v) => ({ version: v, image: image.replace('{v}', v) })) });
  return svc;
}

/** Istio: bookinfo locked down — STRICT mTLS, allow-nothing, explicit allow rules, JWT at the gateway. */
function istio(app: App): void {
  const chart = new Chart(app, 'istio', { namespace: 'bookinfo' });
  new MeshWideMtls(chart, 'mesh-wide');
  const ns = new StrictMtlsNamespace(chart, 'bookinfo', { cni: true });

  const productpage = service(chart, 'productpage', 9080, 'docker.io/istio/examples-bookinfo-productpage-{v}:1.20.3');
  const reviews = service(chart, 'reviews', 9080, 'docker.io/istio/examples-bookinfo-reviews-{v}:1.20.3', ['v1', 'v2']);
  const ratings = service(chart, 'ratings', 9080, 'docker.io/istio/examples-bookinfo-ratings-{v}:1.20.3');
  const details = service(chart, 'details', 9080, 'docker.io/istio/examples-bookinfo-details-{v}:1.20.3');
  new ClientTlsPolicy(chart, 'reviews-tls', { service: reviews, tls: ClientTls.istioMutual() });

  // a legacy metrics port scraped by a Prometheus outside the mesh stays PERMISSIVE
  const legacy = new MeshService(chart, 'legacy', { ports: [ServicePort.http(8080), ServicePort.http(9090, { name: 'http-metrics' })], versions: ['v1'] });
  new ServiceWorkloads(chart, 'legacy-workloads', { service: legacy, versions: [{ version: 'v1', image: 'docker.io/kennethreitz/httpbin:latest' }] });
  ns.addException({ service: legacy, ports: { 9090: MtlsMode.PERMISSIVE } });

  const authz = new ServiceAuthorization(chart, 'authz');
  authz.allow({ from: [Caller.ingressGateway()], to: productpage, methods: [HttpMethod.GET, HttpMethod.POST] });
  authz.allow({ from: [productpage], to: reviews, methods: [HttpMethod.GET], paths: [RequestPath.prefix('/reviews')] });
  authz.allow({ from: [productpage], to: details, methods: [HttpMethod.GET], paths: [RequestPath.prefix('/details')] });
  authz.allow({ from: [Caller.serviceNamed('reviews')], to: ratings, methods: [HttpMethod.GET], paths: [RequestPath.prefix('/ratings')] });
  authz.allow({ from: [productpage], to: legacy, ports: [8080] });

  new JwtPolicy(chart, 'gateway-jwt', {
    target: JwtTarget.ingressGateway(),
    jwtRules: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/.well-known/jwks.json', audiences: ['bookinfo.example.com'], forwardOriginalToken: true }],
    requiredClaims: [AuthorizationCondition.claim('role').in('admin', 'user')],
  });

  new TeamNamespace(chart, 'payments', {
    members: [TeamMember.group('team-payments')],
    quota: { requestsCpu: '8', requestsMemory: '16Gi', limitsCpu: '16', limitsMemory: '32Gi', pods: 100 },
    namespace: { cni: true },
  });
}

/** Linkerd: the books app — default-inbound-policy deny, Servers, per-route authorization. */
function linkerd(app: App): void {
  const chart = new Chart(app, 'linkerd', { namespace: 'booksapp' });
  useMesh(chart, Mesh.LINKERD);
  new StrictMtlsNamespace(chart, 'booksapp', { cni: true });
  const webapp = service(chart, 'webapp', 7000, 'docker.io/buoyantio/booksapp:{v}');
  const books = service(chart, 'books', 7002, 'docker.io/buoyantio/booksapp:{v}');
  const authors = service(chart, 'authors', 7001, 'docker.io/buoyantio/booksapp:{v}');
  const authz = new ServiceAuthorization(chart, 'authz');
  authz.allow({ from: [webapp], to: books, methods: [HttpMethod.GET], paths: [RequestPath.prefix('/books')] });
  authz.allow({ from: [books], to: authors, methods: [HttpMethod.GET], paths: [RequestPath.prefix('/authors')], name: 'books-read' });
  authz.allow({ from: [webapp], to: authors, methods: [HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE], paths: [RequestPath.prefix('/authors')] });
}

/** Cilium: L7-aware network policy — the frontend may GET and POST /api/users on the API only. */
function cilium(app: App): void {
  const chart = new Chart(app, 'cilium', { namespace: 'shop' });
  useMesh(chart, Mesh.CILIUM);
  new StrictMtlsNamespace(chart, 'shop');
  const frontend = service(chart, 'frontend', 8080, 'docker.io/nginxinc/nginx-unprivileged:1.27');
  const api = service(chart, 'api', 8080, 'docker.io/kennethreitz/httpbin:latest');
  const authz = new ServiceAuthorization(chart, 'authz');
  authz.allow({ from: [frontend], to: api, methods: [HttpMethod.GET, HttpMethod.POST], paths: [RequestPath.prefix('/api/users')] });
}

export function createApp(outdir: string): App {
  const app = new App({ outdir });
  istio(app);
  linkerd(app);
  cilium(app);
  return app;
}

if (require.main === module) createApp(process.env.CDK8S_OUTDIR ?? 'dist/security').synth();
