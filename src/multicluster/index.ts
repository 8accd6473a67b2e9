export * from './mesh-cluster';
export * from './global-service';
export { MultiClusterMesh, MultiClusterMeshProps } from './multi-cluster-mesh';
