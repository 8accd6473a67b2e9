import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Duration } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { Mesh, useMesh } from '../../src/core/mesh';
import { ClusterRole, GlobalServiceProps, MeshCluster, MultiClusterMesh } from '../../src/multicluster';
import { CircuitBreakerPolicy, LocalityFailoverPolicy, LocalityLoadBalancing, OutlierDetection } from '../../src/resilience';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { RouteTo } from '../../src/traffic/route-action';

const cluster = (name: string, region: string, extra: object = {}) => new MeshCluster({ name, network: `net-${name}`, meshId: 'mesh1', region, ...extra });
const reviews = (extra: Partial<GlobalServiceProps> = {}): GlobalServiceProps => ({ name: 'reviews', namespace: 'bookinfo', ports: [{ name: 'http', port: 9080 }], runsIn: ['east', 'west'], ...extra });
const outlier = new OutlierDetection({ consecutive5xxErrors: 3, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30) });
const eastToWest = LocalityLoadBalancing.failover({ from: 'us-east1', to: 'us-west1' }, { from: 'us-west1', to: 'us-east1' });

function mesh(extra: MeshCluster[] = []): MultiClusterMesh {
  return new MultiClusterMesh({ clusters: [cluster('east', 'us-east1'), cluster('west', 'us-west1'), ...extra], outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'global-services-')) });
}

/** The user's reviews in a cluster: a MeshService that renders its Service. */
function userReviews(m: MultiClusterMesh, c: string, renderServices = true): MeshService {
  const chart = new Chart(m.app(c), 'bookinfo', { namespace: 'bookinfo' });
  return new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1'], renderServices });
}

function synthed(m: MultiClusterMesh, c: string): any[] {
  m.synth();
  const dir = path.join(m.outdir, c);
  return fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS()));
}

const destinationRules = (objs: any[]) => objs.filter((o) => o.kind === 'DestinationRule');

describe('locality failover of a global service', () => {
  test('flows into the MeshService\'s own DestinationRule in every cluster that runs it, with the global outlier detection', () => {
    const m = mesh();
    userReviews(m, 'east');
    userReviews(m, 'west');
    m.addGlobalService(reviews({ failover: eastToWest, outlierDetection: outlier }));
    for (const c of ['east', 'west']) {
      const [dr] = destinationRules(synthed(m, c));
      expect(destinationRules(synthed(m, c))).toHaveLength(1);
      expect(dr.metadata).toEqual({ name: 'reviews', namespace: 'bookinfo' });
      expect(dr.spec.trafficPolicy).toEqual({
        loadBalancer: { localityLbSetting: { enabled: true, failover: [{ from: 'us-east1', to: 'us-west1' }, { from: 'us-west1', to: 'us-east1' }] } },
        outlierDetection: { consecutive5xxErrors: 3, interval: '10s', baseEjectionTime: '30s' },
      });
      expect(dr.spec.subsets).toEqual([{ name: 'v1', labels: { version: 'v1' } }]);
    }
  });

  test('a calling cluster without a MeshService for the host gets one in the mesh chart, beside the stub: one DestinationRule, no VirtualService', () => {
    const m = mesh();
    userReviews(m, 'west');
    m.addGlobalService(reviews({ runsIn: ['west'], calledFrom: ['east'], failover: LocalityLoadBalancing.priority('topology.istio.io/network'), outlierDetection: outlier }));
    const east = synthed(m, 'east');
    expect(destinationRules(east).map((d) => [d.metadata, d.spec.host, d.spec.trafficPolicy.loadBalancer])).toEqual([
      [{ name: 'reviews', namespace: 'bookinfo' }, 'reviews', { localityLbSetting: { enabled: true, failoverPriority: ['topology.istio.io/network'] } }],
    ]);
    expect(east.filter((o) => o.kind === 'VirtualService')).toEqual([]);
    expect(east.filter((o) => o.kind === 'Service').map((o) => o.spec.selector)).toEqual([undefined]);
  });

  test('a remote caller\'s DestinationRule goes to its primary (istiod reads configuration from its own cluster)', () => {
    const m = new MultiClusterMesh({
      clusters: [cluster('east', 'us-east1'), cluster('west', 'us-west1', { role: ClusterRole.REMOTE, primary: 'east', network: 'net-east' })],
      outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'global-services-')),
    });
    userReviews(m, 'east');
    m.addGlobalService(reviews({ runsIn: ['east'], calledFrom: ['west'], failover: LocalityLoadBalancing.priority('topology.istio.io/cluster'), outlierDetection: outlier }));
    expect(destinationRules(synthed(m, 'east'))).toHaveLength(1);
    expect(destinationRules(synthed(m, 'west'))).toEqual([]);
  });

  test('the MeshService\'s own outlier detection (a CircuitBreakerPolicy) is enough; the same failover set on the MeshService agrees', () => {
    const m = mesh();
    for (const c of ['east', 'west']) {
      const s = userReviews(m, c);
      new CircuitBreakerPolicy(s, 'cb', { service: s, outlierDetection: outlier });
      if (c === 'west') new LocalityFailoverPolicy(s, 'failover', { service: s, locality: eastToWest });
    }
    m.addGlobalService(reviews({ failover: eastToWest }));
    expect(destinationRules(synthed(m, 'west'))[0].spec.trafficPolicy.loadBalancer.localityLbSetting.failover).toHaveLength(2);
    expect(destinationRules(synthed(m, 'east'))[0].spec.trafficPolicy.outlierDetection.consecutive5xxErrors).toBe(3);
  });

  test('synth twice writes the same files', () => {
    const m = mesh();
    userReviews(m, 'east');
    userReviews(m, 'west');
    m.addGlobalService(reviews({ failover: eastToWest, outlierDetection: outlier }));
    expect(synthed(m, 'east')).toEqual(synthed(m, 'east'));
  });
});

describe('failover refusals', () => {
  test.each([
    ['a from region no running or calling cluster is in', reviews({ failover: LocalityLoadBalancing.failover({ from: 'eu-west1', to: 'us-west1' }), outlierDetection: outlier }),
      /MultiClusterMesh\/bookinfo\/reviews: failover.failoverRules\[0\].from is "eu-west1", a region no cluster running or calling reviews is in \(their regions: us-east1, us-west1\), so the rule never applies\. Fix: use one of \["us-east1","us-west1"\]/],
    ['a to region the service does not run in', reviews({ runsIn: ['east'], calledFrom: ['west'], failover: LocalityLoadBalancing.failover({ from: 'us-west1', to: 'us-central1' }), outlierDetection: outlier }),
      /failover.failoverRules\[0\].to is "us-central1", a region reviews does not run in \(runsIn regions: us-east1\), so failover would find no endpoints there/],
    ['a priority on a cluster the service does not run in', reviews({ runsIn: ['east'], calledFrom: ['west'], failover: LocalityLoadBalancing.priority('topology.istio.io/cluster=west'), outlierDetection: outlier }),
      /failover.failoverPriority\[0\] prefers topology.istio.io\/cluster="west", which no cluster reviews runs in has \(they have: east\)\. Fix: use one of \["topology.istio.io\/cluster=east"\]/],
    ['a priority on an unknown network', reviews({ failover: LocalityLoadBalancing.priority('topology.istio.io/network=net-north'), outlierDetection: outlier }), /prefers topology.istio.io\/network="net-north"/],
    ['outlier detection without failover', reviews({ outlierDetection: outlier }), /GlobalService "reviews": outlierDetection is set without failover/],
  ])('%s', (_name, props, message) => {
    expect(() => mesh().addGlobalService(props)).toThrow(message);
  });

  test('clusters without regions: the fix says to set them', () => {
    const m = new MultiClusterMesh({ clusters: [new MeshCluster({ name: 'east', network: 'n1', meshId: 'm' }), new MeshCluster({ name: 'west', network: 'n2', meshId: 'm' })] });
    expect(() => m.addGlobalService(reviews({ failover: eastToWest, outlierDetection: outlier }))).toThrow(/their regions: none\).*Fix: set region on the MeshClusters/);
  });

  test('no outlier detection anywhere: refused, naming the cluster\'s MeshService', () => {
    const m = mesh();
    userReviews(m, 'east');
    userReviews(m, 'west');
    m.addGlobalService(reviews({ failover: eastToWest }));
    expect(() => m.synth()).toThrow(/MultiClusterMesh\/bookinfo\/reviews: outlierDetection is not set, and "east"'s bookinfo\/reviews has none of its own, so Istio would never eject an endpoint and never fail over/);
  });

  test('a MeshService whose locality failover differs: refused, naming its owner', () => {
    const m = mesh();
    userReviews(m, 'east');
    const west = userReviews(m, 'west');
    new LocalityFailoverPolicy(west, 'failover', { service: west, locality: LocalityLoadBalancing.priority('topology.istio.io/network') });
    m.addGlobalService(reviews({ failover: eastToWest, outlierDetection: outlier }));
    expect(() => m.synth()).toThrow(/failover differs from the locality failover bookinfo\/reviews\/failover sets on "west"'s reviews\. Fix: set locality failover in one place/);
  });

  test('a MeshService whose outlier detection differs: refused', () => {
    const m = mesh();
    const east = userReviews(m, 'east');
    userReviews(m, 'west');
    new CircuitBreakerPolicy(east, 'cb', { service: east, outlierDetection: new OutlierDetection({ consecutive5xxErrors: 7 }) });
    m.addGlobalService(reviews({ failover: eastToWest, outlierDetection: outlier }));
    expect(() => m.synth()).toThrow(/outlierDetection differs from the one bookinfo\/reviews\/cb sets on "east"'s reviews/);
  });

  test('a MeshService rendered for Linkerd: refused', () => {
    const m = mesh();
    userReviews(m, 'east');
    const chart = new Chart(m.app('west'), 'bookinfo', { namespace: 'bookinfo' });
    useMesh(chart, Mesh.LINKERD);
    new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], renderServices: true });
    m.addGlobalService(reviews({ failover: eastToWest, outlierDetection: outlier }));
    expect(() => m.synth()).toThrow(/bookinfo\/reviews: mesh is "linkerd", but the global service bookinfo\/reviews renders its failover for Istio/);
  });
});

describe('cross-cluster checks at synth', () => {
  test('a cluster in runsIn that declares no Service: refused, naming the cluster and the fix', () => {
    const m = mesh();
    userReviews(m, 'east');
    m.addGlobalService(reviews());
    expect(() => m.synth()).toThrow(/MultiClusterMesh\/bookinfo\/reviews: runsIn names "west", but mesh.app\("west"\) declares no Service bookinfo\/reviews \(no Service object, no MeshService\)\. Fix: add the service's workloads and Service to mesh.app\("west"\), or remove "west" from runsIn/);
  });

  test('a plain Service object or a MeshService whose Service is made elsewhere declares it', () => {
    const m = mesh();
    userReviews(m, 'east', false);
    new ApiObject(new Chart(m.app('west'), 'helm', { namespace: 'bookinfo' }), 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews' }, spec: { ports: [{ name: 'http', port: 9080 }] } });
    m.addGlobalService(reviews());
    expect(() => m.synth()).not.toThrow();
  });

  test('a port the cluster\'s Service does not have: refused', () => {
    const m = mesh();
    userReviews(m, 'east');
    userReviews(m, 'west');
    m.addGlobalService(reviews({ ports: [{ name: 'http', port: 9080 }, { name: 'grpc', port: 9090 }] }));
    expect(() => m.synth()).toThrow(/ports lists grpc\(9090\), which "east"'s Service bookinfo\/reviews does not have \(ports: http\(9080\)\)/);
  });

  test('a stubbed cluster that declares the Service itself: refused (two objects of one name)', () => {
    const m = mesh();
    userReviews(m, 'east');
    userReviews(m, 'west');
    m.addGlobalService(reviews({ runsIn: ['west'], calledFrom: ['east'] }));
    expect(() => m.synth()).toThrow(/calledFrom names "east", where the mesh renders the stub Service bookinfo\/reviews, but mesh.app\("east"\) declares that Service too \(bookinfo\/reviews\/Service\)\. Fix: add "east" to runsIn/);
  });

  test('a route to a MeshService of another cluster\'s app that is no global service called from the route\'s cluster: refused', () => {
    const m = mesh();
    const west = userReviews(m, 'west');
    const front = new MeshService(new Chart(m.app('east'), 'front', { namespace: 'bookinfo' }), 'productpage', { ports: [ServicePort.http(9080)] });
    front.setDefaultRoute(RouteTo.service(west));
    expect(() => m.synth()).toThrow(/front\/productpage: route sends traffic to bookinfo\/reviews, declared in cluster "west" \(bookinfo\/reviews\), which is no global service called from "east", so its name does not resolve there\. Fix: declare it with mesh.addGlobalService/);
    m.addGlobalService(reviews({ runsIn: ['west'], calledFrom: ['east'] }));
    expect(() => m.synth()).not.toThrow();
  });

  test('a cluster split in the caller\'s cluster renders beside the failover in that cluster\'s VirtualService and DestinationRule', () => {
    const m = mesh();
    const east = userReviews(m, 'east');
    userReviews(m, 'west');
    east.addClusterSubset('east');
    east.addClusterSubset('west');
    east.setDefaultRoute(RouteTo.clusterSplit({ east: 90, west: 10 }));
    m.addGlobalService(reviews({ failover: eastToWest, outlierDetection: outlier }));
    const objs = synthed(m, 'east');
    expect(objs.filter((o) => o.kind === 'VirtualService').map((v) => v.spec.http[0].route.map((r: any) => [r.destination.subset, r.weight]))).toEqual([[['cluster-east', 90], ['cluster-west', 10]]]);
    expect(destinationRules(objs)[0].spec.subsets.map((x: any) => x.name)).toEqual(['v1', 'cluster-east', 'cluster-west']);
    expect(destinationRules(objs)[0].spec.trafficPolicy.loadBalancer.localityLbSetting).toBeDefined();
  });

  test('a cluster subset of a cluster the service does not run in: refused', () => {
    const m = mesh([cluster('north', 'us-central1')]);
    const east = userReviews(m, 'east');
    userReviews(m, 'west');
    east.addClusterSubset('north');
    m.addGlobalService(reviews());
    expect(() => m.synth()).toThrow(/bookinfo\/reviews: cluster subset cluster-north selects the endpoints in cluster "north", where reviews does not run \(runsIn: east, west\), so routes to it find no endpoints\. Fix: add "north" to the global service's runsIn/);
  });

  test('cluster subsets on a service that is no global service: refused', () => {
    const m = mesh();
    userReviews(m, 'east').addClusterSubset('west');
    expect(() => m.synth()).toThrow(/bookinfo\/reviews: cluster subsets select endpoints by cluster \(west\), but bookinfo\/reviews is no global service of the mesh/);
  });
});

describe('per-cluster weights of a global service (Istio)', () => {
  const weights = [{ cluster: 'east', weight: 80 }, { cluster: 'west', weight: 20 }];
  const split = (objs: any[]) => objs.filter((o) => o.kind === 'VirtualService').map((v) => v.spec.http.map((h: any) => h.route.map((r: any) => [r.destination.subset, r.weight])));

  test('every calling cluster routes its callers by the weights through cluster subsets of the host\'s one DestinationRule', () => {
    const m = mesh([cluster('north', 'us-central1')]);
    userReviews(m, 'east');
    userReviews(m, 'west');
    m.addGlobalService(reviews({ calledFrom: ['east', 'north'], weights, failover: eastToWest, outlierDetection: outlier }));
    for (const c of ['east', 'north']) {
      const objs = synthed(m, c);
      expect(split(objs)).toEqual([[[['cluster-east', 80], ['cluster-west', 20]]]]);
      const drs = destinationRules(objs);
      expect(drs).toHaveLength(1);
      expect(drs[0].spec.subsets.filter((x: any) => x.name.startsWith('cluster-'))).toEqual([
        { name: 'cluster-east', labels: { 'topology.istio.io/cluster': 'east' } }, { name: 'cluster-west', labels: { 'topology.istio.io/cluster': 'west' } },
      ]);
      expect(drs[0].spec.trafficPolicy.loadBalancer.localityLbSetting).toBeDefined();
    }
    expect(split(synthed(m, 'west'))).toEqual([]);
  });

  test('a cluster of weight 0 gets no subset and no share; cluster subsets the MeshService has are reused', () => {
    const m = mesh();
    const east = userReviews(m, 'east');
    userReviews(m, 'west');
    east.addClusterSubset('west');
    m.addGlobalService(reviews({ calledFrom: ['east'], weights: [{ cluster: 'east', weight: 0 }, { cluster: 'west', weight: 100 }] }));
    const objs = synthed(m, 'east');
    expect(split(objs)).toEqual([[[['cluster-west', undefined]]]]); // one destination: Istio's weight is implied
    expect(destinationRules(objs)[0].spec.subsets.map((x: any) => x.name)).toEqual(['v1', 'cluster-west']);
  });

  test('a MeshService with its own default route: refused by the routing table, naming both', () => {
    const m = mesh();
    userReviews(m, 'east').setDefaultRoute(RouteTo.version('v1'));
    userReviews(m, 'west');
    m.addGlobalService(reviews({ weights }));
    expect(() => m.synth()).toThrow(/multicluster\/global-bookinfo-reviews: default route of bookinfo\/reviews is already set by bookinfo\/reviews \(v1=100\)/);
  });

  test.each([
    ['several ports', reviews({ ports: [{ name: 'http', port: 9080 }, { name: 'grpc', port: 9090 }], weights }), /weights are rendered on Istio as one route per Service port, but reviews has 2 ports \(http, grpc\)/],
    ['a TCP port', reviews({ ports: [{ name: 'tcp-db', port: 5432 }], weights }), /weights split HTTP requests, but port "tcp-db" is not HTTP or gRPC/],
  ])('refused on Istio: %s', (_name, props, message) => {
    expect(() => mesh().addGlobalService(props)).toThrow(message);
  });
});
