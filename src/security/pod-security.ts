import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import { Mesh } from '../core/mesh';

/** Pod Security Standards levels, enforced by Pod Security admission through namespace labels. */
export enum PodSecurityLevel {
  PRIVILEGED = 'privileged',
  BASELINE = 'baseline',
  RESTRICTED = 'restricted',
}

/**
 * The Pod Security level for a namespace of a mesh.
 *
 * Sidecar meshes redirect traffic with an init container that needs NET_ADMIN and NET_RAW, which
 * only `privileged` admits. With the mesh's CNI plugin (Istio CNI, linkerd-cni) there is no such
 * init container and `baseline` (or `restricted`, if the apps comply) works. Cilium injects nothing.
 */
export function podSecurityLevel(scope: IConstruct, mesh: Mesh, cni: boolean, requested?: PodSecurityLevel): PodSecurityLevel {
  const sidecar = mesh === Mesh.ISTIO || mesh === Mesh.LINKERD;
  if (requested !== undefined && !Object.values(PodSecurityLevel).includes(requested)) {
    fail(scope, 'podSecurity', `must be a PodSecurityLevel, got ${JSON.stringify(requested)}`, 'use PodSecurityLevel.BASELINE, ...');
  }
  if (sidecar && !cni && requested !== undefined && requested !== PodSecurityLevel.PRIVILEGED) {
    fail(scope, 'podSecurity', `is ${requested}, but without the ${mesh} CNI plugin the injected init container needs NET_ADMIN and NET_RAW, which ${requested} forbids: injected pods would be rejected`,
      `install the ${mesh === Mesh.ISTIO ? 'Istio CNI node agent' : 'linkerd-cni plugin'} and set cni: true, or use PodSecurityLevel.PRIVILEGED`);
  }
  if (requested !== undefined) return requested;
  if (!sidecar) return PodSecurityLevel.RESTRICTED;
  return cni ? PodSecurityLevel.BASELINE : PodSecurityLevel.PRIVILEGED;
}

/** The Pod Security admission labels: enforce the level, warn about and audit anything short of restricted. */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
  return {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/warn': PodSecurityLevel.RESTRICTED,
    'pod-security.kubernetes.io/audit': PodSecurityLevel.RESTRICTED,
  };
}
