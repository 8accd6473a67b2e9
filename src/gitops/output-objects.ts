import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/** Cluster-scoped kinds by API group: every other kind is namespaced. */
const CLUSTER_SCOPED: Record<string, string[]> = {
  '': ['Namespace', 'Node', 'PersistentVolume'],
  'rbac.authorization.k8s.io': ['ClusterRole', 'ClusterRoleBinding'],
  'apiextensions.k8s.io': ['CustomResourceDefinition'],
  'apiregistration.k8s.io': ['APIService'],
  'admissionregistration.k8s.io': ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'],
  'scheduling.k8s.io': ['PriorityClass'],
  'storage.k8s.io': ['StorageClass', 'CSIDriver'],
  'networking.k8s.io': ['IngressClass'],
  'gateway.networking.k8s.io': ['GatewayClass'],
  'cilium.io': ['CiliumClusterwideNetworkPolicy'],
  'argoproj.io': ['ClusterAnalysisTemplate'],
};

/** The group of an apiVersion (`''` for the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** True for a cluster-scoped kind (Namespace, ClusterRole, CustomResourceDefinition, ...). */
export function isClusterScoped(apiVersion: string, kind: string): boolean {
  return (CLUSTER_SCOPED[groupOf(apiVersion)] ?? []).includes(kind);
}

/** The namespaces the namespaced objects below a scope are rendered in, sorted. */
export function objectNamespaces(scope: IConstruct): string[] {
  const namespaces = new Set<string>();
  for (const o of scope.node.findAll().filter(ApiObject.isApiObject)) {
    if (isClusterScoped(o.apiVersion, o.kind)) continue;
    const ns = o.toJson().metadata?.namespace;
    if (ns) namespaces.add(ns);
  }
  return [...namespaces].sort();
}
