import { ApiObject, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { fail, quote } from '../core/errors';
import { validatePositiveInt } from '../core/percent';
import { HorizontalAutoscaling, VerticalAutoscaling, VpaUpdateMode } from './workload-autoscaling';
import { WorkloadResources } from './workload-resources';
import type { ScaleTargetRef } from './deployment-scaling';

/** The defaults of {@link HorizontalAutoscaling}: what the source documents' HPAs use (2 to 10 pods, 60% CPU). */
const DEFAULT_HPA = { minReplicas: 2, maxReplicas: 10, cpuUtilization: 60 } as const;
const MAX_REPLICAS = 1000;

/** @internal A version's autoscalers, resolved and validated. */
export interface ResolvedAutoscaling {
  readonly horizontal?: { minReplicas: number; maxReplicas: number; cpuUtilization: number; memoryUtilization?: number };
  readonly vertical?: { updateMode: VpaUpdateMode };
}

/** @internal What a version's autoscalers are resolved from: the service-wide props and the version's own. */
export interface AutoscalingInput {
  readonly service?: HorizontalAutoscaling;
  readonly version?: HorizontalAutoscaling;
  readonly serviceVertical?: VerticalAutoscaling;
  readonly versionVertical?: VerticalAutoscaling;
  /** The version's own `replicas`: a fixed count, so the service-wide autoscaling does not apply. */
  readonly versionReplicas?: number;
  readonly resources: Required<WorkloadResources>;
}

/**
 * @internal Resolves a version's autoscalers: the version's fields over the service-wide ones. A
 * version with its own `replicas` is not autoscaled; `replicas` beside `autoscaling` on the same
 * level is an error. Utilization targets may not exceed the limit's share of the request, which
 * the pods could never reach.
 */
export function resolveAutoscaling(scope: Construct, where: string, input: AutoscalingInput): ResolvedAutoscaling {
  if (input.version !== undefined && input.versionReplicas !== undefined) {
    fail(scope, `${where}.replicas`, `(${quote(input.versionReplicas)}) is set together with ${where}.autoscaling, which decides the count`, `drop ${where}.replicas (the autoscaler keeps between minReplicas and maxReplicas pods), or drop ${where}.autoscaling for a fixed count`);
  }
  // a version's own autoscaling refines the service-wide one; its own replicas opt it out
  const own = input.version ?? {};
  const applies = input.version !== undefined || (input.service !== undefined && input.versionReplicas === undefined);
  const horizontal = applies ? resolveHorizontal(scope, where, { ...(input.service ?? {}), ...definedOnly(own) }, own, input.resources) : undefined;
  const vertical = input.serviceVertical || input.versionVertical
    ? resolveVertical(scope, input.versionVertical?.updateMode !== undefined ? `${where}.verticalAutoscaling` : 'verticalAutoscaling', { ...(input.serviceVertical ?? {}), ...definedOnly(input.versionVertical ?? {}) })
    : undefined;
  if (horizontal && vertical && vertical.updateMode !== VpaUpdateMode.OFF) {
    const on = horizontal.memoryUtilization !== undefined ? 'CPU and memory' : 'CPU';
    fail(scope, `${input.versionVertical?.updateMode !== undefined ? `${where}.` : ''}verticalAutoscaling.updateMode`,
      `is ${quote(vertical.updateMode)} for a Deployment that a HorizontalPodAutoscaler scales on ${on}: the VPA would change the requests the HPA measures utilization against, and the two fight (the VPA raises the requests, utilization drops, the HPA removes pods, and back)`,
      'use VpaUpdateMode.OFF to get recommendations only and apply them to resources yourself, or autoscale this version vertically only (no autoscaling, a fixed replicas)');
  }
  return { horizontal, vertical };
}

function resolveHorizontal(scope: Construct, where: string, h: HorizontalAutoscaling, own: HorizontalAutoscaling, r: Required<WorkloadResources>): ResolvedAutoscaling['horizontal'] {
  const prop = (key: keyof HorizontalAutoscaling) => (own[key] !== undefined ? `${where}.autoscaling.${key}` : `autoscaling.${key}`);
  const minReplicas = validatePositiveInt(scope, prop('minReplicas'), h.minReplicas ?? DEFAULT_HPA.minReplicas, { max: MAX_REPLICAS });
  const maxReplicas = validatePositiveInt(scope, prop('maxReplicas'), h.maxReplicas ?? Math.max(DEFAULT_HPA.maxReplicas, minReplicas), { max: MAX_REPLICAS });
  if (maxReplicas < minReplicas) {
    fail(scope, prop('maxReplicas'), `(${maxReplicas}) is below minReplicas (${minReplicas})`, `raise maxReplicas to at least ${minReplicas}, or lower minReplicas`);
  }
  const cpuCeiling = Math.floor((r.cpuLimitMillis / r.cpuRequestMillis) * 100);
  const cpuUtilization = validateUtilization(scope, prop('cpuUtilization'), h.cpuUtilization ?? DEFAULT_HPA.cpuUtilization, cpuCeiling,
    `${r.cpuLimitMillis}m limit / ${r.cpuRequestMillis}m request`);
  const memoryCeiling = Math.floor((r.memoryLimit.toKibibytes() / r.memoryRequest.toKibibytes()) * 100);
  const memoryUtilization = h.memoryUtilization === undefined ? undefined
    : validateUtilization(scope, prop('memoryUtilization'), h.memoryUtilization, memoryCeiling, `${r.memoryLimit.toMebibytes()}Mi limit / ${r.memoryRequest.toMebibytes()}Mi request`);
  return { minReplicas, maxReplicas, cpuUtilization, memoryUtilization };
}

function validateUtilization(scope: Construct, prop: string, value: number, ceiling: number, ratio: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    fail(scope, prop, `must be a whole percentage of the request from 1, got ${quote(value)}`, 'pass e.g. 60 to add pods when they use 60% of what they request');
  }
  if (value > ceiling) {
    fail(scope, prop, `is ${value}%, which the pods can never reach: they are held at their limit, ${ceiling}% of the request (${ratio}), so the autoscaler would never add pods`,
      `pass at most ${ceiling}, or raise the limit`);
  }
  return value;
}

function resolveVertical(scope: Construct, prop: string, v: VerticalAutoscaling): ResolvedAutoscaling['vertical'] {
  const updateMode = v.updateMode ?? VpaUpdateMode.OFF;
  if (!Object.values(VpaUpdateMode).includes(updateMode)) {
    fail(scope, `${prop}.updateMode`, `is not a VpaUpdateMode, got ${quote(updateMode)}`, 'use VpaUpdateMode.OFF, INITIAL, RECREATE or IN_PLACE_OR_RECREATE');
  }
  return { updateMode };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** @internal Where a version's autoscalers go: its Deployment and the Deployment's name, namespace and labels. */
export interface AutoscalerTarget {
  readonly deployment: kplus.Deployment;
  readonly name: string;
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  /** What the HPA scales, read at synth: the Deployment, or a Rollout that took its pods over. */
  readonly scaleTarget: () => ScaleTargetRef;
  /** What the VPA sizes, read at synth: the object that runs the pods (a Rollout, Flagger's `-primary`). */
  readonly podOwner: () => ScaleTargetRef;
}

/**
 * @internal Creates the HorizontalPodAutoscaler and VerticalPodAutoscaler of a version, named after
 * its Deployment, and drops `replicas` from a Deployment an HPA scales. Returns them (HPA first).
 */
export function addAutoscalers(scope: Construct, id: string, t: AutoscalerTarget, a: ResolvedAutoscaling): { horizontal?: ApiObject; vertical?: ApiObject } {
  const metadata = { name: t.name, namespace: t.namespace, labels: { ...t.labels } };
  let horizontal: ApiObject | undefined;
  const h = a.horizontal;
  if (h) {
    t.deployment.markHasAutoscaler(); // the Deployment renders no replicas
    const metric = (name: string, averageUtilization: number) => ({ type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization } } });
    horizontal = new kplus.k8s.KubeHorizontalPodAutoscalerV2(scope, `HorizontalPodAutoscaler-${id}`, {
      metadata,
      spec: Lazy.any({
        produce: () => {
          requireRequests(scope, t, h.memoryUtilization !== undefined ? ['cpu', 'memory'] : ['cpu']);
          return {
            scaleTargetRef: t.scaleTarget(),
            minReplicas: h.minReplicas,
            maxReplicas: h.maxReplicas,
            metrics: [metric('cpu', h.cpuUtilization), ...(h.memoryUtilization !== undefined ? [metric('memory', h.memoryUtilization)] : [])],
          };
        },
      }),
    });
  }
  const vertical = a.vertical ? new ApiObject(scope, `VerticalPodAutoscaler-${id}`, {
    apiVersion: 'autoscaling.k8s.io/v1',
    kind: 'VerticalPodAutoscaler',
    metadata,
    spec: Lazy.any({ produce: () => ({ targetRef: t.podOwner(), updatePolicy: { updateMode: a.vertical!.updateMode } }) }),
  }) : undefined;
  return { horizontal, vertical };
}

/**
 * Utilization is measured against the requests: an HPA on a resource the container does not
 * request never scales. They exist by default; this catches an escape-hatch patch removing them.
 */
function requireRequests(scope: Construct, t: AutoscalerTarget, resources: string[]): void {
  const container = ApiObject.of(t.deployment).toJson().spec?.template?.spec?.containers?.[0];
  for (const r of resources) {
    if (container?.resources?.requests?.[r] === undefined) {
      fail(scope, `autoscaling of ${t.name}`, `targets ${r} utilization, but the container requests no ${r} (a patch removed resources.requests.${r}), so the HorizontalPodAutoscaler could never compute it`,
        `keep the ${r} request (set it with resources), or drop the ${r} target`);
    }
  }
}
