import { ApiObject, Lazy } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as argo from '../../imports/argoproj.io';
import { fail, quote } from '../core/errors';
import { Mesh } from '../core/mesh';
import { formatNumber } from '../observability/prometheus/promql';
import type { MeshService } from '../service/mesh-service';
import type { ServiceVersion } from '../service/service-version';
import { StringMatchKind } from '../traffic/string-match';
import type { Match } from '../traffic/match';
import { CanaryAnalysis } from './canary-analysis';
import { ArgoRolloutsOptions, WorkloadScaleDown } from './canary-engine';
import { CanaryQueries } from './canary-queries';
import { resolveCanaryAnalysis } from './resolved-analysis';
import { RuntimeOwnedField } from './runtime-owned-field';

/** The VirtualService route whose weights Argo Rollouts sets. */
export const ROLLOUT_ROUTE_NAME = 'primary';
/** The managed route Argo Rollouts adds for the preview match (setHeaderRoute). */
export const PREVIEW_ROUTE_NAME = 'canary-preview';
/** The DestinationRule subsets Argo Rollouts labels with the ReplicaSets' pod-template hashes. */
export const STABLE_SUBSET = 'stable';
export const CANARY_SUBSET = 'canary';

/** @internal What the Rollout is rendered from: the canary intent, resolved. */
export interface ArgoRolloutIntent {
  readonly owner: IConstruct;
  readonly service: MeshService;
  readonly stable: ServiceVersion;
  readonly canary: ServiceVersion;
  readonly stages: number[];
  readonly previewMatch?: Match;
  readonly analysis: CanaryAnalysis;
  readonly options: ArgoRolloutsOptions;
}

/** @internal The Rollout, its AnalysisTemplate and what Argo Rollouts changes at runtime. */
export interface ArgoRolloutObjects {
  readonly rollout: ApiObject;
  readonly analysisTemplate: ApiObject;
  readonly runtimeOwnedFields: RuntimeOwnedField[];
}

/**
 * Renders a canary for Argo Rollouts on Istio (subset-level traffic splitting): the service's
 * VirtualService gets the route `primary` with the stable subset at 100 and the canary subset at 0,
 * its DestinationRule the subsets `stable` and `canary` (selecting the whole service; Argo Rollouts
 * adds each ReplicaSet's `rollouts-pod-template-hash`), and a Rollout steps through the stage plan
 * (`setWeight`, then an `analysis` step per stage), with the preview match as a managed header
 * route set before the first step. The Rollout runs the pod template of an existing Deployment
 * (`workloadRef`).
 * @internal
 */
export function renderArgoRollout(intent: ArgoRolloutIntent): ArgoRolloutObjects {
  const { owner, service: s } = intent;
  if (s.mesh !== Mesh.ISTIO) {
    fail(owner, 'engine', `Argo Rollouts is rendered for Istio only so far, and this service is on ${s.mesh}`,
      'use CanaryEngine.staticStage() on this mesh, or render the service for Istio (useMesh(scope, Mesh.ISTIO))');
  }
  const headerMatches = intent.previewMatch ? previewHeaderMatches(owner, intent.previewMatch) : undefined;
  const queries = CanaryQueries.of(s, intent.canary.name);
  s._setSubsetRole(owner, intent.stable.name, STABLE_SUBSET);
  s._setSubsetRole(owner, intent.canary.name, CANARY_SUBSET);

  const templateName = `${s.serviceName}-canary`;
  const analysisTemplate = new argo.AnalysisTemplate(owner, 'AnalysisTemplate', {
    metadata: { name: templateName, namespace: s.namespace },
    spec: Lazy.any({ produce: () => analysisTemplateSpec(intent, queries) }),
  });

  const deploymentName = intent.options.deploymentName ?? s._deploymentName(intent.canary.name, owner);
  const scaleDown = intent.options.scaleDown ?? WorkloadScaleDown.PROGRESSIVELY;
  const steps: unknown[] = [];
  if (headerMatches) steps.push({ setHeaderRoute: { name: PREVIEW_ROUTE_NAME, match: headerMatches } });
  for (const weight of intent.stages) {
    steps.push({ setWeight: weight });
    steps.push({ analysis: { templates: [{ templateName }] } });
  }
  const rollout = new argo.Rollout(owner, 'Rollout', {
    metadata: { name: s.serviceName, namespace: s.namespace },
    spec: {
      replicas: intent.options.replicas ?? 1,
      selector: { matchLabels: s.selector },
      workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deploymentName, scaleDown },
      strategy: {
        canary: {
          trafficRouting: {
            istio: {
              virtualService: { name: s.names.virtualService!, routes: [ROLLOUT_ROUTE_NAME] },
              destinationRule: { name: s.names.destinationRule!, stableSubsetName: STABLE_SUBSET, canarySubsetName: CANARY_SUBSET },
            },
            ...(headerMatches ? { managedRoutes: [{ name: PREVIEW_ROUTE_NAME }] } : {}),
          },
          steps: steps as argo.RolloutSpecStrategyCanarySteps[],
        },
      },
    },
  });

  const at = { namespace: s.namespace };
  const runtimeOwnedFields: RuntimeOwnedField[] = [
    {
      ...at, group: 'networking.istio.io', kind: 'VirtualService', name: s.names.virtualService!,
      ...(headerMatches
        ? { jsonPointers: ['/spec/http'], reason: `Argo Rollouts sets the weights of route ${ROLLOUT_ROUTE_NAME} and adds and removes the managed route ${PREVIEW_ROUTE_NAME} during a rollout` }
        : { jqPathExpressions: [`.spec.http[] | select(.name == "${ROLLOUT_ROUTE_NAME}") | .route[].weight`], reason: `Argo Rollouts sets the weights of route ${ROLLOUT_ROUTE_NAME} during a rollout` }),
    },
    {
      ...at, group: 'networking.istio.io', kind: 'DestinationRule', name: s.names.destinationRule!,
      jqPathExpressions: [`.spec.subsets[] | select(.name == "${STABLE_SUBSET}" or .name == "${CANARY_SUBSET}") | .labels`],
      reason: 'Argo Rollouts labels the stable and canary subsets with their ReplicaSets\' rollouts-pod-template-hash',
    },
    ...(scaleDown === WorkloadScaleDown.NEVER ? [] : [{
      ...at, group: 'apps', kind: 'Deployment', name: deploymentName, jsonPointers: ['/spec/replicas'],
      reason: `Argo Rollouts scales the Deployment the Rollout takes its pod template from down (scaleDown: ${scaleDown})`,
    }]),
  ];
  return { rollout, analysisTemplate, runtimeOwnedFields };
}

/** The AnalysisTemplate: the canary's success rate and latency, NaN (no traffic) passing. */
function analysisTemplateSpec(intent: ArgoRolloutIntent, queries: CanaryQueries): argo.AnalysisTemplateSpec {
  const a = resolveCanaryAnalysis(intent.service, intent.analysis);
  const window = `${a.intervalSeconds}s`;
  const timing = {
    interval: window,
    count: argo.AnalysisTemplateSpecMetricsCount.fromNumber(a.measurementsPerStage),
    failureLimit: argo.AnalysisTemplateSpecMetricsFailureLimit.fromNumber(a.failureLimit),
  };
  const prometheus = (query: string) => ({ prometheus: { address: a.prometheusAddress, query } });
  return {
    metrics: [
      {
        name: 'success-rate', ...timing,
        successCondition: `isNaN(result) || result >= ${formatNumber(a.successRatio)}`,
        provider: prometheus(queries.successRate(window, { minRequests: a.minRequests })),
      },
      {
        name: 'latency', ...timing,
        successCondition: `isNaN(result) || result <= ${formatNumber(a.latencyThresholdMs)}`,
        provider: prometheus(queries.latency(a.latencyQuantile, window, { minRequests: a.minRequests })),
      },
    ],
  };
}

/** A preview match as setHeaderRoute matches: Argo Rollouts matches headers only. */
function previewHeaderMatches(owner: IConstruct, match: Match): unknown[] {
  const headers = match.headerMatches;
  if (match.pathMatch || match.httpMethod || match.destinationPort !== undefined || match.queryParamMatches.length || headers.length === 0) {
    fail(owner, 'previewMatch', `is ${quote(String(match))}, but Argo Rollouts' setHeaderRoute matches request headers only`,
      'match testers by header, e.g. Match.header("x-canary").exact("true")');
  }
  const kind: Record<StringMatchKind, string> = { [StringMatchKind.EXACT]: 'exact', [StringMatchKind.PREFIX]: 'prefix', [StringMatchKind.REGEX]: 'regex' };
  return headers.map((h) => ({ headerName: h.name, headerValue: { [kind[h.match.kind]]: h.match.value } }));
}
