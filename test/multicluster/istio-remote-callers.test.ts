import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { ClusterRole, GlobalServiceProps, MeshCluster, MultiClusterMesh } from '../../src/multicluster';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { StrictMtlsNamespace } from '../../src/security/strict-mtls-namespace';
import { validateSchemas } from '../support/schema';

const cluster = (name: string) => new MeshCluster({ name, network: `net-${name}`, meshId: 'mesh1', trustDomain: 'corp.example' });
const reviews: GlobalServiceProps = {
  name: 'reviews', namespace: 'bookinfo', ports: [{ name: 'http', port: 9080 }], runsIn: ['west'], calledFrom: ['east'],
  remoteCallers: [{ cluster: 'east', serviceAccount: 'productpage' }, { cluster: 'east', serviceAccount: 'tester', namespace: 'qa' }],
};

function istio(): MultiClusterMesh {
  return new MultiClusterMesh({ clusters: [cluster('east'), cluster('west')], outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'istio-mc-')) });
}

/** A deny-by-default bookinfo namespace in the cluster, with a MeshService per name (pods `app: <name>`, pod port 9080). */
function serve(mesh: MultiClusterMesh, name: string, ...services: string[]): Chart {
  const chart = new Chart(mesh.app(name), `${name}-apps`, { namespace: 'bookinfo' });
  new StrictMtlsNamespace(chart, 'bookinfo', { networkPolicies: false });
  for (const s of services) new MeshService(chart, s, { ports: [ServicePort.http(9080)], renderServices: true });
  return chart;
}

function scenario(props: Partial<GlobalServiceProps> = {}): MultiClusterMesh {
  const mesh = istio();
  serve(mesh, 'west', 'reviews');
  serve(mesh, 'east', 'productpage');
  mesh.addGlobalService({ ...reviews, ...props });
  mesh.synth();
  return mesh;
}

function written(mesh: MultiClusterMesh, name: string): any[] {
  const dir = path.join(mesh.outdir, name);
  return fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS()));
}

const policies = (objs: any[]) => objs.filter((o) => o.kind === 'AuthorizationPolicy');

describe('MultiClusterMesh (Istio): callers in other clusters under deny-by-default', () => {
  test('the serving cluster admits exactly the declared callers by principal, in the shared trust domain, on the pod ports', () => {
    const mesh = scenario();
    const [policy] = policies(written(mesh, 'west')).filter((p) => p.metadata.name === 'reviews-remote-callers');
    expect(policy.apiVersion).toBe('security.istio.io/v1');
    expect(policy.metadata).toEqual({ name: 'reviews-remote-callers', namespace: 'bookinfo', annotations: { 'mesh.cdk8s.io/remote-callers-from': 'east' } });
    expect(policy.spec).toEqual({
      action: 'ALLOW',
      selector: { matchLabels: { app: 'reviews' } },
      rules: [{ from: [{ source: { principals: ['corp.example/ns/bookinfo/sa/productpage', 'corp.example/ns/qa/sa/tester'] } }], to: [{ operation: { ports: ['9080'] } }] }],
    });
  });

  test('the allow-nothing baseline stays, and the calling cluster gets no policy of the service', () => {
    const mesh = scenario();
    expect(policies(written(mesh, 'west')).map((p) => p.metadata.name).sort()).toEqual(['allow-nothing', 'reviews-remote-callers']);
    expect(policies(written(mesh, 'east')).map((p) => p.metadata.name)).toEqual(['allow-nothing']);
  });

  test("a service running in both clusters: each admits only the other cluster's callers", () => {
    const mesh = istio();
    serve(mesh, 'west', 'reviews');
    serve(mesh, 'east', 'reviews', 'productpage');
    mesh.addGlobalService({ ...reviews, runsIn: ['east', 'west'], remoteCallers: [{ cluster: 'east', serviceAccount: 'productpage' }] });
    mesh.synth();
    expect(policies(written(mesh, 'east')).map((p) => p.metadata.name)).toEqual(['allow-nothing']);
    const [west] = policies(written(mesh, 'west')).filter((p) => p.metadata.name === 'reviews-remote-callers');
    expect(west.spec.rules[0].from[0].source.principals).toEqual(['corp.example/ns/bookinfo/sa/productpage']);
  });

  test('without remoteCallers nothing is admitted across clusters', () => {
    const mesh = scenario({ remoteCallers: undefined });
    expect(policies(written(mesh, 'west')).map((p) => p.metadata.name)).toEqual(['allow-nothing']);
  });

  test('the east-west gateway passes mTLS through and needs no admission: no policy lands in istio-system', () => {
    const mesh = scenario();
    const west = written(mesh, 'west');
    expect(west.find((o) => o.kind === 'Gateway' && o.metadata.name === 'cross-network-gateway').spec.servers)
      .toEqual([{ port: { number: 15443, name: 'tls', protocol: 'TLS' }, tls: { mode: 'AUTO_PASSTHROUGH' }, hosts: ['*.local'] }]);
    expect(policies(west).filter((p) => p.metadata.namespace === 'istio-system')).toEqual([]);
  });

  test('schema-valid, and snapshot of both clusters', () => {
    const mesh = scenario();
    const all = ['east', 'west'].map((c) => written(mesh, c));
    const report = validateSchemas(all.flat());
    expect(report.invalid).toEqual([]);
    expect(report.unchecked).toEqual([]);
    expect(all).toMatchSnapshot();
  });
});

describe('MultiClusterMesh (Istio) primary-remote: the remote callers\' policy lives in the primary', () => {
  // istiod reads AuthorizationPolicies from its config cluster only (pilot/pkg/bootstrap/configcontroller.go
  // makeKubeConfigController: crdclient on s.kubeClient) and applies them to the matching pods of every cluster it configures
  function primaryRemote(): MultiClusterMesh {
    return new MultiClusterMesh({
      clusters: [cluster('east'), new MeshCluster({ name: 'west', network: 'net-west', meshId: 'mesh1', trustDomain: 'corp.example', role: ClusterRole.REMOTE, primary: 'east' })],
      outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'istio-mc-')),
    });
  }
  /** The remote runs the service's workloads and Service only; its Istio configuration is the primary's. */
  const remoteServes = (mesh: MultiClusterMesh) => new MeshService(new Chart(mesh.app('west'), 'west-apps', { namespace: 'bookinfo' }), 'reviews', { ports: [ServicePort.http(9080)], renderServices: true });

  test('a service running in the remote only: the policy admitting the primary\'s callers is in the primary\'s output, none in the remote\'s', () => {
    const mesh = primaryRemote();
    remoteServes(mesh);
    serve(mesh, 'east', 'productpage');
    mesh.addGlobalService(reviews);
    mesh.synth();
    expect(policies(written(mesh, 'west'))).toEqual([]);
    const [policy] = policies(written(mesh, 'east')).filter((p) => p.metadata.name === 'reviews-remote-callers');
    expect(policy.spec.selector).toEqual({ matchLabels: { app: 'reviews' } });
    expect(policy.spec.rules[0].from[0].source.principals).toEqual(['corp.example/ns/bookinfo/sa/productpage', 'corp.example/ns/qa/sa/tester']);
  });

  test('a service running in the primary and its remote: one policy in the primary, admitting the callers of each cluster (to the other\'s pods)', () => {
    const mesh = primaryRemote();
    remoteServes(mesh);
    serve(mesh, 'east', 'reviews', 'productpage');
    mesh.addGlobalService({ ...reviews, runsIn: ['east', 'west'], calledFrom: ['east', 'west'], remoteCallers: [{ cluster: 'east', serviceAccount: 'productpage' }, { cluster: 'west', serviceAccount: 'tester' }] });
    mesh.synth();
    expect(policies(written(mesh, 'west'))).toEqual([]);
    const remoteCallers = policies(written(mesh, 'east')).filter((p) => p.metadata.name === 'reviews-remote-callers');
    expect(remoteCallers.map((p) => [p.metadata.annotations, p.spec.rules[0].from[0].source.principals])).toEqual([
      [{ 'mesh.cdk8s.io/remote-callers-from': 'east,west' }, ['corp.example/ns/bookinfo/sa/productpage', 'corp.example/ns/bookinfo/sa/tester']],
    ]);
  });

  test('refused: the primary\'s and the remote\'s Services select different pods, which one policy cannot name', () => {
    const mesh = primaryRemote();
    new ApiObject(new Chart(mesh.app('west'), 'west-apps'), 'reviews', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'bookinfo' },
      spec: { selector: { app: 'reviews-west' }, ports: [{ name: 'http', port: 9080 }] },
    });
    serve(mesh, 'east', 'reviews');
    mesh.addGlobalService({ ...reviews, runsIn: ['east', 'west'] });
    expect(() => mesh.synth()).toThrow(/MultiClusterMesh\/bookinfo\/reviews: remoteCallers need one AuthorizationPolicy in "east", whose istiod configures both "east" and "west", but their Services bookinfo\/reviews select different pods or pod ports \(\{"app":"reviews"\} 9080 vs \{"app":"reviews-west"\} 9080\)\. Fix: give the Service the same selector and targetPorts in both clusters/);
  });
});

describe('MultiClusterMesh (Istio) remote callers: refusals', () => {
  test('a serving cluster whose MeshService renders no Service object', () => {
    const mesh = istio();
    new MeshService(new Chart(mesh.app('west'), 'apps', { namespace: 'bookinfo' }), 'reviews', { ports: [ServicePort.http(9080)] });
    mesh.addGlobalService(reviews);
    expect(() => mesh.synth()).toThrow(/MultiClusterMesh\/bookinfo\/reviews: runsIn names "west", whose App has the MeshService of bookinfo\/reviews but not its Service object, which the AuthorizationPolicy admitting its remote callers needs/);
  });

  test('a Service reaching a named pod port, which the policy cannot name', () => {
    const mesh = istio();
    new ApiObject(new Chart(mesh.app('west'), 'apps'), 'reviews', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'bookinfo' },
      spec: { selector: { app: 'reviews' }, ports: [{ name: 'http', port: 9080, targetPort: 'web' }] },
    });
    mesh.addGlobalService(reviews);
    expect(() => mesh.synth()).toThrow(/ports\["http"\] reaches the named pod port "web"/);
  });
});
