import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { createMesh, NAMESPACE } from '../../examples/multicluster-linkerd/main';
import { sharedDir, validateTargetDirs, writeTargetManifest } from '../../scripts/target-crds';
import { MultiClusterMesh } from '../../src/multicluster';
import { validateSchemas } from '../support/schema';
import { secretFields, secretsIn } from '../support/secret-scan';

// The Linkerd variant synthesized once, as `npm run synth` writes it: dist/multicluster-linkerd/<cluster>/.
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'multicluster-linkerd-example-'));
const mesh = createMesh(outdir);
mesh.synth();
for (const c of mesh.clusters) writeTargetManifest(mesh.app(c.name), path.join(outdir, c.name));

function files(cluster: string): string[] {
  return fs.readdirSync(path.join(outdir, cluster)).sort();
}

function objects(cluster: string): any[] {
  return files(cluster).filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(outdir, cluster, f), 'utf8')).map((d) => d.toJSON()).filter((o) => o));
}

const find = (c: string, kind: string, name: string) => objects(c).filter((o) => o.kind === kind && o.metadata.name === name);

test('one folder per cluster, with its charts and its linkerd-multicluster values', () => {
  expect(fs.readdirSync(outdir).sort()).toEqual(['east', 'west']);
  for (const c of ['east', 'west']) expect(files(c)).toEqual(['bookinfo.k8s.yaml', MultiClusterMesh.LINKERD_VALUES_FILE, 'multicluster.k8s.yaml', 'target.json']);
});

test('productpage and details run in east, reviews and ratings in west, with Linkerd proxies injected', () => {
  const deployments = (c: string) => objects(c).filter((o) => o.kind === 'Deployment');
  expect(deployments('east').map((o) => o.metadata.name).sort()).toEqual(['details-v1', 'productpage-v1']);
  expect(deployments('west').map((o) => o.metadata.name).sort()).toEqual(['ratings-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3']);
  for (const c of ['east', 'west']) expect(find(c, 'Namespace', NAMESPACE)[0].metadata.annotations['linkerd.io/inject']).toBe('enabled');
});

/** Linkerd's identity of a ServiceAccount (policy-controller cluster_info.rs service_account_identity), trust domain cluster.local. */
const identity = (namespace: string, serviceAccount: string) => `${serviceAccount}.${namespace}.serviceaccount.identity.linkerd.cluster.local`;
const GATEWAY = identity('linkerd-multicluster', 'linkerd-gateway');

/** Each Server of a cluster: its pods and port, its own access policy, and the identities its AuthorizationPolicies admit. */
function servers(c: string): Record<string, { app: string; port: number; accessPolicy: string; admits: string[] }> {
  const objs = objects(c);
  const auths = new Map(objs.filter((o) => o.kind === 'MeshTLSAuthentication').map((o) => [o.metadata.name, o.spec]));
  return Object.fromEntries(objs.filter((o) => o.kind === 'Server').map((s) => {
    const admits = objs.filter((p) => p.kind === 'AuthorizationPolicy' && p.spec.targetRef.kind === 'Server' && p.spec.targetRef.name === s.metadata.name)
      .flatMap((p) => p.spec.requiredAuthenticationRefs.map((ref: any) => {
        expect(ref.kind).toBe('MeshTLSAuthentication'); // no network-only admission
        return auths.get(ref.name);
      }))
      .flatMap((spec: any) => [...(spec.identities ?? []), ...(spec.identityRefs ?? []).map((i: any) => identity(i.namespace, i.name))]);
    return [s.metadata.name, { app: s.spec.podSelector.matchLabels.app, port: s.spec.port, accessPolicy: s.spec.accessPolicy, admits: admits.sort() }];
  }));
}

test('each cluster\'s namespace denies by default (Linkerd default-inbound-policy deny), with no NetworkPolicy', () => {
  for (const c of ['east', 'west']) {
    expect(find(c, 'Namespace', NAMESPACE)[0].metadata.annotations).toEqual({ 'linkerd.io/inject': 'enabled', 'config.linkerd.io/default-inbound-policy': 'deny' });
    // east's default-deny egress could not name west's gateway address: the identity-based deny does the work
    expect(objects(c).filter((o) => o.kind === 'NetworkPolicy')).toEqual([]);
  }
});

test('east: productpage -> details is allowed by productpage\'s ServiceAccount; nothing admits productpage', () => {
  expect(servers('east')).toEqual({
    'details-http': { app: 'details', port: 9080, accessPolicy: 'deny', admits: [identity(NAMESPACE, 'bookinfo-productpage')] },
  });
});

test('west: reviews -> ratings is allowed by reviews\' ServiceAccount, and reviews admits west\'s linkerd-gateway (productpage\'s calls from east)', () => {
  expect(servers('west')).toEqual({
    'ratings-http': { app: 'ratings', port: 9080, accessPolicy: 'deny', admits: [identity(NAMESPACE, 'bookinfo-reviews')] },
    'reviews-http': { app: 'reviews', port: 9080, accessPolicy: 'deny', admits: [GATEWAY] },
  });
});

test('the gateway is admitted on reviews in west only: no other service, and nothing in east, names it', () => {
  const naming = (c: string) => objects(c).filter((o) => JSON.stringify(o).includes('linkerd-gateway')).map((o) => `${o.kind}/${o.metadata.name}`);
  expect(naming('east')).toEqual([]);
  expect(naming('west')).toEqual(['MeshTLSAuthentication/reviews-http-from-linkerd-gateway', 'AuthorizationPolicy/reviews-http-from-linkerd-gateway']);
  expect(find('west', 'AuthorizationPolicy', 'reviews-http-from-linkerd-gateway')[0].spec).toEqual({
    targetRef: { group: 'policy.linkerd.io', kind: 'Server', name: 'reviews-http' },
    requiredAuthenticationRefs: [{ group: 'policy.linkerd.io', kind: 'MeshTLSAuthentication', name: 'reviews-http-from-linkerd-gateway' }],
  });
});

test('the pods stay Ready: their HTTP probes hit Servers without HTTPRoutes, where Linkerd\'s default probe route admits them', () => {
  for (const c of ['east', 'west']) {
    const probes = objects(c).filter((o) => o.kind === 'Deployment').flatMap((d) => d.spec.template.spec.containers.flatMap((k: any) => [k.readinessProbe, k.startupProbe].filter(Boolean)));
    expect(probes.length).toBeGreaterThan(0);
    for (const p of probes) expect(p.httpGet.port).toBe(9080);
    // a Server with an HTTPRoute would drop the default probe route (the renderer then adds its own)
    expect(objects(c).filter((o) => o.kind === 'HTTPRoute' && o.spec.parentRefs.some((r: any) => r.kind === 'Server'))).toEqual([]);
  }
});

test('west exports reviews through its gateway; only its main Service, not the version Services', () => {
  const services = objects('west').filter((o) => o.kind === 'Service' && o.metadata.name.startsWith('reviews'));
  expect(services.map((o) => [o.metadata.name, o.metadata.labels['mirror.linkerd.io/exported']])).toEqual([
    ['reviews', 'true'], ['reviews-v1', undefined], ['reviews-v2', undefined], ['reviews-v3', undefined],
  ]);
});

test('east gets the stub reviews and the HTTPRoute to the mirror reviews-west', () => {
  const [stub] = find('east', 'Service', 'reviews');
  expect(stub.spec.selector).toBeUndefined();
  expect(find('east', 'HTTPRoute', 'reviews')[0].spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews-west', port: 9080, weight: 1 }]);
  expect(find('east', 'Namespace', NAMESPACE)).toHaveLength(1); // the stub's namespace yields to the app chart
});

test('east holds the Link to west (the link-gen command, not the Link); west runs the gateway', () => {
  const values = (c: string) => fs.readFileSync(path.join(outdir, c, MultiClusterMesh.LINKERD_VALUES_FILE), 'utf8');
  expect(values('east')).toContain('linkerd --context=west multicluster link-gen --cluster-name=west | kubectl --context=east apply -f -');
  expect(parseAllDocuments(values('east'))[0].toJSON()).toEqual({ gateway: { enabled: false }, controllers: [{ link: { ref: { name: 'west' } } }] });
  expect(parseAllDocuments(values('west'))[0].toJSON()).toEqual({ gateway: { enabled: true }, controllers: [] });
  for (const c of ['east', 'west']) {
    expect(objects(c).filter((o) => o.kind === 'Link')).toEqual([]);
    expect(secretsIn(objects(c))).toEqual([]);
    expect(secretFields(parseAllDocuments(values(c))[0].toJSON(), 'values')).toEqual([]);
  }
});

test('the diagram shows the mirror and the crossing through west\'s linkerd-gateway', () => {
  expect(mesh.diagram()).toContain('n_east__bookinfo__reviews_west ==>|"mTLS via linkerd-gateway :4143"| n_west__bookinfo__reviews');
});

test('every object validates against the npm schema validators', () => {
  const all = ['east', 'west'].flatMap(objects);
  const report = validateSchemas(all);
  expect(report.invalid).toEqual([]);
  expect(all.some((o) => o.kind === 'HTTPRoute')).toBe(true);
});

const shared = sharedDir();
(shared ? test : test.skip)('every cluster folder validates with kube-validate against the Linkerd and Gateway API CRDs of its target', () => {
  const r = validateTargetDirs(['east', 'west'].map((c) => path.join(outdir, c)), shared!);
  expect(r.problems).toEqual([]);
  expect(r.folders).toBe(2);
});

test('snapshot of every cluster folder', () => {
  const all: Record<string, string> = {};
  for (const c of ['east', 'west']) for (const f of files(c)) all[`${c}/${f}`] = fs.readFileSync(path.join(outdir, c, f), 'utf8');
  expect(all).toMatchSnapshot();
});
