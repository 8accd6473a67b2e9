import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { allTargets, sharedDir, validateTargetDirs, writeTargetManifest } from '../../scripts/target-crds';
import { Mesh, useMesh } from '../../src/core/mesh';
import { HttpRoute } from '../../src/gateway-api/http-route';
import { ParentRef } from '../../src/gateway-api/parent-ref';
import { MeshTarget } from '../../src/target/mesh-target';
import { GatewayApiVersion } from '../../src/target/versions';

function synthRoute(target: MeshTarget): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'target-crds-'));
  const app = new App({ outdir });
  useMesh(app, Mesh.GATEWAY_API, { target });
  const linkerd = new Chart(app, 'on-linkerd', { namespace: 'shop' });
  useMesh(linkerd, Mesh.LINKERD);
  for (const chart of [new Chart(app, 'on-gamma', { namespace: 'shop' }), linkerd]) {
    new HttpRoute(chart, 'r', { parents: [ParentRef.service('catalog')], rules: [{ name: 'all', backends: [{ name: 'catalog-v1', port: 80 }] }] });
  }
  app.synth();
  const m = writeTargetManifest(app, outdir);
  expect(m.files).toEqual({ 'on-gamma.k8s.yaml': 'gateway-api', 'on-linkerd.k8s.yaml': 'linkerd' });
  expect(m.target).toBe(target.id);
  return outdir;
}

test('the CI matrix is every Istio × Gateway API × Linkerd release, plus each experimental Gateway API release', () => {
  const ids = allTargets().map((t) => t.id);
  expect(ids).toHaveLength(3 * 5 * 3 + 5);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toContain('istio-1.28_gateway-api-v1.2-standard_linkerd-2.18');
  expect(ids).toContain('istio-1.30_gateway-api-v1.6-experimental_linkerd-2.20');
});

const shared = sharedDir();
(shared ? test : test.skip)('validation uses the CRDs of each folder\'s target, and Linkerd\'s bundled HTTPRoute for Linkerd charts', () => {
  const good = synthRoute(MeshTarget.of({ gatewayApi: GatewayApiVersion.V1_2 }));
  const latest = synthRoute(MeshTarget.LATEST);
  expect(validateTargetDirs([good, latest], shared!).problems).toEqual([]);
  // The same rule name written into the v1.2 output (as a renderer that ignored the target would).
  const file = path.join(good, 'on-gamma.k8s.yaml');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('rules:\n    - backendRefs:', 'rules:\n    - name: all\n      backendRefs:'));
  const r = validateTargetDirs([good, latest], shared!);
  expect(r.problems).toEqual([expect.stringMatching(/^INVALID .*on-gamma\.k8s\.yaml \(istio-1\.30_gateway-api-v1\.2-standard_linkerd-2\.20\) HTTPRoute\/r: \/spec\/rules\/0: must NOT have additional properties "name"$/)]);
}, 60_000);
