import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { Mesh } from '../../src/core/mesh';
import { ClusterAffinity, ClusterRole, ClusterWeight, MeshCluster, MultiClusterMesh } from '../../src/multicluster';
import { MeshService } from '../../src/service/mesh-service';
import { LocalityLoadBalancing } from '../../src/resilience/locality-load-balancing';
import { ServicePort } from '../../src/service/service-port';
import { secretFields, secretsIn } from '../support/secret-scan';

const cluster = (name: string, network: string, extra: object = {}) => new MeshCluster({ name, network, meshId: 'mesh1', ...extra });
const http = [{ name: 'http', port: 9080 }];

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'linkerd-multicluster-'));
}

/** A Linkerd mesh over east and west, with a MeshService for each named service in the clusters that run it. */
function linkerdMesh(networks: [string, string], services: Record<string, string[]>, outdir?: string): MultiClusterMesh {
  const mesh = new MultiClusterMesh({ mesh: Mesh.LINKERD, outdir, clusters: [cluster('east', networks[0]), cluster('west', networks[1])] });
  for (const c of ['east', 'west']) {
    const chart = new Chart(mesh.app(c), 'bookinfo', { namespace: 'bookinfo' });
    for (const [name, runsIn] of Object.entries(services)) {
      if (runsIn.includes(c)) new MeshService(chart, name, { ports: [ServicePort.http(9080)], renderServices: true });
    }
  }
  return mesh;
}

function meshObjects(mesh: MultiClusterMesh, c: string): any[] {
  return Testing.synth(mesh.meshChart(c));
}

/** Every object of a cluster as written by synth (user charts and mesh chart). */
function written(outdir: string, c: string): any[] {
  return fs.readdirSync(path.join(outdir, c)).filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(outdir, c, f), 'utf8')).map((d) => d.toJS()));
}

function find(objs: any[], kind: string, name: string): any {
  return objs.find((o) => o.kind === kind && o.metadata.name === name);
}

function values(outdir: string, c: string): { text: string; json: any } {
  const text = fs.readFileSync(path.join(outdir, c, MultiClusterMesh.LINKERD_VALUES_FILE), 'utf8');
  return { text, json: parseAllDocuments(text)[0].toJS() };
}

/** reviews runs in west and is called from east. */
function remoteCall(networks: [string, string], outdir?: string): MultiClusterMesh {
  const mesh = linkerdMesh(networks, { reviews: ['west'] }, outdir);
  mesh.addGlobalService({ name: 'reviews', namespace: 'bookinfo', ports: http, runsIn: ['west'], calledFrom: ['east'] });
  return mesh;
}

/** ratings runs in east and west, on one network: federated. */
function federated(outdir?: string): MultiClusterMesh {
  const mesh = linkerdMesh(['net1', 'net1'], { ratings: ['east', 'west'] }, outdir);
  mesh.addGlobalService({ name: 'ratings', namespace: 'bookinfo', ports: http, runsIn: ['east', 'west'] });
  return mesh;
}

function weighted(weights: ClusterWeight[], outdir?: string): MultiClusterMesh {
  const mesh = linkerdMesh(['net-east', 'net-west'], { ratings: ['east', 'west'] }, outdir);
  mesh.addGlobalService({ name: 'ratings', namespace: 'bookinfo', ports: http, runsIn: ['east', 'west'], weights });
  return mesh;
}

const SCENARIOS: Record<string, (outdir: string) => MultiClusterMesh> = {
  twoNetworks: (o) => remoteCall(['net-east', 'net-west'], o),
  oneNetwork: (o) => remoteCall(['net1', 'net1'], o),
  federated: (o) => federated(o),
  weighted: (o) => weighted([{ cluster: 'east', weight: 50 }, { cluster: 'west', weight: 50 }], o),
};

describe('MultiClusterMesh (Linkerd)', () => {
  test('two networks: the caller gets the stub and an HTTPRoute to the gateway mirror <name>-<cluster>', () => {
    const east = meshObjects(remoteCall(['net-east', 'net-west']), 'east');
    expect(find(east, 'Service', 'reviews').spec).toEqual({ ports: [{ name: 'http', port: 9080 }] });
    const route = find(east, 'HTTPRoute', 'reviews');
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.metadata.namespace).toBe('bookinfo');
    expect(route.spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews', port: 9080 }]);
    expect(route.spec.rules).toEqual([{
      matches: [{ path: { type: 'PathPrefix', value: '/' } }],
      backendRefs: [{ group: '', kind: 'Service', name: 'reviews-west', port: 9080, weight: 1 }],
    }]);
  });

  test('two networks: the serving MeshService is exported through the gateway (mirror.linkerd.io/exported: "true"), its version Services are not', () => {
    const outdir = tmp();
    const mesh = remoteCall(['net-east', 'net-west'], outdir);
    mesh.synth();
    expect(find(written(outdir, 'west'), 'Service', 'reviews').metadata.labels).toEqual({ 'app': 'reviews', 'service': 'reviews', 'mirror.linkerd.io/exported': 'true' });
    const eastValues = values(outdir, 'east');
    expect(eastValues.json).toEqual({ gateway: { enabled: false }, controllers: [{ link: { ref: { name: 'west' } } }] });
    expect(eastValues.text).toContain('#   linkerd --context=west multicluster link-gen --cluster-name=west | kubectl --context=east apply -f -');
    expect(values(outdir, 'west').json).toEqual({ gateway: { enabled: true }, controllers: [] });
    expect(meshObjects(mesh, 'west')).toEqual([]);
  });

  test('only the main Service of a versioned MeshService is exported', () => {
    const outdir = tmp();
    const mesh = new MultiClusterMesh({ mesh: Mesh.LINKERD, outdir, clusters: [cluster('east', 'a'), cluster('west', 'b')] });
    new MeshService(new Chart(mesh.app('west'), 'bookinfo', { namespace: 'bookinfo' }), 'reviews', { ports: [ServicePort.http(9080)], renderServices: true, versions: ['v1', 'v2'] });
    mesh.addGlobalService({ name: 'reviews', namespace: 'bookinfo', ports: http, runsIn: ['west'], calledFrom: ['east'] });
    mesh.synth();
    const services = written(outdir, 'west').filter((o) => o.kind === 'Service');
    expect(services.map((o) => [o.metadata.name, o.metadata.labels['mirror.linkerd.io/exported']])).toEqual([['reviews', 'true'], ['reviews-v1', undefined], ['reviews-v2', undefined]]);
  });

  test('one network: remote-discovery (pod to pod), a Link without gateway', () => {
    const outdir = tmp();
    const mesh = remoteCall(['net1', 'net1'], outdir);
    mesh.synth();
    expect(find(written(outdir, 'west'), 'Service', 'reviews').metadata.labels['mirror.linkerd.io/exported']).toBe('remote-discovery');
    const eastValues = values(outdir, 'east');
    expect(eastValues.json).toEqual({ gateway: { enabled: false }, controllers: [{ link: { ref: { name: 'west' } }, gateway: { enabled: false } }] });
    expect(eastValues.text).toContain('linkerd --context=west multicluster link-gen --cluster-name=west --gateway=false | kubectl --context=east apply -f -');
    expect(values(outdir, 'west').json.gateway).toEqual({ enabled: false });
  });

  test('one network, several serving clusters, no weights: a federated service (members labelled, routes to <name>-federated)', () => {
    const outdir = tmp();
    federated(outdir).synth();
    for (const c of ['east', 'west']) {
      const objs = written(outdir, c);
      expect(find(objs, 'Service', 'ratings').metadata.labels['mirror.linkerd.io/federated']).toBe('member');
      expect(find(objs, 'Service', 'ratings').metadata.labels['mirror.linkerd.io/exported']).toBeUndefined();
      expect(find(objs, 'HTTPRoute', 'ratings').spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'ratings-federated', port: 9080, weight: 100 }]);
      expect(objs.filter((o) => o.kind === 'Service' && o.metadata.name === 'ratings')).toHaveLength(1); // no stub where it runs
    }
    expect(values(outdir, 'west').json.controllers).toEqual([{ link: { ref: { name: 'east' } }, gateway: { enabled: false } }]);
  });

  test('weights: each caller splits between its own Service and the other cluster\'s mirror', () => {
    const mesh = weighted([{ cluster: 'west', weight: 20 }, { cluster: 'east', weight: 80 }]);
    const backends = (c: string) => find(meshObjects(mesh, c), 'HTTPRoute', 'ratings').spec.rules[0].backendRefs.map((b: any) => [b.name, b.weight]);
    expect(backends('east')).toEqual([['ratings', 80], ['ratings-west', 20]]);
    expect(backends('west')).toEqual([['ratings-east', 80], ['ratings', 20]]);
    expect(find(meshObjects(mesh, 'east'), 'Service', 'ratings')).toBeUndefined();
  });

  test('a service that runs where it is called and has no weights stays local: no route, the mirrors stay available', () => {
    const mesh = linkerdMesh(['net-east', 'net-west'], { ratings: ['east', 'west'] });
    mesh.addGlobalService({ name: 'ratings', namespace: 'bookinfo', ports: http, runsIn: ['east', 'west'] });
    expect(meshObjects(mesh, 'east')).toEqual([]);
    expect(mesh.diagram()).toContain('n_east__bookinfo__ratings_west["bookinfo/ratings-west (mirror)"]:::mirror');
  });

  test('a multi-port service gets one route per HTTP port', () => {
    const mesh = linkerdMesh(['net-east', 'net-west'], { api: ['west'] });
    mesh.addGlobalService({ name: 'api', namespace: 'bookinfo', ports: [{ name: 'http', port: 80 }, { name: 'grpc-admin', port: 9090 }], runsIn: ['west'], calledFrom: ['east'] });
    const routes = meshObjects(mesh, 'east').filter((o) => o.kind === 'HTTPRoute');
    expect(routes.map((r) => [r.metadata.name, r.spec.parentRefs[0].port, r.spec.rules[0].backendRefs[0].port])).toEqual([['api-http', 80, 80], ['api-grpc-admin', 9090, 9090]]);
  });

  test('the diagram: mirrors in the caller, the route to them, the gateway or pod-to-pod crossing', () => {
    const d = remoteCall(['net-east', 'net-west']).diagram();
    expect(d).toContain('subgraph n_east["east (network net-east)"]');
    expect(d).toContain('n_east__bookinfo__reviews("bookinfo/reviews (stub)"):::stub');
    expect(d).toContain('n_east__bookinfo__reviews -.->|"HTTPRoute weight 1"| n_east__bookinfo__reviews_west');
    expect(d).toContain('n_east__bookinfo__reviews_west ==>|"mTLS via linkerd-gateway :4143"| n_west__bookinfo__reviews');
    expect(remoteCall(['net1', 'net1']).diagram()).toContain('n_east__bookinfo__reviews_west -->|"mTLS pod to pod"| n_west__bookinfo__reviews');
    expect(d).toMatchSnapshot();
  });

  test('the export label is on the MeshService for a Service created elsewhere (intentServiceLabels)', () => {
    const mesh = new MultiClusterMesh({ mesh: Mesh.LINKERD, outdir: tmp(), clusters: [cluster('east', 'a'), cluster('west', 'b')] });
    const reviews = new MeshService(new Chart(mesh.app('west'), 'bookinfo', { namespace: 'bookinfo' }), 'reviews', { ports: [ServicePort.http(9080)] });
    mesh.addGlobalService({ name: 'reviews', namespace: 'bookinfo', ports: http, runsIn: ['west'], calledFrom: ['east'] });
    mesh.synth();
    mesh.synth(); // twice: the same label again is no conflict
    expect(reviews.intentServiceLabels).toEqual({ 'mirror.linkerd.io/exported': 'true' });
  });

  test('no Secret, no secret data and no credentials in any written object or values file of any scenario', () => {
    let count = 0;
    for (const build of Object.values(SCENARIOS)) {
      const outdir = tmp();
      const mesh = build(outdir);
      mesh.synth();
      for (const c of mesh.clusters) {
        const objs = written(outdir, c.name);
        count += objs.length;
        expect(secretsIn(objs)).toEqual([]);
        const json = values(outdir, c.name).json;
        expect(Object.keys(json).sort()).toEqual(['controllers', 'gateway']); // no kubeconfig, token or certificate
        expect(secretFields(json, 'values')).toEqual([]);
      }
    }
    expect(count).toBeGreaterThan(10);
  });

  test('a Service object of the user\'s own (no MeshService) gets the export label itself', () => {
    const outdir = tmp();
    const mesh = new MultiClusterMesh({ mesh: Mesh.LINKERD, outdir, clusters: [cluster('east', 'a'), cluster('west', 'a')] });
    new ApiObject(new Chart(mesh.app('west'), 'own'), 'svc', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'bookinfo', labels: { app: 'reviews' } }, spec: { ports: [{ name: 'http', port: 9080 }] },
    });
    mesh.addGlobalService({ name: 'reviews', namespace: 'bookinfo', ports: http, runsIn: ['west'], calledFrom: ['east'] });
    mesh.synth();
    expect(find(written(outdir, 'west'), 'Service', 'reviews').metadata.labels).toEqual({ 'app': 'reviews', 'mirror.linkerd.io/exported': 'remote-discovery' });
  });

  test('synth twice writes the same files', () => {
    const outdir = tmp();
    const mesh = weighted([{ cluster: 'east', weight: 70 }, { cluster: 'west', weight: 30 }], outdir);
    const read = () => Object.fromEntries(['east', 'west'].flatMap((c) => fs.readdirSync(path.join(outdir, c)).map((f) => [`${c}/${f}`, fs.readFileSync(path.join(outdir, c, f), 'utf8')])));
    mesh.synth();
    const first = read();
    mesh.synth();
    expect(read()).toEqual(first);
  });

  test('snapshots: two networks, one network, federated, weighted', () => {
    for (const [name, build] of Object.entries(SCENARIOS)) {
      const outdir = tmp();
      const mesh = build(outdir);
      mesh.synth();
      expect(Object.fromEntries(mesh.clusters.map((c) => [c.name, { objects: written(outdir, c.name), values: values(outdir, c.name).text }]))).toMatchSnapshot(name);
    }
  });
});

describe('MultiClusterMesh (Linkerd) refusals', () => {
  test.each([
    ['a remote cluster', () => new MultiClusterMesh({ mesh: Mesh.LINKERD, clusters: [cluster('east', 'a'), cluster('west', 'a', { role: ClusterRole.REMOTE, primary: 'east' })] }),
      /MultiClusterMesh: clusters\["west"\]\.role is "remote", which Linkerd has no such thing as.*Fix: leave role at ClusterRole.PRIMARY/],
    ['trust domains differ', () => new MultiClusterMesh({ mesh: Mesh.LINKERD, clusters: [cluster('east', 'a'), cluster('west', 'a', { trustDomain: 'west.example' })] }),
      /clusters\["west"\]\.trustDomain is "west.example" but "east" has "cluster.local"/],
    ['callers on the serving network and on another', () => {
      const mesh = new MultiClusterMesh({ mesh: Mesh.LINKERD, clusters: [cluster('east', 'a'), cluster('west', 'a'), cluster('north', 'b')] });
      mesh.addGlobalService({ name: 'reviews', namespace: 'bookinfo', ports: http, runsIn: ['west'], calledFrom: ['east', 'north'] });
    }, /MultiClusterMesh\/bookinfo\/reviews: calledFrom mixes callers on "west"'s network "a" \(\["east"\]\) and on others \(\["north"\]\).*Fix: declare the callers of one network/],
    ['remote callers through the gateway (it calls the service as itself)', () => {
      const mesh = new MultiClusterMesh({ mesh: Mesh.LINKERD, clusters: [cluster('east', 'a'), cluster('west', 'b')] });
      mesh.addGlobalService({ name: 'reviews', namespace: 'bookinfo', ports: http, runsIn: ['west'], calledFrom: ['east'], remoteCallers: [{ cluster: 'east', serviceAccount: 'productpage' }] });
    }, /MultiClusterMesh\/bookinfo\/reviews: remoteCallers names .*through the Linkerd gateway, which terminates their mTLS and calls the service as itself \(linkerd-gateway\.linkerd-multicluster\.serviceaccount\.identity\.linkerd\.cluster\.local\).*Fix: drop remoteCallers and admit the gateway/],
    ['remote callers pod to pod (the caller\'s own identity: a local allow rule admits it)', () => {
      const mesh = new MultiClusterMesh({ mesh: Mesh.LINKERD, clusters: [cluster('east', 'a'), cluster('west', 'a')] });
      mesh.addGlobalService({ name: 'reviews', namespace: 'bookinfo', ports: http, runsIn: ['west'], calledFrom: ['east'], remoteCallers: [{ cluster: 'east', serviceAccount: 'productpage' }] });
    }, /remoteCallers is not rendered on Linkerd: pod to pod the server sees the caller's own identity.*Fix: drop remoteCallers and admit the callers where the service runs/],
    ['a TCP port routed across clusters', () => {
      const mesh = new MultiClusterMesh({ mesh: Mesh.LINKERD, clusters: [cluster('east', 'a'), cluster('west', 'b')] });
      mesh.addGlobalService({ name: 'db', namespace: 'data', ports: [{ name: 'tcp-pg', port: 5432 }], runsIn: ['west'], calledFrom: ['east'] });
    }, /MultiClusterMesh\/data\/db: ports\["tcp-pg"\] is not an HTTP or gRPC port.*Fix: name the port 'http'/],
    ['no Service to carry the export label', () => {
      const mesh = new MultiClusterMesh({ mesh: Mesh.LINKERD, outdir: tmp(), clusters: [cluster('east', 'a'), cluster('west', 'b')] });
      mesh.addGlobalService({ name: 'reviews', namespace: 'bookinfo', ports: http, runsIn: ['west'], calledFrom: ['east'] });
      mesh.synth();
    }, /MultiClusterMesh\/bookinfo\/reviews: runsIn names "west", but mesh.app\("west"\) declares no Service bookinfo\/reviews/],
    ['a Service object that sets the export label otherwise', () => {
      const mesh = new MultiClusterMesh({ mesh: Mesh.LINKERD, outdir: tmp(), clusters: [cluster('east', 'a'), cluster('west', 'b')] });
      new ApiObject(new Chart(mesh.app('west'), 'own'), 'svc', {
        apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'bookinfo', labels: { 'mirror.linkerd.io/exported': 'false' } }, spec: { ports: [{ name: 'http', port: 9080 }] },
      });
      mesh.addGlobalService({ name: 'reviews', namespace: 'bookinfo', ports: http, runsIn: ['west'], calledFrom: ['east'] });
      mesh.synth();
    }, /MultiClusterMesh\/bookinfo\/reviews: label mirror.linkerd.io\/exported is "true" but own\/svc sets "false"/],
    ['failover (linkerd-failover drives SMI TrafficSplits only)', () => {
      const mesh = linkerdMesh(['a', 'b'], { ratings: ['east', 'west'] });
      mesh.addGlobalService({ name: 'ratings', namespace: 'bookinfo', ports: http, runsIn: ['east', 'west'], failover: LocalityLoadBalancing.priority('topology.istio.io/network') });
    }, /MultiClusterMesh\/bookinfo\/ratings: failover is not rendered on Linkerd: its failover extension \(linkerd-failover 0.1.3\) drives SMI TrafficSplits only.*Fix: leave it out/],
    ['the user already sets the export label otherwise', () => {
      const mesh = new MultiClusterMesh({ mesh: Mesh.LINKERD, outdir: tmp(), clusters: [cluster('east', 'a'), cluster('west', 'b')] });
      new MeshService(new Chart(mesh.app('west'), 'bookinfo', { namespace: 'bookinfo' }), 'reviews', { ports: [ServicePort.http(9080)], serviceLabels: { 'mirror.linkerd.io/exported': 'remote-discovery' } });
      mesh.addGlobalService({ name: 'reviews', namespace: 'bookinfo', ports: http, runsIn: ['west'], calledFrom: ['east'] });
      mesh.synth();
    }, /label mirror.linkerd.io\/exported is "true" but bookinfo\/reviews sets "remote-discovery" in serviceLabels/],
    ['weights on a Service the caller routes itself', () => {
      const mesh = weighted([{ cluster: 'east', weight: 50 }, { cluster: 'west', weight: 50 }], tmp());
      new ApiObject(new Chart(mesh.app('east'), 'routes'), 'r', {
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'ratings-canary', namespace: 'bookinfo' },
        spec: { parentRefs: [{ group: '', kind: 'Service', name: 'ratings' }], rules: [] },
      });
      mesh.synth();
    }, /MultiClusterMesh\/bookinfo\/ratings: weights route ratings in "east" across clusters, but routes\/r routes it too/],
    ['weights that do not sum to 100', () => weighted([{ cluster: 'east', weight: 50 }, { cluster: 'west', weight: 40 }]), /weights must sum to 100, got 90 \(east=50, west=40\)/],
    ['a weight for a cluster it does not run in', () => weighted([{ cluster: 'east', weight: 50 }, { cluster: 'north', weight: 50 }]), /weights\[1\]\.cluster names "north", which the service does not run in/],
    ['a serving cluster without weight', () => weighted([{ cluster: 'east', weight: 100 }]), /weights has no weight for \["west"\]/],
    ['a weight that is not a percentage', () => weighted([{ cluster: 'east', weight: 100.5 }, { cluster: 'west', weight: -0.5 }]), /weights\[0\]\.weight must be an integer from 0 to 100, got 100.5/],
    ['affinity (no failover between local and mirrored Services)', () => {
      const mesh = linkerdMesh(['a', 'b'], { ratings: ['east', 'west'] });
      mesh.addGlobalService({ name: 'ratings', namespace: 'bookinfo', ports: http, runsIn: ['east', 'west'], affinity: ClusterAffinity.LOCAL });
    }, /MultiClusterMesh\/bookinfo\/ratings: affinity is "local", which Linkerd cannot render/],
    ['weights on Cilium', () => {
      const mesh = new MultiClusterMesh({ mesh: Mesh.CILIUM, clusters: [cluster('east', 'a', { clusterId: 1 }), cluster('west', 'a', { clusterId: 2 })] });
      mesh.addGlobalService({ name: 'ratings', namespace: 'bookinfo', ports: http, runsIn: ['east', 'west'], weights: [{ cluster: 'east', weight: 50 }, { cluster: 'west', weight: 50 }] });
    }, /MultiClusterMesh\/bookinfo\/ratings: weights are not rendered on Cilium ClusterMesh/],
  ])('%s', (_name, build, message) => {
    expect(build).toThrow(message);
  });
});
