import { ApiObject, Lazy } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as argo from '../../imports/argoproj.io';
import { fail, quote } from '../core/errors';
import { prefixRegex } from '../core/re2';
import { Mesh } from '../core/mesh';
import { formatNumber } from '../observability/prometheus/promql';
import { HttpRoute } from '../gateway-api/http-route';
import { MeshService } from '../service/mesh-service';
import type { ServiceVersion } from '../service/service-version';
import { StringMatchKind } from '../traffic/string-match';
import type { Match } from '../traffic/match';
import type { RouteBehaviour } from '../traffic/route';
import { Destination, RouteTo } from '../traffic/route-action';
import { CanaryAnalysis } from './canary-analysis';
import { ArgoRolloutsOptions, WorkloadScaleDown } from './canary-engine';
import { CanaryQueries } from './canary-queries';
import { resolveCanaryAnalysis } from './resolved-analysis';
import { RuntimeOwnedField } from './runtime-owned-field';
import { chosenName } from '../core/object-names';

/** The route whose weights Argo Rollouts sets (a VirtualService route, an HTTPRoute rule). */
export const ROLLOUT_ROUTE_NAME = 'primary';
/**
 * On Istio, the route of the service's VirtualService that delegates to the VirtualService the
 * Rollout edits, `<virtualService>-rollout` (ROLLOUT_DELEGATE_SUFFIX).
 */
export const ROLLOUT_DELEGATE_ROUTE_NAME = 'rollout';
/** The suffix of the delegate VirtualService Argo Rollouts edits on Istio. */
export const ROLLOUT_DELEGATE_SUFFIX = '-rollout';
/** The managed route Argo Rollouts adds for the preview match (setHeaderRoute). */
export const PREVIEW_ROUTE_NAME = 'canary-preview';
/** The managed route Argo Rollouts adds for the mirror step (setMirrorRoute). */
export const MIRROR_ROUTE_NAME = 'canary-mirror';
/** The DestinationRule subsets Argo Rollouts labels with the ReplicaSets' pod-template hashes (Istio). */
export const STABLE_SUBSET = 'stable';
export const CANARY_SUBSET = 'canary';
/** The Argo Rollouts traffic-router plugin for the Gateway API. */
export const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';
/** The label the plugin puts on an HTTPRoute while a canary runs. */
const PLUGIN_IN_PROGRESS_LABEL = 'rollouts.argoproj.io/gatewayapi-canary';

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
  /** The port the split forwards to, when the service has several. */
  readonly port?: number;
  /** The timeout and retries of the split route. */
  readonly behaviour: RouteBehaviour;
}

/** @internal The Rollout, its AnalysisTemplate, the Gateway API stable/canary Services and what Argo Rollouts changes at runtime. */
export interface ArgoRolloutObjects {
  readonly rollout: ApiObject;
  readonly analysisTemplate: ApiObject;
  /** The Services whose selectors Argo Rollouts points at the stable and canary pods (Gateway API). */
  readonly stableService?: MeshService;
  readonly canaryService?: MeshService;
  readonly runtimeOwnedFields: RuntimeOwnedField[];
}

/** How the Rollout shapes traffic on the service's mesh, and the route it needs. */
interface RolloutRouting {
  readonly canaryStrategy: Record<string, unknown>;
  readonly stableService?: MeshService;
  readonly canaryService?: MeshService;
  readonly owned: RuntimeOwnedField[];
}

/**
 * Renders a canary for Argo Rollouts: the service's split route `primary` with the stable
 * destination at 100 and the canary at 0, a Rollout stepping through the stage plan (`setWeight`,
 * then an `analysis` step per stage, after a managed header route for the preview match), and an
 * AnalysisTemplate. The Rollout runs the pod template of an existing Deployment (`workloadRef`).
 *
 * - Istio (subset-level splitting): route `primary` is the one route of a delegate VirtualService
 *   of the service's (istioRouting); the DestinationRule subsets `stable` and `canary` select the
 *   whole service; Argo Rollouts adds each ReplicaSet's `rollouts-pod-template-hash`.
 * - Gateway API and Linkerd (the `argoproj-labs/gatewayAPI` plugin): the rule's backends are the
 *   Services `<service>-stable` and `<service>-canary`, rendered here, whose selectors Argo Rollouts
 *   extends the same way; the plugin sets the weights of every rule naming them, so no other route
 *   uses them.
 * @internal
 */
export function renderArgoRollout(intent: ArgoRolloutIntent): ArgoRolloutObjects {
  const { owner, service: s } = intent;
  if (s.mesh === Mesh.CILIUM) {
    fail(owner, 'engine', 'Argo Rollouts cannot analyse a canary on cilium: Cilium\'s proxies export neither Istio\'s nor Linkerd\'s request metrics',
      'use CanaryEngine.staticStage() on Cilium, or render the service for Istio or Linkerd');
  }
  const headerMatches = intent.previewMatch ? previewHeaderMatches(owner, intent.previewMatch, s.mesh) : undefined;
  const mirrorPercent = intent.options.mirrorPercent;
  if (mirrorPercent !== undefined && s.mesh !== Mesh.ISTIO) {
    fail(owner, 'engine.mirrorPercent', `is ${quote(mirrorPercent)}, but Argo Rollouts mirrors traffic on Istio only: the ${GATEWAY_API_PLUGIN} plugin accepts setMirrorRoute and does nothing, so no request would reach the canary`,
      `drop mirrorPercent on ${s.mesh}, or render the service for Istio`);
  }
  // on the Gateway API the canary's share goes through the Service <service>-canary (gatewayApiRouting)
  const queries = s.mesh === Mesh.ISTIO ? CanaryQueries.of(s, intent.canary.name) : CanaryQueries._viaService(s, intent.canary.name, `${s.serviceName}-${CANARY_SUBSET}`);
  const routing = s.mesh === Mesh.ISTIO ? istioRouting(intent) : gatewayApiRouting(intent, headerMatches !== undefined);

  const templateName = chosenName(owner, 'engine.analysisTemplateName', 'argoproj.io/AnalysisTemplate', intent.options.analysisTemplateName, `${s.serviceName}-canary`);
  const rolloutName = chosenName(owner, 'engine.rolloutName', 'argoproj.io/Rollout', intent.options.rolloutName, s.serviceName);
  const analysisTemplate = new argo.AnalysisTemplate(owner, 'AnalysisTemplate', {
    metadata: { name: templateName, namespace: s.namespace },
    spec: Lazy.any({ produce: () => analysisTemplateSpec(intent, queries) }),
  });

  const deploymentName = intent.options.deploymentName ?? s._deploymentName(intent.canary.name, owner);
  const scaleDown = intent.options.scaleDown ?? WorkloadScaleDown.PROGRESSIVELY;
  // the Rollout runs the Deployment's pods: an HPA of that Deployment scales the Rollout instead
  const autoscaled = s._scaling.takeOver(deploymentName, { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: rolloutName }, owner);
  if (autoscaled && intent.options.replicas !== undefined) {
    fail(owner, 'engine.replicas', `is ${quote(intent.options.replicas)}, but a HorizontalPodAutoscaler scales Deployment ${deploymentName}, whose pods the Rollout runs, and now scales the Rollout`,
      'drop replicas from CanaryEngine.argoRollouts() (the HPA decides the count), or drop the autoscaling of that version in ServiceWorkloads');
  }
  const steps: unknown[] = [];
  if (headerMatches) steps.push({ setHeaderRoute: { name: PREVIEW_ROUTE_NAME, match: headerMatches } });
  if (mirrorPercent !== undefined) {
    // copies of every request path; a setMirrorRoute with the name only removes the route
    steps.push({ setMirrorRoute: { name: MIRROR_ROUTE_NAME, percentage: mirrorPercent, match: [{ path: { prefix: '/' } }] } });
    steps.push({ analysis: { templates: [{ templateName }] } });
    steps.push({ setMirrorRoute: { name: MIRROR_ROUTE_NAME } });
  }
  for (const weight of intent.stages) {
    steps.push({ setWeight: weight });
    steps.push({ analysis: { templates: [{ templateName }] } });
  }
  const managedRoutes = managedRouteNames(intent);
  const { trafficRouting, ...strategy } = routing.canaryStrategy as { trafficRouting: Record<string, unknown> };
  const rollout = new argo.Rollout(owner, 'Rollout', {
    metadata: { name: rolloutName, namespace: s.namespace },
    spec: {
      // left to the HPA when one scales the Rollout, so that applying the manifest does not reset its count
      replicas: autoscaled ? undefined : intent.options.replicas ?? 1,
      selector: { matchLabels: s.selector },
      workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deploymentName, scaleDown },
      strategy: {
        canary: {
          ...strategy,
          trafficRouting: { ...trafficRouting, ...(managedRoutes.length ? { managedRoutes: managedRoutes.map((name) => ({ name })) } : {}) },
          steps: steps as argo.RolloutSpecStrategyCanarySteps[],
        },
      },
    },
  });

  const runtimeOwnedFields: RuntimeOwnedField[] = [
    ...routing.owned,
    ...(scaleDown === WorkloadScaleDown.NEVER ? [] : [{
      group: 'apps', kind: 'Deployment', name: deploymentName, namespace: s.namespace, jsonPointers: ['/spec/replicas'],
      reason: `Argo Rollouts scales the Deployment the Rollout takes its pod template from down (scaleDown: ${scaleDown})`,
    }]),
    {
      group: 'argoproj.io', kind: 'Rollout', name: rolloutName, namespace: s.namespace,
      jsonPointers: ['/metadata/annotations/rollout.argoproj.io~1workload-generation', ...(autoscaled ? ['/spec/replicas'] : [])],
      reason: `Argo Rollouts records on the Rollout the generation of the Deployment it references (workloadRef)${autoscaled ? `; the HorizontalPodAutoscaler of ${deploymentName} sets the Rollout's replicas (its scale subresource)` : ''}`,
    },
  ];
  return { rollout, analysisTemplate, stableService: routing.stableService, canaryService: routing.canaryService, runtimeOwnedFields };
}

/** The routes Argo Rollouts adds and removes during a rollout: the preview's header route, then the mirror route. */
function managedRouteNames(intent: ArgoRolloutIntent): string[] {
  return [...(intent.previewMatch ? [PREVIEW_ROUTE_NAME] : []), ...(intent.options.mirrorPercent !== undefined ? [MIRROR_ROUTE_NAME] : [])];
}

/**
 * Istio: the Rollout edits a delegate VirtualService `<virtualService>-rollout` (no hosts) holding
 * only route `primary`, and the service's own VirtualService delegates its catch-all to it. Argo CD
 * then ignores the delegate's whole `/spec/http` while the service's own routes, in the root, stay
 * compared and synced: with RespectIgnoreDifferences=true, a rule inside `spec.http` made a sync
 * apply the whole live list (argo-cd controller/sync.go normalizeTargetResources: Istio's CRDs give
 * `http` no list-map keys, so even the OpenAPI patch meta replaces the list; argo-cd#17694).
 * Argo Rollouts finds the route by name and never reads the hosts
 * (rollout/trafficrouting/istio/istio.go getHttpRouteIndexesToPatch, ValidateHTTPRoutes); the
 * managed routes it appends land in the delegate, which Istio merges where the delegating route is,
 * after the service's own routes, with the delegating route's timeout and retries where they set
 * none (pilot/pkg/model/virtualservice.go mergeHTTPRoute).
 */
function istioRouting(intent: ArgoRolloutIntent): RolloutRouting {
  const { owner, service: s } = intent;
  s._setSubsetRole(owner, intent.stable.name, STABLE_SUBSET);
  s._setSubsetRole(owner, intent.canary.name, CANARY_SUBSET);
  const rootName = s.names.virtualService!;
  const delegateName = `${rootName}${ROLLOUT_DELEGATE_SUFFIX}`;
  s._delegateCatchAll(owner, { rootName, routeName: ROLLOUT_DELEGATE_ROUTE_NAME, delegateName, rendersDelegate: true });
  // both destinations stay in the route, the canary at 0: Argo Rollouts sets the weights
  s._setDefaultRoute(owner, RouteTo.split({ [intent.stable.name]: 100, [intent.canary.name]: 0 }, { port: intent.port }), { ...intent.behaviour, name: ROLLOUT_ROUTE_NAME });
  const at = { group: 'networking.istio.io', namespace: s.namespace };
  const managed = managedRouteNames(intent);
  return {
    canaryStrategy: {
      trafficRouting: {
        istio: {
          virtualService: { name: delegateName, routes: [ROLLOUT_ROUTE_NAME] },
          destinationRule: { name: s.names.destinationRule!, stableSubsetName: STABLE_SUBSET, canarySubsetName: CANARY_SUBSET },
        },
      },
    },
    owned: [
      {
        // the whole list, not fields inside it: the delegate holds only what Argo Rollouts edits
        ...at, kind: 'VirtualService', name: delegateName, jsonPointers: ['/spec/http'],
        reason: `Argo Rollouts sets the weights of route ${ROLLOUT_ROUTE_NAME}${managed.length ? ` and adds and removes the managed route${managed.length > 1 ? 's' : ''} ${managed.join(' and ')}` : ''} during a rollout`,
      },
      {
        ...at, kind: 'DestinationRule', name: s.names.destinationRule!,
        // only the label it adds: the subsets' own labels stay compared
        jqPathExpressions: [`.spec.subsets[] | select(.name == "${STABLE_SUBSET}" or .name == "${CANARY_SUBSET}") | .labels["rollouts-pod-template-hash"]`],
        reason: 'Argo Rollouts labels the stable and canary subsets with their ReplicaSets\' rollouts-pod-template-hash',
      },
    ],
  };
}

function gatewayApiRouting(intent: ArgoRolloutIntent, preview: boolean): RolloutRouting {
  const { owner, service: s } = intent;
  const roleService = (id: string, role: string) => new MeshService(owner, id, {
    serviceName: `${s.serviceName}-${role}`, namespace: s.namespace, ports: s.ports, selector: s.selector,
    serviceAccountName: s.serviceAccountName, renderServices: true, serviceLabels: s.serviceLabels,
  });
  const stableService = roleService('StableService', STABLE_SUBSET);
  const canaryService = roleService('CanaryService', CANARY_SUBSET);
  s._setDefaultRoute(owner, RouteTo.weighted([
    { to: Destination.service(stableService, { port: intent.port }), weight: 100 },
    { to: Destination.service(canaryService, { port: intent.port }), weight: 0 },
  ]), { ...intent.behaviour, name: ROLLOUT_ROUTE_NAME });
  if (preview) {
    // the plugin adds a rule for the header route: it must fit in the rules an HTTPRoute holds
    owner.node.addValidation({
      validate: () => (s.routing.ruleCount + 1 > HttpRoute.MAX_RULES
        ? [`${owner.node.path}: previewMatch needs one more rule in HTTPRoute ${s.names.httpRoute}, which already has ${s.routing.ruleCount} of ${HttpRoute.MAX_RULES}. Fix: combine ${s.serviceName}'s routes into fewer rules, or drop the preview match`]
        : []),
    });
  }
  const httpRoute = s.names.httpRoute!;
  const selectorOwned = (svc: MeshService): RuntimeOwnedField => ({
    group: '', kind: 'Service', name: svc.serviceName, namespace: s.namespace, jsonPointers: ['/spec/selector/rollouts-pod-template-hash'],
    reason: `Argo Rollouts points the ${svc === stableService ? 'stable' : 'canary'} Service at its ReplicaSet's pods (rollouts-pod-template-hash)`,
  });
  return {
    stableService,
    canaryService,
    canaryStrategy: {
      stableService: stableService.serviceName,
      canaryService: canaryService.serviceName,
      trafficRouting: { plugins: { [GATEWAY_API_PLUGIN]: { httpRoutes: [{ name: httpRoute, useHeaderRoutes: true }], namespace: s.namespace } } },
    },
    owned: [
      {
        group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: httpRoute, namespace: s.namespace,
        jsonPointers: [`/metadata/labels/${PLUGIN_IN_PROGRESS_LABEL.replace('/', '~1')}`],
        jqPathExpressions: [
          // the plugin finds the rule by its backends (rules[].name needs Gateway API 1.4)
          `.spec.rules[].backendRefs[] | select(.name == "${stableService.serviceName}" or .name == "${canaryService.serviceName}") | .weight`,
          // the header rule it appends, by the test the plugin itself uses for a rule it injected
          // (pkg/plugin/httproute.go isHTTPManagedRule: one backendRef, the canary Service; its name
          // canary-preview is dropped by Gateway API CRDs before v1.4): no rule of ours has that shape,
          // since only the split rule names <service>-canary
          ...(preview ? [`.spec.rules[] | select((.backendRefs // []) | length == 1 and .[0].name == "${canaryService.serviceName}")`] : []),
        ],
        reason: `the Gateway API plugin of Argo Rollouts sets the weights of the rule with ${stableService.serviceName} and ${canaryService.serviceName}${preview ? `, adds and removes the managed rule ${PREVIEW_ROUTE_NAME}` : ''} and labels the route while a canary runs`,
      },
      selectorOwned(stableService),
      selectorOwned(canaryService),
    ],
  };
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

/**
 * A preview match as setHeaderRoute matches: Argo Rollouts matches headers only. Its Istio router
 * makes each of them a match of its own, which Istio ORs (rollout/trafficrouting/istio/istio.go
 * createHeaderRoute), so several headers are refused there; the Gateway API plugin ANDs them into
 * every match and turns a prefix into the regex `<prefix>.*` without escaping it
 * (pkg/plugin/httproute.go getHTTPHeaderRouteRuleList), so a prefix is passed as an escaped regex.
 */
function previewHeaderMatches(owner: IConstruct, match: Match, mesh: Mesh): unknown[] {
  const headers = match.headerMatches;
  if (match.pathMatch || match.httpMethod || match.destinationPort !== undefined || match.queryParamMatches.length || headers.length === 0) {
    fail(owner, 'previewMatch', `is ${quote(String(match))}, but Argo Rollouts' setHeaderRoute matches request headers only`,
      'match testers by header, e.g. Match.header("x-canary").exact("true")');
  }
  if (mesh === Mesh.ISTIO && headers.length > 1) {
    fail(owner, 'previewMatch', `is ${quote(String(match))}, but Argo Rollouts' Istio router makes each header of a setHeaderRoute a VirtualService match of its own, which Istio ORs (rollout/trafficrouting/istio/istio.go createHeaderRoute): a request with any one of the headers would reach the canary`,
      'match testers by one header, e.g. Match.header("x-canary").exact("true")');
  }
  const kind: Record<StringMatchKind, string> = { [StringMatchKind.EXACT]: 'exact', [StringMatchKind.PREFIX]: 'prefix', [StringMatchKind.REGEX]: 'regex' };
  return headers.map((h) => ({
    headerName: h.name,
    headerValue: mesh !== Mesh.ISTIO && h.match.kind === StringMatchKind.PREFIX ? { regex: prefixRegex(h.match.value) } : { [kind[h.match.kind]]: h.match.value },
  }));
}
