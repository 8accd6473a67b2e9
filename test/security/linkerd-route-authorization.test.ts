import { Chart, Testing } from 'cdk8s';
import fc from 'fast-check';
import { Mesh } from '../../src/core/mesh';
import { RequestPath, ServiceAuthorization } from '../../src/security';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { HttpMethod } from '../../src/traffic/match';
import { meshChart } from '../support/charts';
import { KUBELET, linkerdInbound } from '../support/linkerd-inbound';
import { ServiceWorkloads } from '../../src/service/service-workloads';

function booksapp() {
  const c = meshChart(Mesh.LINKERD, 'booksapp');
  const svc = (name: string, port: number) => new MeshService(c, name, { ports: [ServicePort.http(port)] });
  return { c, webapp: svc('webapp', 7000), books: svc('books', 7002), authors: svc('authors', 7001), extra: svc('extra', 7003), authz: new ServiceAuthorization(c, 'authz') };
}

const sa = (name: string) => ({ serviceAccount: name, namespace: 'booksapp' });

describe('Linkerd per-route authorization: each request is checked on the one route it selects', () => {
  test('two rules with the same match (booksapp GET /authors): both callers pass', () => {
    const { c, webapp, books, authors, authz } = booksapp();
    authz.allow({ from: [books], to: authors, methods: [HttpMethod.GET], paths: [RequestPath.prefix('/authors')], name: 'books-read' });
    authz.allow({ from: [webapp], to: authors, methods: [HttpMethod.GET, HttpMethod.POST], paths: [RequestPath.prefix('/authors')] });
    const out = Testing.synth(c);
    expect(linkerdInbound(out, 'authors-http', sa('books'), 'GET', '/authors/1')).toBe('allow');
    expect(linkerdInbound(out, 'authors-http', sa('webapp'), 'GET', '/authors/1')).toBe('allow');
    expect(linkerdInbound(out, 'authors-http', sa('webapp'), 'POST', '/authors')).toBe('allow');
    expect(linkerdInbound(out, 'authors-http', sa('books'), 'POST', '/authors')).toBe('deny');
  });

  test('a caller allowed on a broader route is authorized on the more specific route that shadows it', () => {
    const { c, webapp, books, authors, authz } = booksapp();
    authz.allow({ from: [webapp], to: authors, paths: [RequestPath.prefix('/authors')] });
    authz.allow({ from: [books], to: authors, methods: [HttpMethod.GET], paths: [RequestPath.exact('/authors/1')] });
    const out = Testing.synth(c);
    expect(linkerdInbound(out, 'authors-http', sa('webapp'), 'GET', '/authors/1')).toBe('allow');
    expect(linkerdInbound(out, 'authors-http', sa('books'), 'GET', '/authors/1')).toBe('allow');
    expect(linkerdInbound(out, 'authors-http', sa('books'), 'GET', '/authors/2')).toBe('deny');
    expect(linkerdInbound(out, 'authors-http', sa('books'), 'DELETE', '/authors/1')).toBe('deny');
  });

  test('property: for random rules and requests, Linkerd admits exactly the callers some rule allows', () => {
    const callers = ['webapp', 'books', 'extra'] as const;
    const pathArb = fc.tuple(fc.boolean(), fc.constantFrom('/', '/a', '/a/b', '/a/b/c', '/b')).map(([exact, p]) => (exact ? RequestPath.exact(p) : RequestPath.prefix(p)));
    const ruleArb = fc.record({
      caller: fc.constantFrom(...callers),
      methods: fc.uniqueArray(fc.constantFrom<HttpMethod>(HttpMethod.GET, HttpMethod.POST), { maxLength: 2 }),
      paths: fc.uniqueArray(pathArb, { minLength: 1, maxLength: 2, selector: (p) => p.toString() }),
    });
    const requestArb = fc.record({ caller: fc.constantFrom(...callers), method: fc.constantFrom('GET', 'POST', 'PUT'), path: fc.constantFrom('/', '/a', '/a/b', '/a/b/c', '/a/x', '/b', '/b/c', '/c') });
    fc.assert(fc.property(fc.array(ruleArb, { minLength: 1, maxLength: 4 }), fc.array(requestArb, { minLength: 1, maxLength: 10 }), (rules, requests) => {
      const app = booksapp();
      const services = { webapp: app.webapp, books: app.books, extra: app.extra };
      rules.forEach((r, i) => app.authz.allow({ from: [services[r.caller]], to: app.authors, methods: r.methods.length ? r.methods : undefined, paths: r.paths, name: `r${i}` }));
      const out = Testing.synth(app.c);
      for (const q of requests) {
        const intended = rules.some((r) => r.caller === q.caller && (!r.methods.length || r.methods.includes(q.method as HttpMethod))
          && r.paths.some((p) => (p.kind === 'Exact' ? q.path === p.path : p.path === '/' || q.path === p.path || q.path.startsWith(`${p.path}/`))));
        const decision = linkerdInbound(out, 'authors-http', sa(q.caller), q.method, q.path);
        expect(decision === 'allow').toBe(intended);
      }
    }), { numRuns: 150 });
  });
});

describe('Linkerd per-route authorization keeps the kubelet\'s probes working', () => {
  // Linkerd authorizes probes by itself only on Servers without HTTPRoutes (policy controller,
  // default_inbound_http_routes): the per-route rules must route and authorize the probe path.
  const workloads = (c: Chart, svc: MeshService) => (svc.addVersion('v1'), new ServiceWorkloads(c, `${svc.serviceName}-workloads`, { service: svc, healthCheckPath: '/ping', versions: [{ version: 'v1', image: 'buoyantio/booksapp:v0.0.5' }] }));

  test('booksapp: GET /ping from the kubelet passes, the callers keep their routes, nothing else opens', () => {
    const { c, webapp, books, authz } = booksapp();
    workloads(c, books);
    authz.allow({ from: [webapp], to: books, methods: [HttpMethod.GET], paths: [RequestPath.prefix('/books')] });
    const out = Testing.synth(c);
    expect(linkerdInbound(out, 'books-http', KUBELET, 'GET', '/ping')).toBe('allow');
    expect(linkerdInbound(out, 'books-http', KUBELET, 'GET', '/books')).toBe('deny');
    expect(linkerdInbound(out, 'books-http', KUBELET, 'POST', '/ping')).toBe('no-route');
    expect(linkerdInbound(out, 'books-http', sa('webapp'), 'GET', '/books/1')).toBe('allow');
    const route = out.find((o) => o.kind === 'HTTPRoute' && o.metadata.name === 'books-http-probes');
    expect(route.spec.rules).toEqual([{ matches: [{ method: 'GET', path: { type: 'Exact', value: '/ping' } }] }]);
    expect(out.find((o) => o.kind === 'NetworkAuthentication').spec).toEqual({ networks: [{ cidr: '0.0.0.0/0' }, { cidr: '::/0' }] });
  });

  test('workloads built after the rules, and a rule covering the probe path: callers and kubelet both pass', () => {
    const { c, webapp, books, authz } = booksapp();
    authz.allow({ from: [webapp], to: books, methods: [HttpMethod.GET], paths: [RequestPath.prefix('/')] });
    workloads(c, books);
    const out = Testing.synth(c);
    expect(linkerdInbound(out, 'books-http', KUBELET, 'GET', '/ping')).toBe('allow');
    expect(linkerdInbound(out, 'books-http', sa('webapp'), 'GET', '/ping')).toBe('allow');
    expect(linkerdInbound(out, 'books-http', KUBELET, 'GET', '/books')).toBe('deny');
    expect(linkerdInbound(out, 'books-http', sa('books'), 'GET', '/ping')).toBe('allow');
    expect(linkerdInbound(out, 'books-http', sa('books'), 'GET', '/books')).toBe('deny');
  });
});
