import { fail, quote } from '../core/errors';
import { Mesh } from '../core/mesh';
import { ClusterMeshRenderer } from './cluster-mesh-renderer';
import { CiliumClusterMeshRenderer } from './cilium-cluster-renderer';
import { IstioClusterMeshRenderer } from './istio-cluster-renderer';

/** The renderer of the mesh a MultiClusterMesh spans; the meshes it does not render are refused with the reason. */
export function clusterMeshRenderer(mesh: Mesh): ClusterMeshRenderer {
  switch (mesh) {
    case Mesh.ISTIO:
      return new IstioClusterMeshRenderer();
    case Mesh.CILIUM:
      return new CiliumClusterMeshRenderer();
    default:
      return fail('MultiClusterMesh', 'mesh', `is ${quote(mesh)}: multi-cluster output is not yet supported for it (Linkerd multicluster is not rendered)`,
        'use Mesh.ISTIO or Mesh.CILIUM, or link the clusters with `linkerd multicluster` yourself');
  }
}
