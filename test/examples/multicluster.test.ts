import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { createMesh, NAMESPACE, PIN_HEADER } from '../../examples/multicluster/main';
import { MultiClusterMesh } from '../../src/multicluster';

// The example synthesized once, as `npm run synth` writes it: dist/multicluster/<cluster>/.
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'multicluster-example-'));
createMesh(outdir).synth();

function files(cluster: string): string[] {
  return fs.readdirSync(path.join(outdir, cluster)).sort();
}

function objects(cluster: string): any[] {
  return files(cluster).filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(outdir, cluster, f), 'utf8')).map((d) => d.toJSON()));
}

const ids = (cluster: string): string[] => objects(cluster).map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort();

test('one folder per cluster, with its charts and its Istio install values', () => {
  expect(fs.readdirSync(outdir).sort()).toEqual(['east', 'west']);
  for (const c of ['east', 'west']) expect(files(c)).toEqual(['bookinfo.k8s.yaml', MultiClusterMesh.ISTIO_VALUES_FILE, 'multicluster.k8s.yaml']);
});

test('productpage, details and reviews run in east, reviews and ratings in west', () => {
  const deployments = (c: string) => objects(c).filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name).sort();
  expect(deployments('east')).toEqual(['details-v1', 'productpage-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3']);
  expect(deployments('west')).toEqual(['ratings-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3']);
});

test('east, whose reviews call ratings, gets its selector-less stub; west runs it', () => {
  const ratings = (c: string) => objects(c).filter((o) => o.kind === 'Service' && o.metadata.name === 'ratings');
  const [stub] = ratings('east');
  expect(ratings('east')).toHaveLength(1);
  expect(stub.metadata.namespace).toBe(NAMESPACE);
  expect(stub.spec.selector).toBeUndefined();
  expect(stub.spec.ports).toEqual([{ name: 'http', port: 9080 }]);
  expect(ratings('west')).toHaveLength(1);
  expect(ratings('west')[0].spec.selector).toEqual({ app: 'ratings' });
});

test('east sends 90% of reviews to its own endpoints and 10% to west\'s, and pins a request to west by header', () => {
  const [vs] = objects('east').filter((o) => o.kind === 'VirtualService' && o.metadata.name === 'reviews');
  expect(vs.spec.http).toEqual([
    { name: 'pin-west', match: [{ headers: { [PIN_HEADER]: { exact: 'west' } } }], route: [{ destination: { host: 'reviews', subset: 'cluster-west' } }] },
    { route: [{ destination: { host: 'reviews', subset: 'cluster-east' }, weight: 90 }, { destination: { host: 'reviews', subset: 'cluster-west' }, weight: 10 }] },
  ]);
  expect(objects('west').filter((o) => o.kind === 'VirtualService')).toEqual([]);
});

test('reviews fails over region to region in both clusters: one DestinationRule each, with outlier detection and the cluster subsets in east', () => {
  for (const c of ['east', 'west']) {
    const drs = objects(c).filter((o) => o.kind === 'DestinationRule' && o.metadata.name === 'reviews');
    expect(drs).toHaveLength(1);
    expect(drs[0].spec.trafficPolicy).toEqual({
      loadBalancer: { localityLbSetting: { enabled: true, failover: [{ from: 'us-east1', to: 'us-west1' }, { from: 'us-west1', to: 'us-east1' }] } },
      outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 100 },
    });
  }
  const [east] = objects('east').filter((o) => o.kind === 'DestinationRule' && o.metadata.name === 'reviews');
  expect(east.spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2', 'v3', 'cluster-east', 'cluster-west']);
});

test('each cluster declares the bookinfo namespace once (the stub namespace yields to the app chart)', () => {
  for (const c of ['east', 'west']) expect(ids(c).filter((id) => id === `Namespace//${NAMESPACE}`)).toHaveLength(1);
});

test('each cluster denies by default; the calls within it are allowed, and west admits east\'s callers by principal', () => {
  const allows = (c: string) => Object.fromEntries(objects(c).filter((o) => o.kind === 'AuthorizationPolicy')
    .map((o) => [o.metadata.name, o.spec.rules?.[0]?.from?.[0]?.source?.principals ?? 'allow-nothing']));
  const sa = (name: string) => `cluster.local/ns/${NAMESPACE}/sa/bookinfo-${name}`;
  for (const c of ['east', 'west']) {
    expect(objects(c).find((o) => o.kind === 'PeerAuthentication').spec).toEqual({ mtls: { mode: 'STRICT' } });
    expect(objects(c).filter((o) => o.kind === 'NetworkPolicy')).toEqual([]);
  }
  expect(allows('east')).toEqual({
    'allow-nothing': 'allow-nothing',
    'productpage': ['cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account'],
    'details': [sa('productpage')],
    'reviews': [sa('productpage')],
  });
  expect(allows('west')).toEqual({
    'allow-nothing': 'allow-nothing',
    'ratings': [sa('reviews')],
    'reviews-remote-callers': [sa('productpage')],
    'ratings-remote-callers': [sa('reviews')],
  });
});

test('two networks: every cluster labels istio-system with its network and has an east-west gateway', () => {
  for (const [c, network] of [['east', 'net-east'], ['west', 'net-west']]) {
    const istioSystem = objects(c).find((o) => o.kind === 'Namespace' && o.metadata.name === 'istio-system');
    expect(istioSystem.metadata.labels['topology.istio.io/network']).toBe(network);
    expect(ids(c)).toContain('Gateway/istio-system/cross-network-gateway');
  }
});

test('the install values name the mesh, the cluster and its network', () => {
  const values = fs.readFileSync(path.join(outdir, 'west', MultiClusterMesh.ISTIO_VALUES_FILE), 'utf8');
  expect(values).toMatch(/meshID: bookinfo-mesh/);
  expect(values).toMatch(/clusterName: west/);
  expect(values).toMatch(/network: net-west/);
});

test('no Secret anywhere in the output', () => {
  for (const c of ['east', 'west']) expect(objects(c).filter((o) => o.kind === 'Secret')).toEqual([]);
});

test('snapshot of every cluster folder', () => {
  const all: Record<string, string> = {};
  for (const c of ['east', 'west']) for (const f of files(c)) all[`${c}/${f}`] = fs.readFileSync(path.join(outdir, c, f), 'utf8');
  expect(all).toMatchSnapshot();
});
