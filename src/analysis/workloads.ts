import { groupOf, Manifest } from './manifest';

/** The pod labels and service account a workload's pods get. */
export interface PodTemplateInfo {
  readonly labels?: Record<string, string>;
  readonly serviceAccountName?: string;
  /** The node a Pod is bound to (`spec.nodeName`); unknown for pod templates. */
  readonly nodeName?: string;
}

const TEMPLATED: Record<string, readonly string[]> = {
  'apps': ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'],
  'batch': ['Job'],
  '': ['ReplicationController'],
  'argoproj.io': ['Rollout'],
};

/** The kinds {@link podTemplateOf} understands, for a quick pre-check. */
export const WORKLOAD_KINDS: ReadonlySet<string> = new Set(['Pod', 'CronJob', ...Object.values(TEMPLATED).flat()]);

/**
 * The pod template of a pod-creating object (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
 * CronJob, ReplicationController, Argo Rollout) or of a Pod itself; undefined for other kinds and for
 * a Rollout whose pods come from a `workloadRef`.
 */
export function podTemplateOf(m: Manifest): PodTemplateInfo | undefined {
  const group = groupOf(m);
  if (group === '' && m.kind === 'Pod') {
    const nodeName = typeof m.spec?.nodeName === 'string' && m.spec.nodeName !== '' ? m.spec.nodeName : undefined;
    return { labels: m.metadata.labels, serviceAccountName: m.spec?.serviceAccountName, nodeName };
  }
  let template: any;
  if (group === 'batch' && m.kind === 'CronJob') template = m.spec?.jobTemplate?.spec?.template;
  else if (TEMPLATED[group]?.includes(m.kind)) template = m.spec?.template;
  else return undefined;
  if (isTemplateRef(m)) return undefined;
  return { labels: template?.metadata?.labels, serviceAccountName: template?.spec?.serviceAccountName };
}

/**
 * An Argo Rollout that takes its pods from another object (`spec.workloadRef`, no `spec.template`):
 * the controller copies the referenced Deployment's, ReplicaSet's or PodTemplate's template into it
 * at runtime (argo-rollouts rollout/templateref.go, informerBasedTemplateResolver.Resolve), so its
 * pods are that object's, known from the set only through that object (indexed on its own).
 */
function isTemplateRef(m: Manifest): boolean {
  return groupOf(m) === 'argoproj.io' && m.kind === 'Rollout' && !!m.spec?.workloadRef && !m.spec?.template;
}

/** The pod spec of a pod-creating object or of a Pod (see {@link podTemplateOf}); undefined for other kinds. */
export function podSpecOf(m: Manifest): any {
  const group = groupOf(m);
  if (group === '' && m.kind === 'Pod') return m.spec;
  if (group === 'batch' && m.kind === 'CronJob') return m.spec?.jobTemplate?.spec?.template?.spec;
  if (TEMPLATED[group]?.includes(m.kind)) return isTemplateRef(m) ? undefined : m.spec?.template?.spec;
  return undefined;
}
