import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { ClusterRole, MeshCluster, MultiClusterMesh } from '../../src/multicluster';
import { configClusterOnly } from '../../src/multicluster/istio-remote-config';
import { StrictMtlsNamespace } from '../../src/security/strict-mtls-namespace';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { Match } from '../../src/traffic/match';
import { Destination, RouteTo } from '../../src/traffic/route-action';

// A remote cluster has no istiod: its primary's istiod configures its proxies from the primary's API
// server only, so Istio and Gateway API objects in the remote's App would never take effect.

const east = () => new MeshCluster({ name: 'east', network: 'net-east', meshId: 'mesh1' });
const west = (extra: object = { role: ClusterRole.REMOTE, primary: 'east' }) => new MeshCluster({ name: 'west', network: 'net-west', meshId: 'mesh1', ...extra });

function primaryRemote(): MultiClusterMesh {
  return new MultiClusterMesh({ clusters: [east(), west()], outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'remote-config-')) });
}

/** A chart of the cluster's App with the bookinfo namespace. */
const apps = (mesh: MultiClusterMesh, cluster: string) => new Chart(mesh.app(cluster), `${cluster}-apps`, { namespace: 'bookinfo' });

const raw = (apiVersion: string, kind: string, metadata: object = { name: 'x', namespace: 'bookinfo' }) => (chart: Chart) => {
  new ApiObject(chart, `${kind}-x`, { apiVersion, kind, metadata, spec: {} });
};

function written(mesh: MultiClusterMesh, cluster: string): any[] {
  const dir = path.join(mesh.outdir, cluster);
  return fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS()));
}

const FIX = String.raw`Fix: declare it in the primary's App, mesh\.app\("east"\), where it applies to "west"'s proxies too$`;

describe('MultiClusterMesh (Istio) primary-remote: configuration in a remote cluster\'s App is refused at synth', () => {
  test.each<[string, (c: Chart) => void, string]>([
    ['a MeshService\'s DestinationRule (its version subsets)', (c) => { new MeshService(c, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1'], renderServices: true }); },
      String.raw`^west-apps/reviews/DestinationRule: DestinationRule bookinfo/reviews \(networking\.istio\.io/v1\) is in mesh\.app\("west"\), the App of a remote cluster, whose proxies the primary "east"'s istiod configures from "east"'s API server only, so it would never take effect\. `],
    ['a MeshService\'s routes (VirtualService)', (c) => {
      new MeshService(c, 'reviews', { ports: [ServicePort.http(9080)], renderServices: true })
        .addRoute({ name: 'jason', matches: [Match.header('end-user').exact('jason')], to: RouteTo.destination(Destination.host('ratings')) });
    }, String.raw`^west-apps/reviews/VirtualService: VirtualService bookinfo/reviews \(networking\.istio\.io/v1\) is in mesh\.app\("west"\)`],
    ['a StrictMtlsNamespace (PeerAuthentication first)', (c) => { new StrictMtlsNamespace(c, 'bookinfo', { networkPolicies: false }); },
      String.raw`^west-apps/bookinfo/\S+: PeerAuthentication bookinfo/\S+ \(security\.istio\.io/v1\) is in mesh\.app\("west"\)`],
    ['an AuthorizationPolicy', raw('security.istio.io/v1', 'AuthorizationPolicy'), String.raw`^west-apps/AuthorizationPolicy-x: AuthorizationPolicy bookinfo/x \(security\.istio\.io/v1\)`],
    ['a Sidecar', raw('networking.istio.io/v1', 'Sidecar'), String.raw`: Sidecar bookinfo/x \(networking\.istio\.io/v1\)`],
    ['a ServiceEntry (read from the config cluster only, unlike a WorkloadEntry)', raw('networking.istio.io/v1', 'ServiceEntry'), String.raw`: ServiceEntry bookinfo/x`],
    ['a Telemetry', raw('telemetry.istio.io/v1', 'Telemetry'), String.raw`: Telemetry bookinfo/x \(telemetry\.istio\.io/v1\)`],
    ['a WasmPlugin', raw('extensions.istio.io/v1alpha1', 'WasmPlugin'), String.raw`: WasmPlugin bookinfo/x \(extensions\.istio\.io/v1alpha1\)`],
    ['a Gateway API HTTPRoute', raw('gateway.networking.k8s.io/v1', 'HTTPRoute'), String.raw`: HTTPRoute bookinfo/x \(gateway\.networking\.k8s\.io/v1\)`],
    ['a Gateway API Gateway', raw('gateway.networking.k8s.io/v1', 'Gateway'), String.raw`: Gateway bookinfo/x \(gateway\.networking\.k8s\.io/v1\)`],
    ['an experimental XListenerSet', raw('gateway.networking.x-k8s.io/v1alpha1', 'XListenerSet'), String.raw`: XListenerSet bookinfo/x`],
  ])('%s', (_name, declare, message) => {
    const mesh = primaryRemote();
    declare(apps(mesh, 'west'));
    expect(() => mesh.synth()).toThrow(new RegExp(`${message}.*${FIX}`, 's'));
  });

  test('a cluster-scoped GatewayClass, named without a namespace', () => {
    const mesh = primaryRemote();
    raw('gateway.networking.k8s.io/v1', 'GatewayClass', { name: 'istio' })(new Chart(mesh.app('west'), 'cluster-scoped'));
    expect(() => mesh.synth()).toThrow(new RegExp(String.raw`^cluster-scoped/GatewayClass-x: GatewayClass istio \(gateway\.networking\.k8s\.io/v1\) is in mesh\.app\("west"\).*${FIX}`));
  });

  test('refused at synth, not when declared: the App can be completed first', () => {
    const mesh = primaryRemote();
    expect(() => raw('networking.istio.io/v1', 'VirtualService')(apps(mesh, 'west'))).not.toThrow();
    expect(() => mesh.synth()).toThrow(/VirtualService bookinfo\/x/);
  });

  test('an object added to the remote\'s mesh chart is refused too (the check is by kind, over the whole App)', () => {
    const mesh = primaryRemote();
    raw('networking.istio.io/v1', 'DestinationRule')(mesh.meshChart('west'));
    expect(() => mesh.synth()).toThrow(/^multicluster\/DestinationRule-x: DestinationRule bookinfo\/x/);
  });

  test('the same objects in the primary\'s App are written, and apply to the remote\'s proxies from there', () => {
    const mesh = primaryRemote();
    const chart = apps(mesh, 'east');
    new StrictMtlsNamespace(chart, 'bookinfo', { networkPolicies: false });
    new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1'] });
    raw('telemetry.istio.io/v1', 'Telemetry')(chart);
    mesh.synth();
    expect(written(mesh, 'east').map((o) => o.kind)).toEqual(expect.arrayContaining(['PeerAuthentication', 'AuthorizationPolicy', 'DestinationRule', 'Telemetry']));
  });

  test('a second primary (multi-primary) keeps its own configuration', () => {
    const mesh = new MultiClusterMesh({ clusters: [east(), west({})], outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'remote-config-')) });
    new MeshService(apps(mesh, 'west'), 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1'], renderServices: true });
    mesh.synth();
    expect(written(mesh, 'west').filter((o) => o.kind === 'DestinationRule').map((o) => o.metadata.name)).toEqual(['reviews']);
  });
});

describe('what a remote\'s App may hold', () => {
  test('the mesh\'s own objects (istio-system naming its primary, a stub Service and its Namespace), the user\'s workloads, Services, Namespaces and WorkloadEntries (read from every cluster)', () => {
    const mesh = primaryRemote();
    // west runs ratings (its workloads and Service only) and calls reviews, which runs in east: west gets reviews' stub
    new MeshService(apps(mesh, 'east'), 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1'], renderServices: true });
    const chart = apps(mesh, 'west');
    new MeshService(chart, 'ratings', { ports: [ServicePort.http(9080)], renderServices: true });
    new ApiObject(new Chart(mesh.app('west'), 'namespaces'), 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tools', labels: { 'istio-injection': 'enabled' } } });
    new ApiObject(chart, 'deploy', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ratings' }, spec: { selector: { matchLabels: { app: 'ratings' } }, template: { metadata: { labels: { app: 'ratings' } }, spec: { containers: [{ name: 'ratings', image: 'ratings:1' }] } } } });
    raw('networking.istio.io/v1', 'WorkloadEntry')(chart);
    mesh.addGlobalService({ name: 'reviews', namespace: 'bookinfo', ports: [{ name: 'http', port: 9080 }], runsIn: ['east'], calledFrom: ['west'] });
    mesh.addGlobalService({ name: 'ratings', namespace: 'bookinfo', ports: [{ name: 'http', port: 9080 }], runsIn: ['west'], calledFrom: ['east'] });
    mesh.synth();
    const objs = written(mesh, 'west');
    expect(objs.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort()).toEqual([
      'Deployment bookinfo/ratings', 'Namespace /bookinfo', 'Namespace /istio-system', 'Namespace /tools', 'Service bookinfo/ratings', 'Service bookinfo/reviews', 'WorkloadEntry bookinfo/x',
    ]);
    expect(objs.find((o) => o.metadata.name === 'istio-system').metadata.annotations).toEqual({ 'topology.istio.io/controlPlaneClusters': 'east' });
    expect(objs.filter((o) => configClusterOnly(o.apiVersion, o.kind))).toEqual([]);
  });

  test('the kinds istiod reads from its config cluster only', () => {
    expect([
      ['networking.istio.io/v1', 'VirtualService'], ['networking.istio.io/v1', 'WorkloadEntry'], ['networking.istio.io/v1', 'WorkloadGroup'],
      ['security.istio.io/v1', 'RequestAuthentication'], ['telemetry.istio.io/v1', 'Telemetry'], ['extensions.istio.io/v1alpha1', 'WasmPlugin'],
      ['gateway.networking.k8s.io/v1beta1', 'ReferenceGrant'], ['v1', 'Service'], ['discovery.k8s.io/v1', 'EndpointSlice'], ['networking.k8s.io/v1', 'NetworkPolicy'],
    ].map(([v, k]) => configClusterOnly(v, k))).toEqual([true, false, true, true, true, true, true, false, false, false]);
  });
});
