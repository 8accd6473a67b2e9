/**
 * On a policy admitting callers of other clusters (MultiClusterMesh remoteCallers), the clusters
 * they run in, comma-separated. Their ServiceAccounts live in those clusters, so the analysis does
 * not look for them among the manifests of the policy's own cluster (MESH0201).
 */
export const REMOTE_CALLERS_ANNOTATION = 'mesh.cdk8s.io/remote-callers-from';
