import { App, Testing } from 'cdk8s';
import { analyze } from '../../src/analysis/analyze';
import { authorizationReferencesAnalyzer } from '../../src/analysis/checks/authorization-references';
import { mtlsConflictsAnalyzer } from '../../src/analysis/checks/mtls-conflicts';
import { Finding, Severity } from '../../src/analysis/finding';
import { Manifest } from '../../src/analysis/manifest';
import { ManifestIndex } from '../../src/analysis/manifest-index';
import { createApp } from '../../examples/security/main';
import { SchemaBatch } from '../support/schema';

const batch = new SchemaBatch();

function run(analyzer: { analyze(i: ManifestIndex): Finding[] }, ...manifests: Manifest[]): Finding[] {
  return analyzer.analyze(new ManifestIndex(manifests));
}

const sa = (name: string, namespace = 'shop'): Manifest => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
const ns = (name: string): Manifest => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const authz = (name: string, spec: any, namespace = 'shop'): Manifest => ({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace }, spec });
const pa = (name: string, spec: any, namespace = 'shop'): Manifest => ({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name, namespace }, spec });
const dr = (host: string, trafficPolicy: any, namespace = 'shop', subsets?: any[]): Manifest => ({
  apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: host.split('.')[0], namespace }, spec: { host, trafficPolicy, subsets },
});
const allowFrom = (source: any) => ({ action: 'ALLOW', rules: [{ from: [{ source }] }] });

describe('MESH0201 allow rules naming undefined identities', () => {
  test('a principal naming a ServiceAccount the namespace does not define', () => {
    const f = run(authorizationReferencesAnalyzer, sa('frontend'), authz('api', allowFrom({ principals: ['cluster.local/ns/shop/sa/frontnd'] })));
    expect(f).toEqual([{
      code: 'MESH0201', severity: Severity.WARNING, resource: 'AuthorizationPolicy shop/api',
      message: expect.stringMatching(/rules\[0\].from\[0\].source.principals names principal cluster.local\/ns\/shop\/sa\/frontnd, but namespace shop defines no ServiceAccount frontnd \(it has default, frontend\).*Fix:/),
    }]);
  });

  test("a policy admitting other clusters' callers names their ServiceAccounts, which this cluster need not define", () => {
    const plain = authz('api-remote-callers', allowFrom({ principals: ['cluster.local/ns/shop/sa/checkout'] }));
    const remote: Manifest = { ...plain, metadata: { ...plain.metadata, annotations: { 'mesh.cdk8s.io/remote-callers-from': 'east' } } };
    expect(run(authorizationReferencesAnalyzer, sa('frontend'), remote)).toEqual([]);
    // the same policy without the annotation is a typo to report
    expect(run(authorizationReferencesAnalyzer, sa('frontend'), authz('api', allowFrom({ principals: ['cluster.local/ns/shop/sa/checkout'] }))).map((x) => x.code)).toEqual(['MESH0201']);
  });

  test('a principal with a wildcard trust domain still names one ServiceAccount', () => {
    const f = run(authorizationReferencesAnalyzer, sa('frontend'), authz('api', allowFrom({ principals: ['*/ns/shop/sa/frontnd', '*/ns/shop/sa/frontend'] })));
    expect(f.map((x) => [x.code, x.message.split(',')[0]])).toEqual([['MESH0201', 'rules[0].from[0].source.principals names principal */ns/shop/sa/frontnd']]);
  });

  test('no finding without ServiceAccounts of that namespace, for wildcards, or for existing ones', () => {
    expect(run(authorizationReferencesAnalyzer, authz('api', allowFrom({ principals: ['cluster.local/ns/shop/sa/anything'] })))).toEqual([]);
    expect(run(authorizationReferencesAnalyzer, sa('x', 'other'), authz('api', allowFrom({ principals: ['cluster.local/ns/shop/sa/anything'] })))).toEqual([]);
    expect(run(authorizationReferencesAnalyzer, sa('frontend'), authz('api', allowFrom({ principals: ['cluster.local/ns/shop/sa/*', 'cluster.local/ns/shop/sa/frontend', 'cluster.local/ns/shop/sa/default'] })))).toEqual([]);
  });

  test('a source namespace that is not defined is IST0101 (as in Istio), only when Namespaces are in the set', () => {
    expect(run(authorizationReferencesAnalyzer, authz('api', allowFrom({ namespaces: ['prodution'] })))).toEqual([]);
    const f = run(authorizationReferencesAnalyzer, ns('shop'), ns('production'), authz('api', allowFrom({ namespaces: ['prodution', 'istio-system', 'production'] })));
    expect(f.map((x) => [x.code, x.message])).toEqual([['IST0101', expect.stringMatching(/names namespace prodution, which is not a namespace the manifests define \(they define production, shop\)/)]]);
  });

  test("notNamespaces count too, and Istio's prefix* / *suffix expressions must match a namespace", () => {
    const f = run(authorizationReferencesAnalyzer, ns('shop'), ns('prod-eu'), authz('api', allowFrom({ namespaces: ['prod-*', '*-eu', '*', 'dev-*'], notNamespaces: ['*-us'] })));
    expect(f.map((x) => x.message.split(',')[0])).toEqual([
      'rules[0].from[0].source.namespaces names namespace dev-*', 'rules[0].from[0].source.notNamespaces names namespace *-us',
    ]);
  });

  test('Linkerd MeshTLSAuthentication ServiceAccount refs', () => {
    const m: Manifest = { apiVersion: 'policy.linkerd.io/v1alpha1', kind: 'MeshTLSAuthentication', metadata: { name: 'm', namespace: 'shop' },
      spec: { identityRefs: [{ kind: 'ServiceAccount', name: 'webap' }, { kind: 'ServiceAccount', name: 'webapp' }] } };
    const f = run(authorizationReferencesAnalyzer, sa('webapp'), m);
    expect(f.map((x) => [x.code, x.resource])).toEqual([['MESH0201', 'MeshTLSAuthentication shop/m']]);
    expect(f[0].message).toMatch(/identityRefs\[0\] names ServiceAccount shop\/webap/);
  });
});

describe('MESH0202 DENY or AUDIT without rules', () => {
  test('is an error; the allow-nothing ALLOW is fine', () => {
    const f = run(authorizationReferencesAnalyzer, authz('deny-all', { action: 'DENY' }), authz('audit', { action: 'AUDIT', rules: [] }), authz('allow-nothing', {}));
    expect(f.map((x) => [x.code, x.severity, x.resource])).toEqual([
      ['MESH0202', Severity.ERROR, 'AuthorizationPolicy shop/deny-all'],
      ['MESH0202', Severity.ERROR, 'AuthorizationPolicy shop/audit'],
    ]);
    expect(f[0].message).toMatch(/it denies nothing; an ALLOW policy with no rules, spec: \{\}, is the deny-all baseline/);
  });
});

describe('MESH0205 JWT checks without a RequestAuthentication', () => {
  test('warns when no RequestAuthentication is in the namespace or the root namespace', () => {
    const requireJwt = authz('require-jwt', { rules: [{ from: [{ source: { requestPrincipals: ['*'] } }] }] });
    const claims = authz('claims', { rules: [{ when: [{ key: 'request.auth.claims[role]', values: ['admin'] }] }] });
    const f = run(authorizationReferencesAnalyzer, requireJwt, claims);
    expect(f.map((x) => [x.code, x.severity, x.resource])).toEqual([
      ['MESH0205', Severity.WARNING, 'AuthorizationPolicy shop/require-jwt'],
      ['MESH0205', Severity.WARNING, 'AuthorizationPolicy shop/claims'],
    ]);
    const ra = (namespace: string): Manifest => ({ apiVersion: 'security.istio.io/v1', kind: 'RequestAuthentication', metadata: { name: 'jwt', namespace }, spec: { jwtRules: [{ issuer: 'x' }] } });
    expect(run(authorizationReferencesAnalyzer, requireJwt, ra('shop'))).toEqual([]);
    expect(run(authorizationReferencesAnalyzer, requireJwt, ra('istio-system'))).toEqual([]);
    expect(run(authorizationReferencesAnalyzer, requireJwt, ra('other'))).toHaveLength(1);
  });
});

describe('MESH0203 port-level mTLS without a selector', () => {
  test('namespace-wide portLevelMtls is flagged; with a selector it is fine', () => {
    const f = run(mtlsConflictsAnalyzer, pa('default', { mtls: { mode: 'STRICT' }, portLevelMtls: { 9090: { mode: 'PERMISSIVE' } } }),
      pa('legacy', { selector: { matchLabels: { app: 'legacy' } }, portLevelMtls: { 9090: { mode: 'DISABLE' } } }));
    expect(f.map((x) => [x.code, x.severity, x.resource])).toEqual([['MESH0203', Severity.ERROR, 'PeerAuthentication shop/default']]);
    expect(f[0].message).toMatch(/sets portLevelMtls for port\(s\) 9090 without a selector.*Fix: add selector.matchLabels/);
  });
});

describe('MESH0204 DestinationRule DISABLE vs STRICT PeerAuthentication', () => {
  test('namespace-wide STRICT in the host\'s namespace', () => {
    const f = run(mtlsConflictsAnalyzer, pa('default', { mtls: { mode: 'STRICT' } }), dr('reviews', { tls: { mode: 'DISABLE' } }));
    expect(f).toEqual([{ code: 'MESH0204', severity: Severity.ERROR, resource: 'DestinationRule shop/reviews', message: expect.stringMatching(
      /trafficPolicy.tls.mode is DISABLE for reviews.shop.svc.cluster.local, but PeerAuthentication shop\/default makes namespace shop STRICT.*retired IST0113/) }]);
  });

  test('mesh-wide STRICT, unless the namespace overrides; subsets and port-level settings count', () => {
    const mesh = pa('default', { mtls: { mode: 'STRICT' } }, 'istio-system');
    const f = run(mtlsConflictsAnalyzer, mesh, dr('ratings.shop.svc.cluster.local', undefined, 'other', [{ name: 'v1', trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'DISABLE' } }] } }]));
    expect(f.map((x) => x.message)).toEqual([expect.stringMatching(/subset v1 trafficPolicy.portLevelSettings\[0\].tls.mode is DISABLE .* makes the mesh STRICT/)]);
    expect(run(mtlsConflictsAnalyzer, mesh, pa('default', { mtls: { mode: 'PERMISSIVE' } }), dr('reviews', { tls: { mode: 'DISABLE' } }))).toEqual([]);
  });

  test('a PERMISSIVE workload policy covering the Service\'s pods is an exception', () => {
    const svc: Manifest = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'shop' }, spec: { selector: { app: 'reviews' }, ports: [{ name: 'http', port: 9080 }] } };
    const strict = pa('default', { mtls: { mode: 'STRICT' } });
    const plain = dr('reviews', { tls: { mode: 'DISABLE' } });
    expect(run(mtlsConflictsAnalyzer, svc, strict, pa('reviews', { selector: { matchLabels: { app: 'reviews' } }, mtls: { mode: 'PERMISSIVE' } }), plain)).toEqual([]);
    expect(run(mtlsConflictsAnalyzer, svc, strict, pa('other', { selector: { matchLabels: { app: 'other' } }, mtls: { mode: 'PERMISSIVE' } }), plain)).toHaveLength(1);
  });

  test('ISTIO_MUTUAL, external hosts and PERMISSIVE namespaces are fine', () => {
    const strict = pa('default', { mtls: { mode: 'STRICT' } });
    expect(run(mtlsConflictsAnalyzer, strict, dr('reviews', { tls: { mode: 'ISTIO_MUTUAL' } }), dr('api.example.com', { tls: { mode: 'DISABLE' } }))).toEqual([]);
  });
});

describe('the security example', () => {
  test('synthesizes with no error findings, and its principals name ServiceAccounts of the output', () => {
    const app: App = createApp(Testing.app().outdir);
    const manifests = batch.add('example', app.charts.flatMap((c) => c.toJson()));
    const findings = analyze(manifests);
    expect(findings.filter((f) => f.severity === Severity.ERROR)).toEqual([]);
    expect(findings.filter((f) => f.code.startsWith('MESH02'))).toEqual([]);
    const serviceAccounts = new Set(manifests.filter((m) => m.kind === 'ServiceAccount').map((m) => `${m.metadata.namespace}/${m.metadata.name}`));
    const principals = manifests.filter((m) => m.kind === 'AuthorizationPolicy' && m.apiVersion.startsWith('security.istio.io'))
      .flatMap((m) => (m.spec.rules ?? []).flatMap((r: any) => (r.from ?? []).flatMap((f: any) => f.source.principals ?? [])))
      .filter((p: string) => !p.includes('/ns/istio-system/'));
    expect(principals.length).toBeGreaterThan(2);
    for (const p of principals) {
      const [, namespace, , name] = p.split('/').slice(1);
      expect(serviceAccounts).toContain(`${namespace}/${name}`);
    }
    const kinds = new Set(manifests.map((m) => `${m.apiVersion}/${m.kind}`));
    for (const k of ['security.istio.io/v1/PeerAuthentication', 'security.istio.io/v1/RequestAuthentication', 'networking.k8s.io/v1/NetworkPolicy',
      'policy.linkerd.io/v1beta3/Server', 'policy.linkerd.io/v1alpha1/AuthorizationPolicy', 'policy.linkerd.io/v1alpha1/MeshTLSAuthentication', 'cilium.io/v2/CiliumNetworkPolicy']) {
      expect(kinds).toContain(k);
    }
    expect(manifests).toMatchSnapshot();
  });
});

test('the example is schema-valid', () => {
  expect(batch.size).toBe(1);
  expect(batch.problems()).toEqual([]);
});
