import { Testing } from 'cdk8s';
import fc from 'fast-check';
import { Mesh } from '../../src/core/mesh';
import { Caller, RequestPath, ServiceAuthorization } from '../../src/security';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { HttpMethod } from '../../src/traffic/match';
import { meshChart, ofKind } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const batch = new SchemaBatch();

function bookinfo(mesh: Mesh) {
  const c = meshChart(mesh, 'bookinfo');
  const productpage = new MeshService(c, 'productpage', { ports: [ServicePort.http(9080)] });
  const reviews = new MeshService(c, 'reviews', { ports: [ServicePort.http(9080, { targetPort: 8080 }), ServicePort.tcp(9000)], serviceAccountName: 'bookinfo-reviews' });
  const ratings = new MeshService(c, 'ratings', { ports: [ServicePort.http(9080)] });
  const authz = new ServiceAuthorization(c, 'authz');
  return { c, productpage, reviews, ratings, authz };
}

describe('ServiceAuthorization on Istio', () => {
  test('rules reads back each allow rule, with its callers resolved on demand', () => {
    const { productpage, reviews, authz } = bookinfo(Mesh.ISTIO);
    authz.allow({ from: [productpage, Caller.serviceNamed('ratings')], to: reviews, methods: [HttpMethod.GET], ports: [9080] });
    const [rule] = authz.rules;
    expect([rule.name, rule.target, rule.allPorts, rule.methods, rule.ports.map((p) => p.port), rule.owner]).toEqual(['from-productpage', reviews, false, [HttpMethod.GET], [9080], authz]);
    expect(rule.resolve().map((c) => [c.kind, c.name, c.serviceAccount])).toEqual([['service', 'productpage', 'productpage'], ['service', 'ratings', 'ratings']]);
    authz.allow({ from: [Caller.serviceNamed('ratingz')], to: productpage });
    expect(() => authz.rules[1].resolve()).toThrow(/test\/authz: .*ratingz/);
  });

  test('"productpage may call reviews with GET on /reviews/**" becomes an ALLOW policy with the caller\'s principal', () => {
    const { c, productpage, reviews, ratings, authz } = bookinfo(Mesh.ISTIO);
    authz.allow({ from: [productpage], to: reviews, methods: [HttpMethod.GET], paths: [RequestPath.prefix('/reviews')], ports: [9080] });
    authz.allow({ from: [Caller.serviceNamed('reviews'), Caller.namespace('monitoring')], to: ratings });
    const out = batch.add('istio-allow', Testing.synth(c));
    const policies = ofKind(out, 'AuthorizationPolicy');
    expect(policies.map((p) => p.metadata)).toEqual([{ name: 'reviews', namespace: 'bookinfo' }, { name: 'ratings', namespace: 'bookinfo' }]);
    expect(policies[0].spec).toEqual({
      selector: { matchLabels: { app: 'reviews' } },
      action: 'ALLOW',
      rules: [{
        from: [{ source: { principals: ['cluster.local/ns/bookinfo/sa/productpage'] } }],
        to: [{ operation: { methods: ['GET'], paths: ['/reviews', '/reviews/*'], ports: ['8080'] } }],
      }],
    });
    expect(policies[1].spec.rules).toEqual([{
      from: [{ source: { principals: ['cluster.local/ns/bookinfo/sa/bookinfo-reviews'] } }, { source: { namespaces: ['monitoring'] } }],
    }]);
    expect(out).toMatchSnapshot();
  });

  test('NetworkPolicies: ingress per target with ports inside the rule, egress per caller with DNS and istiod', () => {
    const { c, productpage, reviews, authz } = bookinfo(Mesh.ISTIO);
    authz.allow({ from: [productpage, Caller.ingressGateway()], to: reviews, ports: [9080] });
    const nps = ofKind(batch.add('istio-network-policies', Testing.synth(c)), 'NetworkPolicy');
    expect(nps.map((n) => n.metadata.name)).toEqual(['reviews-ingress', 'productpage-egress']);
    expect(nps[0].spec).toEqual({
      podSelector: { matchLabels: { app: 'reviews' } },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'bookinfo' } }, podSelector: { matchLabels: { app: 'productpage' } } },
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: { istio: 'ingressgateway' } } },
        ],
        ports: [{ port: 8080, protocol: 'TCP' }],
      }],
    });
    expect(nps[1].spec.podSelector).toEqual({ matchLabels: { app: 'productpage' } });
    expect(nps[1].spec.policyTypes).toEqual(['Egress']);
    expect(nps[1].spec.egress.map((r: any) => r.ports)).toEqual([[{ port: 8080, protocol: 'TCP' }], [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }], [{ port: 15012, protocol: 'TCP' }]]);
  });

  test('networkPolicies: false renders only the mesh policy', () => {
    const c = meshChart();
    const a = new MeshService(c, 'a', { ports: [ServicePort.http(80)] });
    const b = new MeshService(c, 'b', { ports: [ServicePort.http(80)] });
    new ServiceAuthorization(c, 'authz', { networkPolicies: false }).allow({ from: [a], to: b });
    expect(batch.add('istio-no-np', Testing.synth(c)).map((o) => o.kind)).toEqual(['AuthorizationPolicy']);
  });

  test('a misspelt caller fails at synth, naming the known services and the closest one', () => {
    const { c, reviews, authz } = bookinfo(Mesh.ISTIO);
    authz.allow({ from: [Caller.serviceNamed('prodcutpage')], to: reviews });
    expect(() => Testing.synth(c)).toThrow(/test\/authz: allow from-prodcutpage from names the caller "prodcutpage" in namespace "bookinfo", but the app defines no such MeshService \(known: productpage \(bookinfo\), reviews \(bookinfo\), ratings \(bookinfo\)\)\. Fix: did you mean "productpage"\?/);
  });

  test('validation when the rule is added', () => {
    const { productpage, reviews, authz } = bookinfo(Mesh.ISTIO);
    expect(() => authz.allow({ from: [], to: reviews })).toThrow(/from must list at least one caller/);
    expect(() => authz.allow({ from: [productpage], to: reviews, ports: [1234] })).toThrow(/ports is 1234, which reviews does not expose/);
    expect(() => authz.allow({ from: [productpage], to: reviews, methods: [HttpMethod.GET] })).toThrow(/methods or paths need HTTP ports, but reviews port tcp\(9000\) is not HTTP/);
    expect(() => authz.allow({ from: ['productpage' as any], to: reviews })).toThrow(/from\[0\] must be a MeshService or a Caller/);
    authz.allow({ from: [productpage], to: reviews, ports: [9000] });
    expect(() => authz.allow({ from: [productpage], to: reviews, ports: [9080] })).toThrow(/"from-productpage" is already a rule for reviews/);
    expect(() => Caller.serviceAccount('batch', { namespace: 'jobs' })).not.toThrow();
  });

  test('a ServiceAccount caller without pod labels cannot become a NetworkPolicy peer', () => {
    const { c, reviews, authz } = bookinfo(Mesh.ISTIO);
    authz.allow({ from: [Caller.serviceAccount('batch', { namespace: 'jobs' })], to: reviews, ports: [9080] });
    expect(() => Testing.synth(c)).toThrow(/names the ServiceAccount jobs\/batch without podLabels; Kubernetes NetworkPolicy selects pods by label/);
  });

  test('two allow graphs for one target are a synth error', () => {
    const { c, productpage, reviews, authz } = bookinfo(Mesh.ISTIO);
    authz.allow({ from: [productpage], to: reviews });
    new ServiceAuthorization(c, 'more', { networkPolicies: false }).allow({ from: [productpage], to: reviews });
    expect(() => Testing.synth(c)).toThrow(/to bookinfo\/reviews also has allow rules in test\/more/);
  });

  test('two allow graphs rendering egress for one caller are a synth error', () => {
    const { c, productpage, reviews, ratings, authz } = bookinfo(Mesh.ISTIO);
    authz.allow({ from: [productpage], to: reviews });
    new ServiceAuthorization(c, 'more').allow({ from: [productpage], to: ratings });
    expect(() => Testing.synth(c)).toThrow(/from bookinfo\/productpage is also a caller in test\/more; both would render the NetworkPolicy productpage-egress/);
  });

  test('property: random allow rules render schema-valid policies on every mesh', () => {
    const methods = fc.uniqueArray(fc.constantFrom(...Object.values(HttpMethod)), { maxLength: 3 });
    const paths = fc.uniqueArray(fc.stringMatching(/^(\/[a-z0-9]{1,6}){1,3}$/), { maxLength: 2 });
    fc.assert(fc.property(fc.constantFrom(Mesh.ISTIO, Mesh.LINKERD, Mesh.CILIUM), methods, paths, fc.boolean(), (mesh, ms, ps, exact) => {
      const { c, productpage, ratings, authz } = bookinfo(mesh);
      authz.allow({ from: [productpage, Caller.namespace('monitoring')], to: ratings, methods: ms, paths: ps.map((p) => (exact ? RequestPath.exact(p) : RequestPath.prefix(p))) });
      const out = Testing.synth(c);
      expect(out.length).toBeGreaterThan(1);
      batch.add(`property-${mesh}-${ms.join('-')}-${ps.join('')}`, out);
    }), { numRuns: 15 });
  });
});

describe('ServiceAuthorization on Linkerd', () => {
  test('a Server per port; whole-port rules target the Server, L7 rules an HTTPRoute on it', () => {
    const { c, productpage, reviews, ratings, authz } = bookinfo(Mesh.LINKERD);
    authz.allow({ from: [productpage], to: reviews, ports: [9000] });
    authz.allow({ from: [productpage], to: ratings, methods: [HttpMethod.GET, HttpMethod.HEAD], paths: [RequestPath.prefix('/ratings'), RequestPath.exact('/health')] });
    const out = batch.add('linkerd-allow', Testing.synth(c));
    expect(ofKind(out, 'Server').map((s) => [s.metadata.name, s.spec])).toEqual([
      ['reviews-tcp', { podSelector: { matchLabels: { app: 'reviews' } }, port: 9000, accessPolicy: 'deny' }],
      ['ratings-http', { podSelector: { matchLabels: { app: 'ratings' } }, port: 9080, proxyProtocol: 'HTTP/1', accessPolicy: 'deny' }],
    ]);
    expect(ofKind(out, 'MeshTLSAuthentication').map((m) => m.spec)).toEqual([
      { identityRefs: [{ kind: 'ServiceAccount', name: 'productpage', namespace: 'bookinfo' }] },
      { identityRefs: [{ kind: 'ServiceAccount', name: 'productpage', namespace: 'bookinfo' }] },
    ]);
    const policies = ofKind(out, 'AuthorizationPolicy');
    expect(policies.map((p) => p.spec.targetRef)).toEqual([
      { group: 'policy.linkerd.io', kind: 'Server', name: 'reviews-tcp' },
      { group: 'policy.linkerd.io', kind: 'HTTPRoute', name: 'ratings-http-from-productpage' },
    ]);
    const routes = ofKind(out, 'HTTPRoute');
    expect(routes[0].spec.rules[0].matches).toHaveLength(4);
    expect(routes[0].spec.rules[0].matches[0]).toEqual({ method: 'GET', path: { type: 'PathPrefix', value: '/ratings' } });
    expect(out).toMatchSnapshot();
  });

  test('mixing whole-port and L7 rules on one port is refused with the fix', () => {
    const { productpage, ratings, authz } = bookinfo(Mesh.LINKERD);
    authz.allow({ from: [productpage], to: ratings, paths: [RequestPath.prefix('/ratings')] });
    expect(() => authz.allow({ from: [Caller.namespace('monitoring')], to: ratings }))
      .toThrow(/once a Server has routes only routed requests pass.*Fix: give every rule on that port paths \(RequestPath.prefix\("\/"\) for all paths\) or none/);
  });

  test('namespace callers become name-less ServiceAccount refs', () => {
    const { c, ratings, authz } = bookinfo(Mesh.LINKERD);
    authz.allow({ from: [Caller.namespace('monitoring')], to: ratings, name: 'scrapers' });
    const [m] = ofKind(batch.add('linkerd-namespace', Testing.synth(c)), 'MeshTLSAuthentication');
    expect([m.metadata.name, m.spec]).toEqual(['ratings-http-scrapers', { identityRefs: [{ kind: 'ServiceAccount', namespace: 'monitoring' }] }]);
  });
});

describe('ServiceAuthorization on Cilium and the Gateway API', () => {
  test('Cilium: one CiliumNetworkPolicy per target with L7 HTTP rules from the caller identity', () => {
    const { c, productpage, reviews, authz } = bookinfo(Mesh.CILIUM);
    authz.allow({ from: [productpage], to: reviews, methods: [HttpMethod.GET, HttpMethod.POST], paths: [RequestPath.prefix('/reviews')], ports: [9080] });
    authz.allow({ from: [Caller.namespace('monitoring')], to: reviews, ports: [9000] });
    const out = batch.add('cilium-allow', Testing.synth(c));
    const [cnp] = ofKind(out, 'CiliumNetworkPolicy');
    expect(cnp.spec.endpointSelector).toEqual({ matchLabels: { app: 'reviews' } });
    expect(cnp.spec.ingress).toEqual([
      {
        fromEndpoints: [{ matchLabels: { 'k8s:io.cilium.k8s.policy.serviceaccount': 'productpage', 'k8s:io.kubernetes.pod.namespace': 'bookinfo' } }],
        toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }], rules: { http: [
          { method: 'GET', path: '/reviews([/?].*)?' }, { method: 'POST', path: '/reviews([/?].*)?' },
        ] } }],
      },
      { fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'monitoring' } }], toPorts: [{ ports: [{ port: '9000', protocol: 'TCP' }] }] },
    ]);
    // no L4 ingress NetworkPolicy beside the L7 rules: Cilium would let any request of productpage through
    expect(ofKind(out, 'NetworkPolicy').map((n) => n.metadata.name)).toEqual(['productpage-egress']);
    expect(out).toMatchSnapshot();
  });

  test('Gateway API: L4 NetworkPolicies only; L7 limits are refused', () => {
    const { c, productpage, reviews, authz } = bookinfo(Mesh.GATEWAY_API);
    authz.allow({ from: [productpage], to: reviews });
    expect(batch.add('gamma-allow', Testing.synth(c)).filter((o) => o.kind.endsWith('Policy')).map((o) => o.kind)).toEqual(['NetworkPolicy', 'NetworkPolicy']);
    expect(() => authz.allow({ from: [productpage], to: reviews, methods: [HttpMethod.GET], ports: [9080], name: 'x' })).toThrow(/the Gateway API has no authorization resource/);
  });
});

test('synth is deterministic', () => {
  const make = () => {
    const { c, productpage, reviews, authz } = bookinfo(Mesh.ISTIO);
    authz.allow({ from: [productpage, Caller.namespace('b'), Caller.namespace('a')], to: reviews, ports: [9080] });
    return JSON.stringify(Testing.synth(c));
  };
  expect(make()).toEqual(make());
});

test('every scenario is schema-valid', () => {
  expect(batch.size).toBeGreaterThan(6);
  expect(batch.problems()).toEqual([]);
});
