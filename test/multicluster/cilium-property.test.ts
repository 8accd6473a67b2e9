import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { Mesh } from '../../src/core/mesh';
import { ClusterAffinity, MeshCluster, MultiClusterMesh } from '../../src/multicluster';

// Random ClusterMeshes: 2-5 clusters with distinct IDs from 1 to 255, a global service stubbed in
// every cluster but the first, any affinity. Valid input always renders values with the cluster's
// ID and stubs with Cilium's annotation values; a bad ID is always refused.

const clusterSet = fc.uniqueArray(fc.integer({ min: 1, max: 255 }), { minLength: 2, maxLength: 5 });
const affinity = fc.constantFrom(ClusterAffinity.NONE, ClusterAffinity.LOCAL, ClusterAffinity.REMOTE);

function clusters(ids: number[], bad?: { index: number; id: number }): MeshCluster[] {
  return ids.map((id, i) => new MeshCluster({ name: `c${i}`, network: 'net1', meshId: 'mesh1', clusterId: bad?.index === i ? bad.id : id }));
}

test('valid clusters: every values file carries its cluster\'s name and ID; every stub is global, unshared, with the affinity', () => {
  fc.assert(fc.property(clusterSet, affinity, (ids, a) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-prop-'));
    try {
      const mesh = new MultiClusterMesh({ mesh: Mesh.CILIUM, clusters: clusters(ids), outdir });
      const callers = mesh.clusters.slice(1).map((c) => c.name);
      // c0's App declares no Service, so this mesh is not synthesized: its stubs are read from its charts
      mesh.addGlobalService({ name: 'svc', namespace: 'ns', ports: [{ name: 'http', port: 80 }], runsIn: ['c0'], calledFrom: callers, affinity: a });
      for (const c of callers) {
        const [stub] = Testing.synth(mesh.meshChart(c)).filter((o) => o.kind === 'Service');
        expect(stub.metadata.annotations).toEqual({ 'service.cilium.io/affinity': a, 'service.cilium.io/global': 'true', 'service.cilium.io/shared': 'false' });
      }
      const empty = new MultiClusterMesh({ mesh: Mesh.CILIUM, clusters: clusters(ids), outdir });
      empty.synth();
      ids.forEach((id, i) => {
        const values = parseAllDocuments(fs.readFileSync(path.join(outdir, `c${i}`, MultiClusterMesh.CILIUM_VALUES_FILE), 'utf8'))[0].toJS();
        expect(values.cluster).toEqual({ name: `c${i}`, id });
      });
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }), { numRuns: 25 });
});

test('a bad cluster ID (0, negative, over 255, fractional, or another cluster\'s) is always refused', () => {
  const badId = (ids: number[]) => fc.oneof(
    fc.integer({ min: -1000, max: 0 }), fc.integer({ min: 256, max: 100000 }),
    fc.double({ min: 1.01, max: 254.99, noNaN: true }).filter((d) => !Number.isInteger(d)),
    fc.constantFrom(...ids),
  );
  fc.assert(fc.property(clusterSet.chain((ids) => fc.tuple(fc.constant(ids), fc.nat({ max: ids.length - 1 }), badId(ids))), ([ids, index, id]) => {
    fc.pre(ids[index] !== id); // an ID equal to the cluster's own is no change
    expect(() => new MultiClusterMesh({ mesh: Mesh.CILIUM, clusters: clusters(ids, { index, id }) })).toThrow(/clusterId (must be an integer from 1 to 255|is \d+, which "c\d" has too)/);
  }), { numRuns: 100 });
});
