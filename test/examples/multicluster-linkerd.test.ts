import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { createMesh, NAMESPACE } from '../../examples/multicluster-linkerd/main';
import { sharedDir, validateTargetDirs, writeTargetManifest } from '../../scripts/target-crds';
import { MultiClusterMesh } from '../../src/multicluster';
import { validateSchemas } from '../support/schema';

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
  for (const c of ['east', 'west']) expect(find(c, 'Namespace', NAMESPACE)[0].metadata.annotations).toEqual({ 'linkerd.io/inject': 'enabled' });
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
  for (const c of ['east', 'west']) expect(objects(c).filter((o) => o.kind === 'Link' || o.kind === 'Secret')).toEqual([]);
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
