import { Testing } from 'cdk8s';
import * as l1 from '../../imports/networking.istio.io';
import { Mesh } from '../../src/core/mesh';
import { DestinationRule } from '../../src/istio/destination-rule';
import {
  ClientTls, ClientTlsPolicy, MeshWideMtls, MtlsException, MtlsMigration, MtlsMode, PodSecurityLevel, StrictMtlsNamespace,
} from '../../src/security';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { meshChart, ofKind, reviewsService } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const batch = new SchemaBatch();

describe('StrictMtlsNamespace on Istio', () => {
  test('namespace with injection and Pod Security labels, STRICT PeerAuthentication, allow-nothing, default-deny NetworkPolicy', () => {
    const c = meshChart(Mesh.ISTIO, 'shop');
    const ns = new StrictMtlsNamespace(c, 'shop', { cni: true });
    const out = batch.add('istio-strict', Testing.synth(c));
    const [namespace] = ofKind(out, 'Namespace');
    expect(namespace.metadata).toEqual({
      name: 'shop',
      labels: {
        'istio-injection': 'enabled',
        'pod-security.kubernetes.io/enforce': 'baseline',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/audit': 'restricted',
      },
    });
    expect(ofKind(out, 'PeerAuthentication')[0]).toEqual({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'shop' }, spec: { mtls: { mode: 'STRICT' } } });
    expect(ofKind(out, 'AuthorizationPolicy')[0]).toEqual({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'allow-nothing', namespace: 'shop' }, spec: {} });
    const [np] = ofKind(out, 'NetworkPolicy');
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.spec.egress.map((r: any) => r.ports)).toEqual([[{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }], [{ port: 15012, protocol: 'TCP' }]]);
    expect([ns.denyByDefault, ns.podSecurity]).toEqual([true, PodSecurityLevel.BASELINE]);
    expect(out).toMatchSnapshot();
  });

  test('a revision label instead of istio-injection; without the CNI plugin the default level is privileged', () => {
    const c = meshChart();
    new StrictMtlsNamespace(c, 'canary-ns', { istioRevision: '1-28' });
    const [ns] = ofKind(batch.add('istio-revision', Testing.synth(c)), 'Namespace');
    expect(ns.metadata.labels['istio.io/rev']).toBe('1-28');
    expect(ns.metadata.labels['istio-injection']).toBeUndefined();
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  test('restricted or baseline without the CNI plugin is refused, with the reason', () => {
    const c = meshChart();
    expect(() => new StrictMtlsNamespace(c, 'x', { podSecurity: PodSecurityLevel.RESTRICTED }))
      .toThrow(/podSecurity is restricted, but without the istio CNI plugin the injected init container needs NET_ADMIN and NET_RAW.*Fix: install the Istio CNI node agent and set cni: true/);
    expect(new StrictMtlsNamespace(c, 'y', { cni: true, podSecurity: PodSecurityLevel.RESTRICTED }).podSecurity).toBe(PodSecurityLevel.RESTRICTED);
  });

  test('migration stages: PERMISSIVE renders PERMISSIVE and no deny-by-default unless asked', () => {
    const c = meshChart();
    const ns = new StrictMtlsNamespace(c, 'legacy', { migration: MtlsMigration.stage(MtlsMode.PERMISSIVE) });
    const out = batch.add('istio-permissive', Testing.synth(c));
    expect(ofKind(out, 'PeerAuthentication')[0].spec).toEqual({ mtls: { mode: 'PERMISSIVE' } });
    expect(ofKind(out, 'AuthorizationPolicy')).toEqual([]);
    expect(ofKind(out, 'NetworkPolicy')).toEqual([]);
    expect(ns.denyByDefault).toBe(false);
    const d = meshChart();
    new StrictMtlsNamespace(d, 'legacy', { migration: MtlsMigration.stage(MtlsMode.DISABLE), denyByDefault: true, networkPolicies: false });
    const out2 = batch.add('istio-disable-deny', Testing.synth(d));
    expect(ofKind(out2, 'PeerAuthentication')[0].spec.mtls.mode).toBe('DISABLE');
    expect(ofKind(out2, 'AuthorizationPolicy')).toHaveLength(1);
    expect(ofKind(out2, 'NetworkPolicy')).toHaveLength(0);
  });

  test('exceptions: a service port stays PERMISSIVE (container port), a workload DISABLE', () => {
    const c = meshChart(Mesh.ISTIO, 'bookinfo');
    const ns = new StrictMtlsNamespace(c, 'bookinfo');
    const legacy = new MeshService(c, 'legacy', { ports: [ServicePort.http(80, { targetPort: 8080 }), ServicePort.http(9090, { name: 'http-metrics', targetPort: 15090 })] });
    ns.addException({ service: legacy, portMtls: [{ port: 9090, mode: MtlsMode.PERMISSIVE }] });
    ns.addException({ selector: { app: 'old-batch' }, mode: MtlsMode.DISABLE, name: 'old-batch' });
    const pas = ofKind(batch.add('istio-exceptions', Testing.synth(c)), 'PeerAuthentication');
    expect(pas.map((p) => [p.metadata.name, p.spec])).toEqual([
      ['default', { mtls: { mode: 'STRICT' } }],
      ['legacy', { selector: { matchLabels: { app: 'legacy' } }, portLevelMtls: { 15090: { mode: 'PERMISSIVE' } } }],
      ['old-batch', { selector: { matchLabels: { app: 'old-batch' } }, mtls: { mode: 'DISABLE' } }],
    ]);
  });

  test('a plain-text exception gets through the deny-by-default baseline (allow-nothing and default-deny)', () => {
    const c = meshChart(Mesh.ISTIO, 'bookinfo');
    const ns = new StrictMtlsNamespace(c, 'bookinfo');
    const legacy = new MeshService(c, 'legacy', { ports: [ServicePort.http(80, { targetPort: 8080 }), ServicePort.http(9090, { name: 'http-metrics', targetPort: 15090 })] });
    ns.addException({ service: legacy, portMtls: [{ port: 9090, mode: MtlsMode.PERMISSIVE }, { port: 80, mode: MtlsMode.STRICT }] });
    ns.addException({ selector: { app: 'old-batch' }, mode: MtlsMode.DISABLE, name: 'old-batch' });
    const out = batch.add('istio-exception-admitted', Testing.synth(c));
    expect(ofKind(out, 'AuthorizationPolicy').map((p) => [p.metadata.name, p.spec])).toEqual([
      ['allow-nothing', {}],
      ['legacy-plaintext', { selector: { matchLabels: { app: 'legacy' } }, action: 'ALLOW', rules: [{ to: [{ operation: { ports: ['15090'] } }] }] }],
      ['old-batch-plaintext', { selector: { matchLabels: { app: 'old-batch' } }, action: 'ALLOW', rules: [{}] }],
    ]);
    expect(ofKind(out, 'NetworkPolicy').filter((n) => n.metadata.name !== 'default-deny').map((n) => [n.metadata.name, n.spec])).toEqual([
      ['legacy-plaintext', { podSelector: { matchLabels: { app: 'legacy' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 15090, protocol: 'TCP' }] }] }],
      ['old-batch-plaintext', { podSelector: { matchLabels: { app: 'old-batch' } }, policyTypes: ['Ingress'], ingress: [{}] }],
    ]);
    // STRICT exceptions and namespaces that do not deny by default need nothing more
    const c2 = meshChart(Mesh.ISTIO, 'bookinfo');
    const open = new StrictMtlsNamespace(c2, 'bookinfo', { denyByDefault: false });
    open.addException({ selector: { app: 'x' }, portMtls: [{ port: 9090, mode: MtlsMode.PERMISSIVE }], name: 'x' });
    new StrictMtlsNamespace(c2, 'strict').addException({ selector: { app: 'y' }, portMtls: [{ port: 9090, mode: MtlsMode.STRICT }], name: 'y' });
    expect(Testing.synth(c2).filter((o) => o.metadata.name.endsWith('-plaintext'))).toEqual([]);
  });

  test('Linkerd: a PERMISSIVE port exception is admitted by the default-deny NetworkPolicy too', () => {
    const c = meshChart(Mesh.LINKERD, 'booksapp');
    const ns = new StrictMtlsNamespace(c, 'booksapp');
    ns.addException({ selector: { app: 'books' }, portMtls: [{ port: 9990, mode: MtlsMode.PERMISSIVE }], name: 'books-admin' });
    const out = Testing.synth(c);
    expect(ofKind(out, 'NetworkPolicy').map((n) => n.metadata.name)).toEqual(['default-deny', 'books-admin-plaintext']);
    expect(ofKind(out, 'NetworkPolicy')[1].spec.ingress).toEqual([{ ports: [{ port: 9990, protocol: 'TCP' }] }]);
  });

  test('a port-level exception without a selector fails at synth with a fix', () => {
    const c = meshChart();
    const ns = new StrictMtlsNamespace(c, 'bookinfo');
    expect(() => ns.addException({ portMtls: [{ port: 9090, mode: MtlsMode.PERMISSIVE }] }))
      .toThrow(/test\/bookinfo: exception has no selector: port-level mTLS needs a workload selector.*Fix: pass service: <MeshService> or selector/);
    expect(() => ns.addException({ mode: MtlsMode.PERMISSIVE })).toThrow(/without one it would change the mode of the whole namespace/);
    expect(() => ns.addException({ selector: { app: 'a' } })).toThrow(/sets neither mode nor ports/);
  });

  test('DISABLE vs STRICT: a DestinationRule sending plain text into a STRICT namespace fails the synth', () => {
    const c = meshChart(Mesh.ISTIO, 'bookinfo');
    new StrictMtlsNamespace(c, 'bookinfo');
    const reviews = reviewsService(c);
    new ClientTlsPolicy(c, 'reviews-plain', { service: reviews, tls: ClientTls.disable() });
    expect(() => Testing.synth(c)).toThrow(/trafficPolicy.tls.mode is DISABLE for reviews, but test\/bookinfo makes namespace bookinfo STRICT.*Fix: use ClientTls.istioMutual\(\)/);
  });

  test('DISABLE vs STRICT: a standalone DestinationRule subset naming the namespace by FQDN fails too; a PERMISSIVE exception makes it fine', () => {
    const c = meshChart(Mesh.ISTIO, 'other');
    new StrictMtlsNamespace(c, 'bookinfo');
    new DestinationRule(c, 'dr', { host: 'ratings.bookinfo.svc.cluster.local', subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: { tls: ClientTls.disable() } }] });
    expect(() => Testing.synth(c)).toThrow(/subset v1 trafficPolicy.tls.mode is DISABLE for ratings.bookinfo.svc.cluster.local/);

    const d = meshChart(Mesh.ISTIO, 'bookinfo');
    const ns = new StrictMtlsNamespace(d, 'bookinfo');
    const reviews = reviewsService(d);
    ns.addException({ service: reviews, mode: MtlsMode.PERMISSIVE });
    new ClientTlsPolicy(d, 'reviews-plain', { service: reviews, tls: ClientTls.disable() });
    expect(ofKind(batch.add('istio-disable-excepted', Testing.synth(d)), 'DestinationRule')[0].spec.trafficPolicy).toEqual({ tls: { mode: 'DISABLE' } });
  });

  test('ISTIO_MUTUAL and SIMPLE TLS render into the DestinationRule', () => {
    const c = meshChart(Mesh.ISTIO, 'bookinfo');
    new StrictMtlsNamespace(c, 'bookinfo');
    const reviews = reviewsService(c);
    new ClientTlsPolicy(c, 'tls', { service: reviews, tls: ClientTls.istioMutual({ sni: 'reviews.bookinfo.svc.cluster.local' }) });
    new ClientTlsPolicy(c, 'tls-v2', { service: reviews, version: 'v2', tls: ClientTls.simple({ credentialName: 'reviews-ca', subjectAltNames: ['reviews'] }) });
    const [dr] = ofKind(batch.add('istio-client-tls', Testing.synth(c)), 'DestinationRule');
    expect(dr.spec.trafficPolicy).toEqual({ tls: { mode: 'ISTIO_MUTUAL', sni: 'reviews.bookinfo.svc.cluster.local' } });
    expect(dr.spec.subsets[1].trafficPolicy).toEqual({ tls: { mode: 'SIMPLE', credentialName: 'reviews-ca', subjectAltNames: ['reviews'] } });
    expect(() => new ClientTlsPolicy(c, 'again', { service: reviews, tls: ClientTls.istioMutual() })).toThrow(/tls of reviews is already set by test\/tls/);
  });
});

describe('StrictMtlsNamespace on Linkerd and Cilium', () => {
  test('Linkerd: inject annotation and default-inbound-policy deny; no Istio resources', () => {
    const c = meshChart(Mesh.LINKERD, 'booksapp');
    new StrictMtlsNamespace(c, 'booksapp', { cni: true });
    const out = batch.add('linkerd-strict', Testing.synth(c));
    expect(ofKind(out, 'Namespace')[0].metadata.annotations).toEqual({ 'linkerd.io/inject': 'enabled', 'config.linkerd.io/default-inbound-policy': 'deny' });
    expect(ofKind(out, 'PeerAuthentication')).toEqual([]);
    expect(ofKind(out, 'NetworkPolicy')[0].spec.egress[1]).toEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'linkerd' } } }],
      ports: [{ port: 8080, protocol: 'TCP' }, { port: 8086, protocol: 'TCP' }, { port: 8090, protocol: 'TCP' }],
    });
    expect(out).toMatchSnapshot();
  });

  test('Linkerd: PERMISSIVE stage is all-unauthenticated; DISABLE does not exist; port exceptions become Servers', () => {
    const c = meshChart(Mesh.LINKERD, 'booksapp');
    const ns = new StrictMtlsNamespace(c, 'booksapp', { migration: MtlsMigration.stage(MtlsMode.PERMISSIVE) });
    ns.addException({ selector: { app: 'books' }, portMtls: [{ port: 9990, mode: MtlsMode.PERMISSIVE }], name: 'books-admin' });
    const out = batch.add('linkerd-permissive', Testing.synth(c));
    expect(ofKind(out, 'Namespace')[0].metadata.annotations['config.linkerd.io/default-inbound-policy']).toBe('all-unauthenticated');
    expect(ofKind(out, 'Server')[0].spec).toEqual({ podSelector: { matchLabels: { app: 'books' } }, port: 9990, accessPolicy: 'all-unauthenticated' });
    expect(() => new StrictMtlsNamespace(meshChart(Mesh.LINKERD), 'x', { migration: MtlsMigration.stage(MtlsMode.DISABLE) })).toThrow(/Linkerd always uses mTLS between meshed pods/);
    expect(() => ns.addException({ selector: { app: 'a' }, mode: MtlsMode.PERMISSIVE, name: 'a' })).toThrow(/cannot be set per workload on Linkerd/);
  });

  test('Cilium: restricted Pod Security, no injection, default deny NetworkPolicy with DNS only', () => {
    const c = meshChart(Mesh.CILIUM, 'shop');
    const ns = new StrictMtlsNamespace(c, 'shop');
    const out = batch.add('cilium-strict', Testing.synth(c));
    expect(ofKind(out, 'Namespace')[0].metadata.labels).toEqual({
      'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted',
    });
    expect(ofKind(out, 'NetworkPolicy')[0].spec.egress).toHaveLength(1);
    expect(() => ns.addException({ selector: { app: 'a' }, mode: MtlsMode.PERMISSIVE, name: 'a' })).toThrow(/cannot be rendered for cilium/);
  });
});

describe('MeshWideMtls', () => {
  test('STRICT PeerAuthentication named default in istio-system; optional allow-nothing', () => {
    const c = meshChart(Mesh.ISTIO, 'bookinfo');
    new MeshWideMtls(c, 'mesh', { denyByDefault: true });
    const out = batch.add('mesh-wide', Testing.synth(c));
    expect(out.map((o) => [o.kind, o.metadata.namespace, o.spec])).toEqual([
      ['PeerAuthentication', 'istio-system', { mtls: { mode: 'STRICT' } }],
      ['AuthorizationPolicy', 'istio-system', {}],
    ]);
  });

  test('a plain-text DestinationRule anywhere fails, unless its namespace is at an earlier stage', () => {
    const c = meshChart(Mesh.ISTIO, 'bookinfo');
    new MeshWideMtls(c, 'mesh');
    new ClientTlsPolicy(c, 'plain', { service: reviewsService(c), tls: ClientTls.disable() });
    expect(() => Testing.synth(c)).toThrow(/test\/mesh makes the whole mesh STRICT/);
    const d = meshChart(Mesh.ISTIO, 'bookinfo');
    new MeshWideMtls(d, 'mesh');
    new StrictMtlsNamespace(d, 'bookinfo', { migration: MtlsMigration.stage(MtlsMode.PERMISSIVE) });
    new ClientTlsPolicy(d, 'plain', { service: reviewsService(d), tls: ClientTls.disable() });
    expect(() => Testing.synth(d)).not.toThrow();
  });

  test('only Istio has a mesh-wide policy resource', () => {
    expect(() => new MeshWideMtls(meshChart(Mesh.LINKERD), 'm')).toThrow(/set proxy.defaultInboundPolicy in the Linkerd install values/);
  });
});

test('the deprecated ports record renders like portMtls; a port in both is rejected', () => {
  const render = (exception: Omit<MtlsException, 'selector' | 'name'>) => {
    const c = meshChart(Mesh.ISTIO, 'bookinfo');
    new StrictMtlsNamespace(c, 'bookinfo').addException({ selector: { app: 'x' }, name: 'x', ...exception });
    return Testing.synth(c);
  };
  expect(render({ ports: { 9090: MtlsMode.PERMISSIVE, 80: MtlsMode.STRICT } }))
    .toEqual(render({ portMtls: [{ port: 80, mode: MtlsMode.STRICT }, { port: 9090, mode: MtlsMode.PERMISSIVE }] }));
  expect(() => render({ ports: { 9090: MtlsMode.PERMISSIVE }, portMtls: [{ port: 9090, mode: MtlsMode.STRICT }] }))
    .toThrow(/exception.portMtls sets port 9090 twice \(with exception.ports\)/);
});

test('synth is deterministic', () => {
  const make = () => {
    const c = meshChart(Mesh.ISTIO, 'bookinfo');
    const ns = new StrictMtlsNamespace(c, 'bookinfo', { cni: true });
    ns.addException({ selector: { app: 'x' }, portMtls: [{ port: 2, mode: MtlsMode.PERMISSIVE }, { port: 1, mode: MtlsMode.DISABLE }], name: 'x' });
    return Testing.synth(c);
  };
  expect(JSON.stringify(make())).toEqual(JSON.stringify(make()));
});

test('every scenario is schema-valid', () => {
  expect(batch.size).toBeGreaterThan(8);
  expect(batch.problems()).toEqual([]);
});

test('STRICT namespaces share one look at the app\'s DestinationRules per synth, however many there are', () => {
  const c = meshChart();
  for (const ns of ['a', 'b', 'c', 'd']) new StrictMtlsNamespace(c, ns);
  new DestinationRule(c, 'dr', { host: 'reviews' });
  const rendered = jest.spyOn(l1.DestinationRule.prototype, 'toJson');
  try {
    Testing.synth(c);
    expect(rendered).toHaveBeenCalledTimes(2); // the namespaces' check, then the chart's output
  } finally {
    rendered.mockRestore();
  }
});
