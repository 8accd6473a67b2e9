import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { Mesh, useMesh } from '../../src/core/mesh';
import { ClusterAffinity, ClusterRole, GlobalServiceProps, MeshCluster, MultiClusterMesh } from '../../src/multicluster';
import { LocalityLoadBalancing } from '../../src/resilience/locality-load-balancing';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { validateSchemas } from '../support/schema';
import { secretFields, secretsIn, TLS_MATERIAL_KEYS } from '../support/secret-scan';

const east = (extra: object = {}) => new MeshCluster({ name: 'east', network: 'net1', meshId: 'mesh1', clusterId: 1, ...extra });
const west = (extra: object = {}) => new MeshCluster({ name: 'west', network: 'net1', meshId: 'mesh1', clusterId: 2, ...extra });
const reviews: GlobalServiceProps = {
  name: 'reviews', namespace: 'bookinfo', ports: [{ name: 'http', port: 9080 }], runsIn: ['west'], calledFrom: ['east'],
  remoteCallers: [{ cluster: 'east', serviceAccount: 'productpage' }],
};

/** A chart of the cluster's App on Cilium with a MeshService per name. */
function serve(mesh: MultiClusterMesh, cluster: string, ...names: string[]): Chart {
  const chart = new Chart(mesh.app(cluster), `${cluster}-apps`, { namespace: 'bookinfo' });
  useMesh(chart, Mesh.CILIUM);
  for (const n of names) new MeshService(chart, n, { ports: [ServicePort.http(9080)], renderServices: true });
  return chart;
}

function cilium(clusters = [east(), west()]): MultiClusterMesh {
  return new MultiClusterMesh({ mesh: Mesh.CILIUM, clusters, outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-mc-')) });
}

/** The reviews scenario: reviews runs in west, productpage in east calls it. */
function scenario(props: Partial<GlobalServiceProps> = {}): MultiClusterMesh {
  const mesh = cilium();
  serve(mesh, 'west', 'reviews');
  serve(mesh, 'east', 'productpage');
  mesh.addGlobalService({ ...reviews, ...props });
  return mesh;
}

/** Every object written for a cluster, after synth. */
function written(mesh: MultiClusterMesh, cluster: string): any[] {
  const dir = path.join(mesh.outdir, cluster);
  return fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS()));
}

const find = (objs: any[], kind: string, name: string) => objs.filter((o) => o.kind === kind && o.metadata.name === name);

describe('MultiClusterMesh (Cilium ClusterMesh)', () => {
  test('the Service where it runs is the user\'s, annotated global and shared, with the affinity', () => {
    const mesh = scenario({ affinity: ClusterAffinity.LOCAL });
    mesh.synth();
    const [svc] = find(written(mesh, 'west'), 'Service', 'reviews');
    expect(find(written(mesh, 'west'), 'Service', 'reviews')).toHaveLength(1);
    expect(svc.metadata.annotations).toEqual({ 'service.cilium.io/global': 'true', 'service.cilium.io/shared': 'true', 'service.cilium.io/affinity': 'local' });
    expect(svc.spec.selector).toEqual({ app: 'reviews' });
  });

  test('a calling cluster that does not run it gets a stub: global, not shared, same ports, no selector', () => {
    const mesh = scenario();
    mesh.synth();
    const stubs = find(written(mesh, 'east'), 'Service', 'reviews');
    expect(stubs).toEqual([{
      apiVersion: 'v1', kind: 'Service',
      metadata: {
        name: 'reviews', namespace: 'bookinfo', labels: { app: 'reviews' },
        annotations: { 'service.cilium.io/affinity': 'none', 'service.cilium.io/global': 'true', 'service.cilium.io/shared': 'false' },
      },
      spec: { ports: [{ name: 'http', port: 9080 }] },
    }]);
  });

  test('the policy in the serving cluster admits exactly the declared callers of the other clusters, by cluster label, without default deny', () => {
    const mesh = scenario({ remoteCallers: [{ cluster: 'east', serviceAccount: 'productpage' }, { cluster: 'east', serviceAccount: 'tester', namespace: 'qa' }] });
    mesh.synth();
    const [policy] = find(written(mesh, 'west'), 'CiliumNetworkPolicy', 'reviews-remote-callers');
    expect(policy.apiVersion).toBe('cilium.io/v2');
    expect(policy.metadata.namespace).toBe('bookinfo');
    expect(policy.spec.endpointSelector).toEqual({ matchLabels: { app: 'reviews' } });
    expect(policy.spec.enableDefaultDeny).toEqual({ ingress: false, egress: false });
    expect(policy.spec.ingress).toEqual([{
      fromEndpoints: [
        { matchLabels: { 'io.cilium.k8s.policy.cluster': 'east', 'k8s:io.cilium.k8s.policy.serviceaccount': 'productpage', 'k8s:io.kubernetes.pod.namespace': 'bookinfo' } },
        { matchLabels: { 'io.cilium.k8s.policy.cluster': 'east', 'k8s:io.cilium.k8s.policy.serviceaccount': 'tester', 'k8s:io.kubernetes.pod.namespace': 'qa' } },
      ],
      toPorts: [{ ports: [{ port: '9080', protocol: 'TCP' }] }],
    }]);
    expect(policy.spec.egress).toBeUndefined();
  });

  test('the policy in the calling cluster lets the caller out to the service\'s pods of the serving clusters', () => {
    const mesh = scenario();
    mesh.synth();
    const [policy] = find(written(mesh, 'east'), 'CiliumNetworkPolicy', 'productpage-to-remote-reviews');
    expect(policy.spec.endpointSelector).toEqual({ matchLabels: { 'k8s:io.cilium.k8s.policy.serviceaccount': 'productpage' } });
    expect(policy.spec.enableDefaultDeny).toEqual({ ingress: false, egress: false });
    expect(policy.spec.egress).toEqual([{
      toEndpoints: [{ matchLabels: { 'app': 'reviews', 'io.cilium.k8s.policy.cluster': 'west', 'k8s:io.kubernetes.pod.namespace': 'bookinfo' } }],
      toPorts: [{ ports: [{ port: '9080', protocol: 'TCP' }] }],
    }]);
    expect(find(written(mesh, 'west'), 'CiliumNetworkPolicy', 'productpage-to-remote-reviews')).toEqual([]);
  });

  test('a service running in both clusters: each Service global and shared, each cluster admits the other\'s callers only', () => {
    const mesh = cilium();
    serve(mesh, 'east', 'ratings');
    serve(mesh, 'west', 'ratings');
    mesh.addGlobalService({ name: 'ratings', namespace: 'bookinfo', ports: [{ name: 'http', port: 9080 }], runsIn: ['east', 'west'],
      remoteCallers: [{ cluster: 'east', serviceAccount: 'reviews' }, { cluster: 'west', serviceAccount: 'reviews' }] });
    mesh.synth();
    for (const [c, other] of [['east', 'west'], ['west', 'east']]) {
      const objs = written(mesh, c);
      expect(find(objs, 'Service', 'ratings').map((s) => s.metadata.annotations['service.cilium.io/shared'])).toEqual(['true']);
      const [ingress] = find(objs, 'CiliumNetworkPolicy', 'ratings-remote-callers');
      expect(ingress.spec.ingress[0].fromEndpoints.map((e: any) => e.matchLabels['io.cilium.k8s.policy.cluster'])).toEqual([other]);
      const [egress] = find(objs, 'CiliumNetworkPolicy', 'reviews-to-remote-ratings');
      expect(egress.spec.egress.map((r: any) => r.toEndpoints[0].matchLabels['io.cilium.k8s.policy.cluster'])).toEqual([other]);
    }
  });

  test('no remote callers: no policy, only the annotations', () => {
    const mesh = scenario({ remoteCallers: undefined });
    mesh.synth();
    expect([...written(mesh, 'east'), ...written(mesh, 'west')].filter((o) => o.kind === 'CiliumNetworkPolicy' && o.metadata.name.includes('remote'))).toEqual([]);
  });

  test('synth twice writes the same folders', () => {
    const mesh = scenario();
    mesh.synth();
    const first = ['east', 'west'].map((c) => written(mesh, c));
    mesh.synth();
    expect(['east', 'west'].map((c) => written(mesh, c))).toEqual(first);
  });

  test('cilium-install.values per cluster: cluster name and ID, clustermesh-apiserver, policies local unless they name a cluster', () => {
    const mesh = scenario();
    mesh.synth();
    const dir = path.join(mesh.outdir, 'west');
    expect(fs.readdirSync(dir).sort()).toEqual(['cilium-install.values', 'multicluster.k8s.yaml', 'west-apps.k8s.yaml']);
    const text = fs.readFileSync(path.join(dir, 'cilium-install.values'), 'utf8');
    expect(text).toMatch(/^# Cilium install values for cluster west.*Not a Kubernetes manifest/);
    expect(parseAllDocuments(text)[0].toJS()).toEqual({ cluster: { name: 'west', id: 2 }, clustermesh: { useAPIServer: true, policyDefaultLocalCluster: true } });
  });

  test('no Secret and no secret data in any object or values file', () => {
    const mesh = scenario({ affinity: ClusterAffinity.REMOTE });
    mesh.synth();
    let count = 0;
    for (const c of ['east', 'west']) {
      const objs = written(mesh, c);
      count += objs.length;
      expect(secretsIn(objs, TLS_MATERIAL_KEYS)).toEqual([]);
      const values = parseAllDocuments(fs.readFileSync(path.join(mesh.outdir, c, 'cilium-install.values'), 'utf8'))[0].toJS();
      expect(secretFields(values, 'values', TLS_MATERIAL_KEYS)).toEqual([]);
      expect(JSON.stringify(values)).not.toMatch(/tls|secret|BEGIN/i);
    }
    expect(count).toBeGreaterThan(5);
  });

  test('the diagram: clusters with their ID and clustermesh-apiserver, stubs dashed, calls pod to pod with the allowed callers', () => {
    const d = scenario({ affinity: ClusterAffinity.LOCAL }).diagram();
    expect(d).toContain('subgraph n_west["west (Cilium cluster 2)"]');
    expect(d).toContain('n_east__bookinfo__reviews("bookinfo/reviews (stub, not shared)"):::stub');
    expect(d).toContain('n_east__bookinfo__reviews ==>|"pod to pod, affinity local; allowed: bookinfo/productpage"| n_west__bookinfo__reviews');
    expect(d).toContain('n_east -.->|"agents read services and identities (etcd, mTLS)"| n_west__clustermesh_apiserver');
    expect(d).toMatchSnapshot();
  });

  test('every scenario\'s objects validate against the kubernetes-models schemas (@kubernetes-models/cilium included)', () => {
    const meshes = [scenario(), scenario({ affinity: ClusterAffinity.REMOTE, remoteCallers: [{ cluster: 'east', serviceAccount: 'productpage' }, { cluster: 'east', serviceAccount: 'qa', namespace: 'qa' }] })];
    const all = meshes.flatMap((m) => { m.synth(); return [...written(m, 'east'), ...written(m, 'west')]; });
    const report = validateSchemas(all);
    expect(report.invalid).toEqual([]);
    expect(report.unchecked).toEqual([]);
    expect(all.filter((o) => o.kind === 'CiliumNetworkPolicy').length).toBeGreaterThanOrEqual(4);
  });

  test('snapshot: reviews in west called from east', () => {
    const mesh = scenario();
    mesh.synth();
    expect(['east', 'west'].map((c) => written(mesh, c))).toMatchSnapshot();
  });
});

describe('MultiClusterMesh (Cilium) refusals', () => {
  test.each([
    ['a cluster without an ID', () => cilium([east(), west({ clusterId: undefined })]), /clusters\["west"\]\.clusterId is missing.*Fix: give each cluster its own clusterId from 1 to 255/],
    ['an ID out of range', () => cilium([east({ clusterId: 256 }), west()]), /clusters\["east"\]\.clusterId must be an integer from 1 to 255, got 256/],
    ['an ID of 0', () => cilium([east({ clusterId: 0 }), west()]), /clusterId must be an integer from 1 to 255, got 0/],
    ['a fractional ID', () => cilium([east({ clusterId: 1.5 }), west()]), /got 1\.5/],
    ['two clusters with one ID', () => cilium([east(), west({ clusterId: 1 })]), /clusters\["west"\]\.clusterId is 1, which "east" has too/],
    ['a remote cluster', () => cilium([east(), west({ role: ClusterRole.REMOTE, primary: 'east' })]), /clusters\["west"\]\.role is ClusterRole.REMOTE, but Cilium ClusterMesh has no remote clusters/],
    ['a name Cilium refuses', () => cilium([east({ name: 'default' }), west()]), /clusters\["default"\]\.name is "default"/],
    ['a name over 32 characters', () => cilium([east({ name: 'e'.repeat(33) }), west()]), /at most 32 characters/],
  ])('%s', (_name, build, message) => {
    expect(build).toThrow(message);
  });

  test('a serving cluster whose MeshService renders no Service object', () => {
    const mesh = cilium();
    const chart = new Chart(mesh.app('west'), 'apps', { namespace: 'bookinfo' });
    useMesh(chart, Mesh.CILIUM);
    new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)] });
    mesh.addGlobalService(reviews);
    expect(() => mesh.synth()).toThrow(/MultiClusterMesh\/bookinfo\/reviews: runsIn names "west", whose App has the MeshService of bookinfo\/reviews but not its Service object, which Cilium needs to annotate global/);
  });

  test('the cross-cluster checks apply: a serving cluster without the Service, a stubbed cluster that declares it', () => {
    const none = cilium();
    none.addGlobalService(reviews);
    expect(() => none.synth()).toThrow(/runsIn names "west", but mesh.app\("west"\) declares no Service bookinfo\/reviews/);
    const both = scenario();
    new MeshService(new Chart(both.app('east'), 'more', { namespace: 'bookinfo' }), 'reviews', { ports: [ServicePort.http(9080)], renderServices: true });
    expect(() => both.synth()).toThrow(/calledFrom names "east", where the mesh renders the stub Service bookinfo\/reviews, but mesh.app\("east"\) declares that Service too/);
  });

  test('Istio\'s locality failover', () => {
    const mesh = cilium();
    expect(() => mesh.addGlobalService({ ...reviews, failover: LocalityLoadBalancing.failover({ from: 'a', to: 'b' }) }))
      .toThrow(/failover is Istio's locality failover, which Cilium ClusterMesh does not render.*Fix: use affinity: ClusterAffinity.LOCAL/);
  });

  test('a Service whose annotation disagrees, or carries the deprecated form', () => {
    const mesh = scenario();
    const user = new Chart(mesh.app('west'), 'conflict');
    new ApiObject(user, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'details', namespace: 'bookinfo', annotations: { 'service.cilium.io/shared': 'false' } }, spec: { selector: { app: 'details' }, ports: [{ name: 'http', port: 9080 }] } });
    mesh.addGlobalService({ name: 'details', namespace: 'bookinfo', ports: [{ name: 'http', port: 9080 }], runsIn: ['west'] });
    expect(() => mesh.synth()).toThrow(/annotations\["service.cilium.io\/shared"\] is "false" on the Service .*conflict\/svc, but the mesh needs "true"/);
    const old = scenario();
    const chart = new Chart(old.app('west'), 'old');
    new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'details', namespace: 'bookinfo', annotations: { 'io.cilium/global-service': 'true' } }, spec: { selector: { app: 'details' }, ports: [{ name: 'http', port: 9080 }] } });
    old.addGlobalService({ name: 'details', namespace: 'bookinfo', ports: [{ name: 'http', port: 9080 }], runsIn: ['west'] });
    expect(() => old.synth()).toThrow(/annotations\["io.cilium\/global-service"\] is set on the Service .*the deprecated form of "service.cilium.io\/global"/);
  });

  test('a Service whose pod port is named', () => {
    const mesh = cilium();
    const chart = new Chart(mesh.app('west'), 'named');
    new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'bookinfo' }, spec: { selector: { app: 'reviews' }, ports: [{ name: 'http', port: 9080, targetPort: 'web' }] } });
    mesh.addGlobalService(reviews);
    expect(() => mesh.synth()).toThrow(/ports\["http"\] reaches the named pod port "web" on named\/svc, which the policy cannot name/);
  });

  test('a remote caller whose cluster does not call the service, or is its only serving cluster', () => {
    expect(() => scenario({ remoteCallers: [{ cluster: 'west', serviceAccount: 'x' }] })).toThrow(/remoteCallers\[0\]\.cluster is "west", which is not in calledFrom \["east"\]/);
    expect(() => scenario({ calledFrom: ['east', 'west'], remoteCallers: [{ cluster: 'west', serviceAccount: 'x' }] })).toThrow(/is "west", the only cluster the service runs in/);
  });

  test('an affinity on Istio', () => {
    const mesh = new MultiClusterMesh({ clusters: [east(), west()] });
    expect(() => mesh.addGlobalService({ ...reviews, affinity: ClusterAffinity.LOCAL })).toThrow(/affinity is "local", which the Istio multi-cluster mesh does not render/);
  });
});
