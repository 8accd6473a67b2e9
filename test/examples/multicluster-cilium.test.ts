import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { createMesh, NAMESPACE } from '../../examples/multicluster-cilium/main';
import { sharedDir, validateTargetDirs, writeTargetManifest } from '../../scripts/target-crds';
import { MultiClusterMesh } from '../../src/multicluster';
import { validateSchemas } from '../support/schema';

// The example synthesized once, as `npm run synth` writes it: dist/multicluster-cilium/<cluster>/.
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'multicluster-cilium-example-'));
const mesh = createMesh(outdir);
mesh.synth();
for (const c of mesh.clusters) writeTargetManifest(mesh.app(c.name), mesh.app(c.name).outdir);

function files(cluster: string): string[] {
  return fs.readdirSync(path.join(outdir, cluster)).filter((f) => f !== 'target.json').sort();
}

function objects(cluster: string): any[] {
  return files(cluster).filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(outdir, cluster, f), 'utf8')).map((d) => d.toJSON()));
}

const named = (cluster: string, kind: string, name: string) => objects(cluster).filter((o) => o.kind === kind && o.metadata.name === name);

test('one folder per cluster, with its charts and its Cilium install values', () => {
  expect(fs.readdirSync(outdir).sort()).toEqual(['east', 'west']);
  for (const c of ['east', 'west']) expect(files(c)).toEqual(['bookinfo.k8s.yaml', MultiClusterMesh.CILIUM_VALUES_FILE, 'multicluster.k8s.yaml']);
});

test('productpage and details run in east, reviews and ratings in west', () => {
  const deployments = (c: string) => objects(c).filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name).sort();
  expect(deployments('east')).toEqual(['details-v1', 'productpage-v1']);
  expect(deployments('west')).toEqual(['ratings-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3']);
});

test('reviews is one global Service per cluster: west\'s own (shared), east\'s stub (not shared)', () => {
  const [own] = named('west', 'Service', 'reviews');
  expect(named('west', 'Service', 'reviews')).toHaveLength(1);
  expect(own.spec.selector).toEqual({ app: 'reviews' });
  expect(own.metadata.annotations).toEqual({ 'service.cilium.io/affinity': 'none', 'service.cilium.io/global': 'true', 'service.cilium.io/shared': 'true' });
  const [stub] = named('east', 'Service', 'reviews');
  expect(named('east', 'Service', 'reviews')).toHaveLength(1);
  expect(stub.metadata.namespace).toBe(NAMESPACE);
  expect(stub.spec.selector).toBeUndefined();
  expect(stub.metadata.annotations['service.cilium.io/shared']).toBe('false');
});

test('only productpage of east gets into west\'s reviews, and out of east to it', () => {
  const [ingress] = named('west', 'CiliumNetworkPolicy', 'reviews-remote-callers');
  expect(ingress.spec.ingress).toEqual([{
    fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.policy.cluster': 'east', 'k8s:io.cilium.k8s.policy.serviceaccount': 'bookinfo-productpage', 'k8s:io.kubernetes.pod.namespace': NAMESPACE } }],
    toPorts: [{ ports: [{ port: '9080', protocol: 'TCP' }] }],
  }]);
  const [egress] = named('east', 'CiliumNetworkPolicy', 'bookinfo-productpage-to-remote-reviews');
  expect(egress.spec.egress[0].toEndpoints).toEqual([{ matchLabels: { 'app': 'reviews', 'io.cilium.k8s.policy.cluster': 'west', 'k8s:io.kubernetes.pod.namespace': NAMESPACE } }]);
  for (const p of [ingress, egress]) expect(p.spec.enableDefaultDeny).toEqual({ ingress: false, egress: false });
});

test('each namespace is deny-by-default and declared once (the stub namespace yields to the app chart)', () => {
  for (const c of ['east', 'west']) {
    expect(named(c, 'Namespace', NAMESPACE)).toHaveLength(1);
    expect(named(c, 'NetworkPolicy', 'default-deny')).toHaveLength(1);
  }
});

test('the install values name the cluster and its ID', () => {
  const values = fs.readFileSync(path.join(outdir, 'west', MultiClusterMesh.CILIUM_VALUES_FILE), 'utf8');
  expect(parseAllDocuments(values)[0].toJS()).toEqual({ cluster: { name: 'west', id: 2 }, clustermesh: { useAPIServer: true, policyDefaultLocalCluster: true } });
});

test('no Secret anywhere in the output', () => {
  for (const c of ['east', 'west']) expect(objects(c).filter((o) => o.kind === 'Secret')).toEqual([]);
});

test('snapshot of every cluster folder and the diagram', () => {
  const all: Record<string, string> = {};
  for (const c of ['east', 'west']) for (const f of files(c)) all[`${c}/${f}`] = fs.readFileSync(path.join(outdir, c, f), 'utf8');
  all['clusters.mmd'] = mesh.diagram();
  expect(all).toMatchSnapshot();
});

test('every object validates against the kubernetes-models schemas (@kubernetes-models/cilium for the CiliumNetworkPolicies)', () => {
  const all = [...objects('east'), ...objects('west')];
  const report = validateSchemas(all);
  expect(report.invalid).toEqual([]);
  expect(report.unchecked).toEqual([]);
  expect(report.checked).toBe(all.length);
});

const shared = sharedDir();
(shared ? test : test.skip)('every cluster folder validates with kube-validate against its CRDs (CiliumNetworkPolicy against ../shared/crds/cilium)', () => {
  const r = validateTargetDirs(mesh.clusters.map((c) => mesh.app(c.name).outdir), shared!);
  expect(r.problems).toEqual([]);
  expect(r.folders).toBe(2);
});
