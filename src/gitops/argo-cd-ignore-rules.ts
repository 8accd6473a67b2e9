import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { CanaryService } from '../patterns/canary-service';
import { RuntimeOwnedField } from '../progressive/runtime-owned-field';

/**
 * One entry of an Argo CD Application's `spec.ignoreDifferences`: fields of one object that Argo CD
 * leaves out of the diff (JSON pointers are removed with a JSON patch, jq paths with `del(...)`).
 */
export interface ArgoCdIgnoreDifference {
  /** The object's API group (`''` for the core group). */
  readonly group: string;
  /** The object's kind. */
  readonly kind: string;
  /** The object's name: every entry is narrowed to one object. */
  readonly name: string;
  /**
   * The object's namespace.
   * @default - any namespace (the object has none in the output)
   */
  readonly namespace?: string;
  /** @default - none */
  readonly jsonPointers?: string[];
  /** @default - none */
  readonly jqPathExpressions?: string[];
}

/**
 * The Argo CD `ignoreDifferences` and sync options for the objects below a scope, derived from who
 * owns which field at runtime, and no broader: each entry names one object and only the fields a
 * controller changes.
 *
 * - Argo Rollouts (CanaryService with CanaryEngine.argoRollouts): on Istio the whole route list of
 *   the delegate VirtualService the Rollout edits (`<virtualService>-rollout`: route `primary` and
 *   the managed preview and mirror routes; the service's own VirtualService stays compared); on the
 *   Gateway API the rule weights and the managed header rule (by the plugin's shape); the
 *   subset labels or the stable/canary Services' selectors, the Rollout's workload-generation
 *   annotation, and the replicas of the Deployment it scales down (CanaryService.runtimeOwnedFields).
 * - Flagger (CanaryService with CanaryEngine.flagger): `/spec/replicas` of the target Deployment,
 *   which it scales to zero between analyses, and the whole `/spec/selector` of the service's
 *   Service, which it points at the primary's pods. Its own objects (the primary, its Services and
 *   route) are not in the output and need no entry.
 * - HorizontalPodAutoscalers (ServiceWorkloads autoscaling, or your own): `/spec/replicas` of their
 *   scale target. The library renders autoscaled Deployments without replicas; the entry keeps
 *   Argo CD from resetting the count when replicas are removed from Git (the last applied
 *   configuration still has them).
 *
 * With any entry, the sync option `RespectIgnoreDifferences=true` is set: without it Argo CD only
 * diffs without those fields but still applies Git's values on every sync, undoing the controller.
 * For a field inside a list of a custom resource (DestinationRule subsets, HTTPRoute rules) a sync
 * then keeps the whole live list (argo-cd#17694): see docs/gitops.md.
 */
export class ArgoCdIgnoreRules {
  /** The sync option that makes a sync keep the live values of the ignored fields. */
  public static readonly RESPECT_IGNORE_DIFFERENCES = 'RespectIgnoreDifferences=true';

  /** The rules for the objects below `scope` (an App, a Chart or any construct), read when called: call it at synth (e.g. in a Lazy). */
  public static of(scope: IConstruct): ArgoCdIgnoreRules {
    const owned: RuntimeOwnedField[] = [];
    for (const c of scope.node.findAll()) {
      if (c instanceof CanaryService) owned.push(...c.runtimeOwnedFields);
      else if (ApiObject.isApiObject(c) && c.kind === 'HorizontalPodAutoscaler' && c.apiVersion.startsWith('autoscaling/')) {
        const target = horizontalScaleTarget(c);
        if (target) owned.push(target);
      }
    }
    return new ArgoCdIgnoreRules(owned);
  }

  /** The owned fields the rules come from, with the reason for each. */
  public readonly ownedFields: RuntimeOwnedField[];
  /** The `spec.ignoreDifferences` entries: one per object, sorted by group, kind, namespace and name. */
  public readonly ignoreDifferences: ArgoCdIgnoreDifference[];
  /** The `spec.syncPolicy.syncOptions` the entries need. */
  public readonly syncOptions: string[];

  private constructor(owned: RuntimeOwnedField[]) {
    this.ownedFields = owned.map((f) => ({ ...f }));
    this.ignoreDifferences = merge(owned);
    this.syncOptions = this.ignoreDifferences.length ? [ArgoCdIgnoreRules.RESPECT_IGNORE_DIFFERENCES] : [];
  }
}

function horizontalScaleTarget(hpa: ApiObject): RuntimeOwnedField | undefined {
  const json = hpa.toJson();
  const ref = json.spec?.scaleTargetRef;
  if (!ref?.kind || !ref?.name) return undefined;
  const apiVersion: string = ref.apiVersion ?? '';
  const slash = apiVersion.indexOf('/');
  return {
    group: slash < 0 ? '' : apiVersion.slice(0, slash), kind: ref.kind, name: ref.name, namespace: json.metadata?.namespace,
    jsonPointers: ['/spec/replicas'],
    reason: `HorizontalPodAutoscaler ${json.metadata?.name} sets the replicas of ${ref.kind} ${ref.name}`,
  } as RuntimeOwnedField;
}

/** One entry per object, its pointers and jq paths de-duplicated, in a deterministic order. */
function merge(owned: RuntimeOwnedField[]): ArgoCdIgnoreDifference[] {
  const byObject = new Map<string, { group: string; kind: string; name: string; namespace?: string; pointers: Set<string>; jq: Set<string> }>();
  for (const f of owned) {
    const key = [f.group, f.kind, f.namespace ?? '', f.name].join('\u0000');
    const e = byObject.get(key) ?? { group: f.group, kind: f.kind, name: f.name, namespace: f.namespace, pointers: new Set<string>(), jq: new Set<string>() };
    byObject.set(key, e);
    for (const p of f.jsonPointers ?? []) e.pointers.add(p);
    for (const q of f.jqPathExpressions ?? []) e.jq.add(q);
  }
  return [...byObject.keys()].sort().map((k) => {
    const e = byObject.get(k)!;
    return {
      group: e.group, kind: e.kind, name: e.name,
      ...(e.namespace ? { namespace: e.namespace } : {}),
      ...(e.pointers.size ? { jsonPointers: [...e.pointers].sort() } : {}),
      ...(e.jq.size ? { jqPathExpressions: [...e.jq].sort() } : {}),
    };
  });
}
