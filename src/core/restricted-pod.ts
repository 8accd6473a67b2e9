import { ApiObject, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * Sets the pod-level `seccompProfile: RuntimeDefault` of a workload's pod template, which Pod
 * Security `restricted` requires (cdk8s-plus-27 has no seccomp setting). Every pod the library
 * creates gets it, so that the workloads start in the `restricted` namespaces the library creates.
 * The workload must already set a pod `securityContext` (runAsNonRoot), which it patches.
 */
export function useRuntimeDefaultSeccomp(workload: IConstruct): void {
  ApiObject.of(workload).addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }));
}
