// Zero-trust security with cdk8s-mesh, one chart per mesh (one file each in dist/security/):
// STRICT mTLS namespaces with deny-by-default baselines, an allow graph rendered as Istio
// AuthorizationPolicies, Linkerd Server/AuthorizationPolicy/MeshTLSAuthentication and a
// CiliumNetworkPolicy with L7 rules, Kubernetes NetworkPolicies everywhere, JWT at the gateway,
// and a team namespace with quota and RBAC.
import { App, Chart } from 'cdk8s';
import {
  AuthorizationCondition, Caller, ClientTls, ClientTlsPolicy, HttpMethod, JwtPolicy, JwtTarget, Mesh, MeshService,
  MeshWideMtls, MtlsMode, RequestPath, ServiceAuthorization, ServicePort, ServiceWorkloads, StrictMtlsNamespace, TeamMember, TeamNamespace,
  useMesh, VersionWorkload,
} from '../../src';
import { addWorkloads, BOOKINFO_PORT, BookinfoServiceName } from '../bookinfo/bookinfo';
import { MeshTarget, useTarget } from '../../src/target/mesh-target';

/** A bookinfo service with its workloads as audited against upstream (examples/bookinfo/bookinfo.ts). */
function bookinfo(chart: Chart, name: BookinfoServiceName, versions = ['v1']): MeshService {
  const svc = new MeshService(chart, name, { ports: [ServicePort.http(BOOKINFO_PORT)], versions });
  addWorkloads(chart, { [name]: svc });
  return svc;
}

/** A one-version HTTP service running `workload` (image, env, args as its upstream manifests run it). */
function service(chart: Chart, name: string, port: number, healthCheckPath: string, workload: Omit<VersionWorkload, 'version'>): MeshService {
  const svc = new MeshService(chart, name, { ports: [ServicePort.http(port)], versions: ['v1'] });
  new ServiceWorkloads(chart, `${name}-workloads`, { service: svc, healthCheckPath, versions: [{ version: 'v1', ...workload }] });
  return svc;
}

// Linkerd's booksapp (BuoyantIO/booksapp booksapp.yml): one image, the rake task in args picks the
// service; it reads its bundled SQLite database (as a non-root user on a read-only root file
// system SQLite opens it read-only, so writes fail: the example is about authorization).
const BOOKSAPP = 'docker.io/buoyantio/booksapp:v0.0.5';
function booksapp(task: string, env: Record<string, string> = {}): Omit<VersionWorkload, 'version'> {
  return { image: BOOKSAPP, args: [`prod:${task}`], env: { DATABASE_URL: 'sqlite3:db/db.sqlite3', ...env } };
}
// podinfo and go-httpbin listen where the Services say: podinfo takes its ports from PODINFO_* variables
const PODINFO = 'ghcr.io/stefanprodan/podinfo:6.9.2';
const HTTPBIN = 'docker.io/mccutchen/go-httpbin:v2.15.0';

/** Istio: bookinfo locked down — STRICT mTLS, allow-nothing, explicit allow rules, JWT at the gateway. */
function istio(app: App): void {
  const chart = new Chart(app, 'istio', { namespace: 'bookinfo' });
  new MeshWideMtls(chart, 'mesh-wide');
  const ns = new StrictMtlsNamespace(chart, 'bookinfo', { cni: true });

  const productpage = bookinfo(chart, 'productpage');
  const reviews = bookinfo(chart, 'reviews', ['v1', 'v2']);
  const ratings = bookinfo(chart, 'ratings');
  const details = bookinfo(chart, 'details');
  new ClientTlsPolicy(chart, 'reviews-tls', { service: reviews, tls: ClientTls.istioMutual() });

  // a legacy metrics port scraped by a Prometheus outside the mesh stays PERMISSIVE
  const legacy = new MeshService(chart, 'legacy', { ports: [ServicePort.http(8080), ServicePort.http(9090, { name: 'http-metrics' })], versions: ['v1'] });
  new ServiceWorkloads(chart, 'legacy-workloads', {
    service: legacy, healthCheckPath: '/readyz',
    versions: [{ version: 'v1', image: PODINFO, env: { PODINFO_PORT: '8080', PODINFO_PORT_METRICS: '9090' } }],
  });
  ns.addException({ service: legacy, portMtls: [{ port: 9090, mode: MtlsMode.PERMISSIVE }] });

  const authz = new ServiceAuthorization(chart, 'authz');
  authz.allow({ from: [Caller.ingressGateway()], to: productpage, methods: [HttpMethod.GET, HttpMethod.POST] });
  authz.allow({ from: [productpage], to: reviews, methods: [HttpMethod.GET], paths: [RequestPath.prefix('/reviews')] });
  authz.allow({ from: [productpage], to: details, methods: [HttpMethod.GET], paths: [RequestPath.prefix('/details')] });
  authz.allow({ from: [Caller.serviceNamed('reviews')], to: ratings, methods: [HttpMethod.GET], paths: [RequestPath.prefix('/ratings')] });
  authz.allow({ from: [productpage], to: legacy, ports: [8080] });

  new JwtPolicy(chart, 'gateway-jwt', {
    // the gateway is shared: only bookinfo.example.com needs a token (a DENY scoped to that host)
    target: JwtTarget.ingressGateway(),
    hosts: ['bookinfo.example.com'],
    ports: [8080, 8443], // the gateway's HTTP(S) container ports: its TCP/passthrough ports stay open
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
  const webapp = service(chart, 'webapp', 7000, '/ping', booksapp('webapp', { AUTHORS_SITE: 'http://authors:7001', BOOKS_SITE: 'http://books:7002' }));
  const books = service(chart, 'books', 7002, '/ping', booksapp('books', { AUTHORS_SITE: 'http://authors:7001' }));
  const authors = service(chart, 'authors', 7001, '/ping', booksapp('authors', { BOOKS_SITE: 'http://books:7002' }));
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
  const frontend = service(chart, 'frontend', 8080, '/', { image: 'docker.io/nginxinc/nginx-unprivileged:1.27' });
  const api = service(chart, 'api', 8080, '/status/200', { image: HTTPBIN });
  const authz = new ServiceAuthorization(chart, 'authz');
  authz.allow({ from: [frontend], to: api, methods: [HttpMethod.GET, HttpMethod.POST], paths: [RequestPath.prefix('/api/users')] });
}

export function createApp(outdir: string, target?: MeshTarget): App {
  const app = new App({ outdir });
  if (target) useTarget(app, target);
  istio(app);
  linkerd(app);
  cilium(app);
  return app;
}

if (require.main === module) createApp(process.env.CDK8S_OUTDIR ?? 'dist/security').synth();
