import { IAnalyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout } from '../report';
import { podSpecOf, WORKLOAD_KINDS } from '../workloads';

const ENFORCE = 'pod-security.kubernetes.io/enforce';
// Pod Security Standards, restricted: the only volume types allowed
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const SECCOMP_OK = new Set(['RuntimeDefault', 'Localhost']);

/**
 * MESH0301: a workload in a namespace of the set whose Namespace enforces Pod Security
 * `restricted` (label `pod-security.kubernetes.io/enforce: restricted`) has a pod template that
 * the admission controller rejects, so none of its pods start. Checks the rules of the
 * `restricted` profile (Kubernetes "Pod Security Standards"): runAsNonRoot, no UID 0,
 * seccompProfile RuntimeDefault or Localhost, allowPrivilegeEscalation false, capabilities drop
 * ALL and add at most NET_BIND_SERVICE, no privileged containers, no host namespaces, and only
 * the volume types the profile allows.
 */
export const podSecurityAnalyzer: IAnalyzer = {
  name: 'pod-security-restricted',
  codes: ['MESH0301'],
  analyze(index: ManifestIndex): Finding[] {
    const restricted = new Set(index.ofKind('', 'Namespace')
      .filter((n) => n.metadata.labels?.[ENFORCE] === 'restricted')
      .map((n) => n.metadata.name));
    if (restricted.size === 0) return [];
    const out: Finding[] = [];
    for (const m of index.manifests) {
      if (!WORKLOAD_KINDS.has(m.kind) || !restricted.has(index.namespaceOf(m))) continue;
      const pod = podSpecOf(m);
      if (!pod) continue;
      const problems = restrictedViolations(pod);
      if (problems.length === 0) continue;
      out.push(findingAbout(index, m, 'MESH0301', Severity.ERROR,
        `runs in namespace ${index.namespaceOf(m)}, which enforces Pod Security "restricted", but its pods violate it: ${problems.join('; ')}. `
        + 'Pod Security admission rejects every such pod. Fix: set the fields named (ServiceWorkloads does), or lower the namespace\'s level'));
    }
    return out;
  },
};

/** What a pod spec violates of the Pod Security Standards' `restricted` profile, as short sentences. */
export function restrictedViolations(pod: any): string[] {
  const out: string[] = [];
  const podCtx = pod.securityContext ?? {};
  const containers: any[] = [...(pod.initContainers ?? []), ...(pod.containers ?? []), ...(pod.ephemeralContainers ?? [])];
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC']) if (pod[key] === true) out.push(`${key} is true`);
  const volumes = (pod.volumes ?? []).flatMap((v: any) => Object.keys(v).filter((k) => k !== 'name' && !RESTRICTED_VOLUMES.has(k)).map((k) => `volume "${v.name}" is of type ${k}`));
  out.push(...volumes);
  if (podCtx.runAsUser === 0) out.push('the pod runs as UID 0');
  for (const c of containers) {
    const ctx = c.securityContext ?? {};
    const name = `container "${c.name}"`;
    if (ctx.privileged === true) out.push(`${name} is privileged`);
    if (ctx.allowPrivilegeEscalation !== false) out.push(`${name} does not set allowPrivilegeEscalation: false`);
    if ((ctx.runAsNonRoot ?? podCtx.runAsNonRoot) !== true) out.push(`${name} does not set runAsNonRoot: true (pod or container)`);
    if (ctx.runAsUser === 0) out.push(`${name} runs as UID 0`);
    const seccomp = ctx.seccompProfile?.type ?? podCtx.seccompProfile?.type;
    if (!SECCOMP_OK.has(seccomp)) out.push(`${name} has no seccompProfile RuntimeDefault or Localhost (pod or container)${seccomp ? `, got ${seccomp}` : ''}`);
    const drop: string[] = ctx.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) out.push(`${name} does not drop capability ALL`);
    const added = (ctx.capabilities?.add ?? []).filter((a: string) => a !== 'NET_BIND_SERVICE');
    if (added.length > 0) out.push(`${name} adds capabilities ${added.join(', ')} (only NET_BIND_SERVICE is allowed)`);
  }
  return out;
}
