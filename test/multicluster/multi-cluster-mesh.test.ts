import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Duration, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { Mesh } from '../../src/core/mesh';
import { ClusterRole, MeshCluster, MultiClusterMesh } from '../../src/multicluster';
import { LocalityLoadBalancing, OutlierDetection } from '../../src/resilience';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { secretsIn } from '../support/secret-scan';

const east = (extra: object = {}) => new MeshCluster({ name: 'east', network: 'net-east', meshId: 'mesh1', region: 'us-east1', zone: 'us-east1-b', ...extra });
const west = (extra: object = {}) => new MeshCluster({ name: 'west', network: 'net-west', meshId: 'mesh1', region: 'us-west1', ...extra });

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'multicluster-'));
}

function objects(mesh: MultiClusterMesh, cluster: string): any[] {
  return Testing.synth(mesh.meshChart(cluster));
}

function find(objs: any[], kind: string, name: string): any {
  return objs.find((o) => o.kind === kind && o.metadata.name === name);
}

function twoNetworks(outdir?: string): MultiClusterMesh {
  const mesh = new MultiClusterMesh({ clusters: [east(), west()], outdir });
  mesh.addGlobalService({ name: 'reviews', namespace: 'bookinfo', ports: [{ name: 'http', port: 9080 }], runsIn: ['east'], calledFrom: ['west'] });
  mesh.addGlobalService({ name: 'ratings', namespace: 'bookinfo', ports: [{ name: 'http', port: 9080 }], runsIn: ['east', 'west'] });
  return mesh;
}

/** The Services twoNetworks' clusters run: reviews in east, ratings in both (synth checks that runsIn clusters declare them). */
function declareServices(mesh: MultiClusterMesh): void {
  for (const [cluster, names] of [['east', ['reviews', 'ratings']], ['west', ['ratings']]] as const) {
    const chart = new Chart(mesh.app(cluster), 'bookinfo');
    for (const name of names) {
      new ApiObject(chart, name, { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'bookinfo' }, spec: { ports: [{ name: 'http', port: 9080 }] } });
    }
  }
}

describe('MultiClusterMesh (Istio)', () => {
  test('labels istio-system with each cluster network', () => {
    const mesh = twoNetworks();
    expect(find(objects(mesh, 'east'), 'Namespace', 'istio-system').metadata.labels).toEqual({ 'topology.istio.io/network': 'net-east' });
    expect(find(objects(mesh, 'west'), 'Namespace', 'istio-system').metadata.labels).toEqual({ 'topology.istio.io/network': 'net-west' });
  });

  test('an east-west gateway in every cluster of a multi-network mesh, none on one network', () => {
    const gw = find(objects(twoNetworks(), 'west'), 'Gateway', 'cross-network-gateway');
    expect(gw.apiVersion).toBe('networking.istio.io/v1');
    expect(gw.metadata.namespace).toBe('istio-system');
    expect(gw.spec).toEqual({
      selector: { istio: 'eastwestgateway' },
      servers: [{ port: { number: 15443, name: 'tls', protocol: 'TLS' }, tls: { mode: 'AUTO_PASSTHROUGH' }, hosts: ['*.local'] }],
    });
    const oneNetwork = new MultiClusterMesh({ clusters: [east(), west({ network: 'net-east' })] });
    expect(objects(oneNetwork, 'east').filter((o) => o.kind === 'Gateway')).toEqual([]);
    expect(oneNetwork.multiNetwork).toBe(false);
  });

  test('a stub Service and its namespace only in the calling clusters the service does not run in', () => {
    const mesh = twoNetworks();
    const westObjs = objects(mesh, 'west');
    expect(find(westObjs, 'Service', 'reviews')).toEqual({
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'reviews', namespace: 'bookinfo', labels: { app: 'reviews' } },
      spec: { ports: [{ name: 'http', port: 9080 }] },
    });
    expect(westObjs.filter((o) => o.kind === 'Namespace' && o.metadata.name === 'bookinfo')).toHaveLength(1);
    expect(find(westObjs, 'Service', 'ratings')).toBeUndefined();
    expect(objects(mesh, 'east').filter((o) => o.kind === 'Service')).toEqual([]);
  });

  test('primary-remote: the primary exposes istiod (15012, webhook 15017 to 443) through the east-west gateway', () => {
    const mesh = new MultiClusterMesh({ clusters: [east(), west({ role: ClusterRole.REMOTE, primary: 'east' })] });
    const eastObjs = objects(mesh, 'east');
    expect(find(eastObjs, 'Gateway', 'istiod-gateway').spec.servers.map((s: any) => [s.port.number, s.tls.mode])).toEqual([[15012, 'PASSTHROUGH'], [15017, 'PASSTHROUGH']]);
    expect(find(eastObjs, 'VirtualService', 'istiod-vs').spec.tls.map((r: any) => [r.match[0].port, r.route[0].destination.port.number]))
      .toEqual([[15012, 15012], [15017, 443]]);
    expect(find(objects(mesh, 'west'), 'Gateway', 'istiod-gateway')).toBeUndefined();
  });

  test('primary-remote: the primary synthesizes with a global service\'s failover beside the exposed istiod (the analysis takes istiod to exist)', () => {
    const mesh = new MultiClusterMesh({ clusters: [east(), west({ role: ClusterRole.REMOTE, primary: 'east' })], outdir: tmp() });
    // the remote runs the Service; its subsets and routes would be the primary's (docs/multicluster.md)
    new MeshService(new Chart(mesh.app('west'), 'bookinfo', { namespace: 'bookinfo' }), 'reviews', { ports: [ServicePort.http(9080)], renderServices: true });
    mesh.addGlobalService({
      name: 'reviews', namespace: 'bookinfo', ports: [{ name: 'http', port: 9080 }], runsIn: ['west'], calledFrom: ['east'],
      failover: LocalityLoadBalancing.priority('topology.istio.io/network'),
      outlierDetection: new OutlierDetection({ consecutive5xxErrors: 5, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30) }),
    });
    expect(() => mesh.synth()).not.toThrow();
  });

  test('install values per cluster: meshID, clusterName, network, trust domain; the remote profile for a remote', () => {
    const primary = MultiClusterMesh.istioValues(east());
    expect(primary).toMatch(/^# .*Not a Kubernetes manifest/);
    expect(parseAllDocuments(primary)[0].toJS()).toEqual({ global: { meshID: 'mesh1', multiCluster: { clusterName: 'east' }, network: 'net-east' }, meshConfig: { trustDomain: 'cluster.local' } });
    const remote = MultiClusterMesh.istioValues(west({ role: ClusterRole.REMOTE, primary: 'east' }));
    expect(parseAllDocuments(remote)[0].toJS().profile).toBe('remote');
    expect(remote).toMatch(/global.remotePilotAddress=<east's east-west gateway address>/);
  });

  test('primary-remote install values as Istio\'s guide sets them: the primary is the remotes\' external istiod, the remote keeps its webhooks and injects through the primary', () => {
    const clusters = [east(), west({ role: ClusterRole.REMOTE, primary: 'east' })];
    const values = (c: MeshCluster) => parseAllDocuments(MultiClusterMesh.istioValues(c, clusters))[0].toJS();
    expect(values(clusters[0]).global).toEqual({ meshID: 'mesh1', multiCluster: { clusterName: 'east' }, network: 'net-east', externalIstiod: true });
    expect(values(clusters[1])).toEqual({
      profile: 'remote',
      global: { meshID: 'mesh1', multiCluster: { clusterName: 'west' }, network: 'net-west', externalIstiod: true, configCluster: true },
      istiodRemote: { injectionPath: '/inject/cluster/west/net/net-west' },
      meshConfig: { trustDomain: 'cluster.local' },
    });
    // a primary that no remote names is no external istiod
    expect(parseAllDocuments(MultiClusterMesh.istioValues(east(), [east(), west()]))[0].toJS().global.externalIstiod).toBeUndefined();
  });

  test('primary-remote: the remote\'s istio-system names its primary as control plane cluster; only the primary exposes services across networks', () => {
    const mesh = new MultiClusterMesh({ clusters: [east(), west({ role: ClusterRole.REMOTE, primary: 'east' })] });
    expect(find(objects(mesh, 'west'), 'Namespace', 'istio-system').metadata.annotations).toEqual({ 'topology.istio.io/controlPlaneClusters': 'east' });
    expect(find(objects(mesh, 'east'), 'Namespace', 'istio-system').metadata.annotations).toBeUndefined();
    expect(find(objects(mesh, 'east'), 'Gateway', 'cross-network-gateway')).toBeDefined();
    expect(find(objects(mesh, 'west'), 'Gateway', 'cross-network-gateway')).toBeUndefined();
  });

  test('synth writes one folder per cluster with its manifests and its values file', () => {
    const outdir = tmp();
    const mesh = twoNetworks(outdir);
    declareServices(mesh);
    mesh.synth();
    expect(fs.readdirSync(outdir).sort()).toEqual(['east', 'west']);
    expect(fs.readdirSync(path.join(outdir, 'east')).sort()).toEqual(['bookinfo.k8s.yaml', 'istio-install.values', 'multicluster.k8s.yaml']);
    expect(fs.readFileSync(path.join(outdir, 'west', 'istio-install.values'), 'utf8')).toMatch(/clusterName: west/);
  });

  test('a stub namespace the cluster\'s own chart declares is left to that chart', () => {
    const outdir = tmp();
    const mesh = twoNetworks(outdir);
    declareServices(mesh);
    const user = new Chart(mesh.app('west'), 'productpage');
    new ApiObject(user, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bookinfo' } });
    mesh.synth();
    const docs = parseAllDocuments(fs.readFileSync(path.join(outdir, 'west', 'multicluster.k8s.yaml'), 'utf8')).map((d) => d.toJS());
    expect(docs.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual(['istio-system']);
    expect(find(docs, 'Service', 'reviews')).toBeDefined();
  });

  test('no Secret and no secret data in any rendered object of any scenario', () => {
    const scenarios = [twoNetworks(), new MultiClusterMesh({ clusters: [east(), west({ role: ClusterRole.REMOTE, primary: 'east' })] })];
    let count = 0;
    for (const mesh of scenarios) {
      for (const c of mesh.clusters) {
        const objs = objects(mesh, c.name);
        count += objs.length;
        expect(secretsIn(objs)).toEqual([]);
      }
    }
    expect(count).toBeGreaterThan(5);
  });

  test('the diagram: clusters as subgraphs, stubs dashed, calls across networks through the east-west gateway, a remote\'s xDS to its primary', () => {
    const d = twoNetworks().diagram();
    expect(d).toContain('subgraph n_east["east (primary, network net-east)"]');
    expect(d).toContain('n_west__bookinfo__reviews("bookinfo/reviews (stub)"):::stub');
    expect(d).toContain('n_west__bookinfo__reviews ==>|"mTLS via east-west gateway :15443"| n_east__bookinfo__reviews');
    expect(d).toContain('n_east__bookinfo__ratings ==>|"mTLS via east-west gateway :15443"| n_west__bookinfo__ratings');
    const pr = new MultiClusterMesh({ clusters: [east(), west({ network: 'net-east', role: ClusterRole.REMOTE, primary: 'east' })] });
    pr.addGlobalService({ name: 'reviews', namespace: 'bookinfo', ports: [{ name: 'http', port: 9080 }], runsIn: ['east'], calledFrom: ['west'] });
    const prd = pr.diagram();
    expect(prd).toContain('n_west -.->|"xDS :15012 via istiod-gateway"| n_east__istiod');
    expect(prd).toContain('n_west__bookinfo__reviews -->|"mTLS pod to pod"| n_east__bookinfo__reviews');
    expect(prd).not.toContain('n_west__istiod');
    expect(d).toMatchSnapshot();
  });

  test('snapshots: two networks multi-primary, primary-remote on one network', () => {
    const mesh = twoNetworks();
    expect(mesh.clusters.map((c) => objects(mesh, c.name))).toMatchSnapshot();
    const pr = new MultiClusterMesh({ clusters: [east(), west({ network: 'net-east', role: ClusterRole.REMOTE, primary: 'east' })] });
    expect(pr.clusters.map((c) => objects(pr, c.name))).toMatchSnapshot();
  });
});

describe('MultiClusterMesh refusals', () => {
  test.each([
    ['mesh IDs differ', () => new MultiClusterMesh({ clusters: [east(), west({ meshId: 'mesh2' })] }), /clusters\["west"\]\.meshId is "mesh2" but "east" has "mesh1"\. Fix: use one mesh ID/],
    ['trust domains differ', () => new MultiClusterMesh({ clusters: [east(), west({ trustDomain: 'west.example' })] }), /clusters\["west"\]\.trustDomain is "west.example" but "east" has "cluster.local"/],
    ['a cluster named twice', () => new MultiClusterMesh({ clusters: [east(), east()] }), /names "east" twice/],
    ['no clusters', () => new MultiClusterMesh({ clusters: [] }), /clusters is empty/],
    ['a remote whose primary is unknown', () => new MultiClusterMesh({ clusters: [east(), west({ role: ClusterRole.REMOTE, primary: 'north' })] }), /clusters\["west"\]\.primary names "north", which is not a cluster of the mesh\. Fix: use one of \["east","west"\]/],
    ['a remote whose primary is remote', () => new MultiClusterMesh({ clusters: [east({ role: ClusterRole.REMOTE, primary: 'west' }), west({ role: ClusterRole.REMOTE, primary: 'east' })] }), /names "west", which is a remote cluster/],
    ['an unknown calling cluster', () => twoNetworks().addGlobalService({ name: 'details', namespace: 'bookinfo', ports: [{ name: 'http', port: 9080 }], runsIn: ['east'], calledFrom: ['north'] }),
      /MultiClusterMesh\/bookinfo\/details: calledFrom names "north", which is not a cluster of the mesh/],
    ['an unknown serving cluster', () => twoNetworks().addGlobalService({ name: 'details', namespace: 'bookinfo', ports: [{ name: 'http', port: 9080 }], runsIn: ['south'] }), /runsIn names "south"/],
    ['a service declared twice', () => twoNetworks().addGlobalService({ name: 'reviews', namespace: 'bookinfo', ports: [{ name: 'http', port: 9080 }], runsIn: ['west'] }), /declares bookinfo\/reviews twice/],
    ['the Gateway API alone', () => new MultiClusterMesh({ clusters: [east()], mesh: Mesh.GATEWAY_API }), /MultiClusterMesh: mesh is "gateway-api": a multi-cluster mesh needs a mesh implementation.*Fix: use Mesh.ISTIO, Mesh.LINKERD or Mesh.CILIUM/],
    ['an unknown cluster app', () => twoNetworks().app('north'), /cluster "north" is not a cluster of the mesh/],
  ])('%s', (_name, build, message) => {
    expect(build).toThrow(message);
  });
});
