import { fail, quote } from '../core/errors';
import { Mesh } from '../core/mesh';
import { ClusterMeshRenderer } from './cluster-mesh-renderer';
import { CiliumClusterMeshRenderer } from './cilium-cluster-renderer';
import { IstioClusterMeshRenderer } from './istio-cluster-renderer';
import { LinkerdClusterMeshRenderer } from './linkerd-cluster-renderer';

/** The renderer of the mesh a MultiClusterMesh spans; the meshes it does not render are refused with the reason. */
export function clusterMeshRenderer(mesh: Mesh): ClusterMeshRenderer {
  switch (mesh) {
    case Mesh.ISTIO:
      return new IstioClusterMeshRenderer();
    case Mesh.CILIUM:
      return new CiliumClusterMeshRenderer();
    case Mesh.LINKERD:
      return new LinkerdClusterMeshRenderer();
    default:
      return fail('MultiClusterMesh', 'mesh', `is ${quote(mesh)}: a multi-cluster mesh needs a mesh implementation (the Gateway API alone has no cross-cluster service discovery)`,
        'use Mesh.ISTIO, Mesh.LINKERD or Mesh.CILIUM');
  }
}
