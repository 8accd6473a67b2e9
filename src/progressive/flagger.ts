import { ApiObject, Lazy } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as flagger from '../../imports/flagger.app';
import { renderDuration } from '../core/duration';
import { fail, quote } from '../core/errors';
import { Mesh } from '../core/mesh';
import { destinationRuleSpec } from '../istio/destination-rule';
import { istioRetries } from '../resilience/istio-render';
import { forwardingWithDefaults } from '../resilience/route-defaults';
import { validateRouteResilience } from '../resilience/route-checks';
import type { MeshService } from '../service/mesh-service';
import type { ServiceVersion } from '../service/service-version';
import type { Match } from '../traffic/match';
import type { RouteBehaviour } from '../traffic/route';
import { CanaryAnalysis } from './canary-analysis';
import { FlaggerOptions } from './canary-engine';
import { delegateToFlagger, isDelegatedToFlagger } from './flagger-istio-delegation';
import { renderFlaggerGatewayApiRoutes } from './flagger-gateway-api';
import { primaryLabelSelectorErrors } from './flagger-pod-selectors';
import { CanaryQueries } from './canary-queries';
import { ResolvedCanaryAnalysis, resolveCanaryAnalysis } from './resolved-analysis';
import { RuntimeOwnedField } from './runtime-owned-field';

/** The pod labels Flagger builds selectors from (its `-selector-labels` default, cmd/flagger/main.go). */
const FLAGGER_SELECTOR_LABELS = ['app', 'name', 'app.kubernetes.io/name'];

/** @internal What the Flagger Canary is rendered from: the canary intent, resolved. */
export interface FlaggerCanaryIntent {
  readonly owner: IConstruct;
  readonly service: MeshService;
  readonly canary: ServiceVersion;
  readonly stages: number[];
  readonly previewMatch?: Match;
  readonly analysis: CanaryAnalysis;
  readonly options: FlaggerOptions;
  /** The port the canary is routed on. */
  readonly port: number;
  /** The timeout and retries of the canary's route. */
  readonly behaviour: RouteBehaviour;
}

/** @internal The Canary, its MetricTemplates and what Flagger changes at runtime. */
export interface FlaggerCanaryObjects {
  readonly canary: ApiObject;
  readonly metricTemplates: ApiObject[];
  readonly runtimeOwnedFields: RuntimeOwnedField[];
}

/**
 * @internal The names of what Flagger generates for a service `<s>` (pkg/apis/flagger/v1beta1/canary.go
 * GetServiceNames): Services `<s>`, `<s>-primary`, `<s>-canary`; on Istio the VirtualService `<s>`
 * and DestinationRules `<s>-primary` and `<s>-canary` (pkg/router/istio.go); on the Gateway API the
 * HTTPRoute `<s>` (pkg/router/gateway_api.go).
 */
export function flaggerGeneratedNames(serviceName: string): string[] {
  return [serviceName, `${serviceName}-primary`, `${serviceName}-canary`];
}

/**
 * Renders a canary for Flagger: a `Canary` (flagger.app/v1beta1) targeting one Deployment, whose
 * analysis steps through the stage plan, and two MetricTemplates (success rate, latency) whose
 * queries return a passing value when the canary had no traffic, since Flagger halts on "no values
 * found" (pkg/metrics/providers/prometheus.go ErrNoValuesFound; pkg/controller/scheduler_metrics.go).
 *
 * Flagger generates the service's route and overwrites one of the same name: the timeout and
 * retries of the canary go into the Canary's `service` fields; the service's own routes and the
 * preview match go on Istio into a root VirtualService that delegates to Flagger's
 * (flagger-istio-delegation.ts), on the Gateway API into HTTPRoutes of other names beside
 * Flagger's on the same Service parent (flagger-gateway-api.ts).
 * @internal
 */
export function renderFlaggerCanary(intent: FlaggerCanaryIntent): FlaggerCanaryObjects {
  const { owner, service: s } = intent;
  if (s.mesh === Mesh.CILIUM) {
    fail(owner, 'engine', 'Flagger cannot analyse a canary on cilium: Cilium\'s proxies export neither Istio\'s nor Linkerd\'s request metrics',
      'use CanaryEngine.staticStage() on Cilium, or render the service for Istio or Linkerd');
  }
  if (s.ports.length > 1) {
    fail(owner, 'service', `${s.serviceName} has ${s.ports.length} ports (${s.ports.map((p) => `${p.name} ${p.port}`).join(', ')}), but Flagger rewrites the Service ${s.serviceName} (and creates ${s.serviceName}-primary and -canary) with the Canary's one port, `
      + 'dropping the others (pkg/router/kubernetes_default.go reconcileService), and Argo CD would put them back on every sync',
    `give ${s.serviceName} one port under Flagger, and serve the other ports through a Service of their own`);
  }
  if (!FLAGGER_SELECTOR_LABELS.some((l) => s.selector[l] !== undefined)) {
    fail(owner, 'service', `selects its pods by ${quote(s.selector)}, but Flagger builds the primary's selector from one of the labels ${FLAGGER_SELECTOR_LABELS.join(', ')}`,
      `add e.g. app: ${quote(s.serviceName)} to ${s.serviceName}'s selector`);
  }
  if (s.mesh !== Mesh.ISTIO && intent.behaviour.retries) {
    fail(owner, 'retries', 'cannot be set on the Gateway API with Flagger: its gatewayapi router renders service.timeout but not service.retries (pkg/router/gateway_api.go)',
      'remove retries, or render the service for Istio');
  }
  s._dropVersionSubsets(owner); // Flagger routes to <service>-primary and -canary; no route of ours may use them
  const deploymentName = intent.options.deploymentName ?? s._deploymentName(intent.canary.name, owner);
  // Flagger serves production from its copy: a VPA of the target sizes that (the HPA stays, Flagger copies it)
  s._scaling.copyPods(deploymentName, { apiVersion: 'apps/v1', kind: 'Deployment', name: `${deploymentName}-primary` });
  if (s.mesh === Mesh.ISTIO) delegateToFlagger({ ...intent, deploymentName });
  else renderFlaggerGatewayApiRoutes({ ...intent, deploymentName });
  const selectorLabel = FLAGGER_SELECTOR_LABELS.find((l) => s.selector[l] !== undefined)!; // Flagger's getSelectorLabel: the first it finds
  owner.node.addValidation({
    validate: () => [...ownRoutesErrors(owner, s), ...collisionErrors(owner, s, deploymentName), ...otherWorkloadErrors(owner, s, deploymentName),
      ...primaryLabelSelectorErrors(owner, s.namespace, s.serviceName, selectorLabel, s.selector[selectorLabel])],
  });

  const queries = CanaryQueries._flaggerCanary(s, intent.canary.name);
  const successName = `${s.serviceName}-success-rate`;
  const latencyName = `${s.serviceName}-latency`;
  const resolved = () => resolveCanaryAnalysis(s, intent.analysis);
  const template = (id: string, name: string, query: () => string) => new flagger.MetricTemplate(owner, id, {
    metadata: { name, namespace: s.namespace },
    spec: Lazy.any({ produce: () => ({ provider: { type: 'prometheus', address: resolved().prometheusAddress }, query: query() }) }),
  });
  const window = '{{ interval }}';
  const metricTemplates = [
    template('SuccessRateTemplate', successName, () => queries.successRate(window, { minRequests: resolved().minRequests, noTrafficResult: 1 })),
    template('LatencyTemplate', latencyName, () => queries.latency(resolved().latencyQuantile, window, { minRequests: resolved().minRequests, noTrafficResult: 0 })),
  ];

  const canary = new flagger.Canary(owner, 'Canary', {
    metadata: { name: s.serviceName, namespace: s.namespace },
    spec: Lazy.any({
      produce: () => {
        const a = resolved();
        return {
          provider: s.mesh === Mesh.ISTIO ? 'istio' : 'gatewayapi:v1',
          targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deploymentName },
          ...autoscalerRef(owner, s.namespace, deploymentName),
          service: serviceSpec(intent),
          analysis: analysisSpec(intent, a, successName, latencyName),
        };
      },
    }),
  });

  const runtimeOwnedFields: RuntimeOwnedField[] = [
    {
      group: 'apps', kind: 'Deployment', name: deploymentName, namespace: s.namespace, jsonPointers: ['/spec/replicas'],
      reason: `Flagger scales the target Deployment to zero once ${deploymentName}-primary runs its pod template, and back up when the template changes`,
    },
    {
      // whoever renders it (renderServices, ServiceWorkloads, the user's own manifests)
      group: '', kind: 'Service', name: s.serviceName, namespace: s.namespace, jsonPointers: ['/spec/selector'],
      reason: `Flagger points the Service ${s.serviceName} at the primary's pods (pkg/router/kubernetes_default.go)`,
    },
  ];
  return { canary, metricTemplates, runtimeOwnedFields };
}

/** The Canary's `service`: the port, the mesh's parent, and the route settings Flagger renders into its route. */
function serviceSpec(intent: FlaggerCanaryIntent): Record<string, unknown> {
  const { owner, service: s } = intent;
  // on Istio a RequestPolicy's defaults apply to Flagger's route too (the Gateway API refuses it)
  const behaviour = s.mesh === Mesh.ISTIO ? forwardingWithDefaults(intent.behaviour, s.routing.routeDefaults) : intent.behaviour;
  if (behaviour !== intent.behaviour) validateRouteResilience(owner, behaviour, ` (with the defaults of ${s.routing.routeDefaultsOwner!.node.path})`);
  const port = s.port(intent.port, owner);
  const timeout = behaviour.timeout ? renderDuration(owner, 'timeout', behaviour.timeout) : undefined;
  const common = {
    name: s.serviceName,
    port: port.port,
    portName: port.name,
    // the Service's appProtocol: Flagger replaces ports that differ from the Canary's (kubernetes_default.go reconcileService)
    appProtocol: port.protocol,
    ...(port.targetPort !== port.port ? { targetPort: port.targetPort } : {}),
    ...(timeout ? { timeout } : {}),
  };
  if (s.mesh !== Mesh.ISTIO) {
    // GAMMA: the HTTPRoute's parent is the service itself (group "" is the core API group)
    return { ...common, gatewayRefs: [{ group: '', kind: 'Service', name: s.serviceName, namespace: s.namespace, port: port.port }] };
  }
  const trafficPolicy = destinationRuleSpec(owner, { host: s.serviceName, trafficPolicy: s.trafficPolicy(), subsets: [] }).trafficPolicy;
  return {
    ...common,
    ...(isDelegatedToFlagger(s) ? { delegation: true } : {}),
    ...(behaviour.retries ? { retries: istioRetries(owner, 'retries', behaviour.retries) } : {}),
    ...(trafficPolicy && Object.keys(trafficPolicy).length ? { trafficPolicy } : {}),
  };
}

/**
 * The Canary's `analysis`. Flagger takes one measurement per step, so a step lasts a whole stage
 * (`measurementsPerStage × interval`) and the measurement reads the stage's requests; `threshold`
 * is the failed measurements that roll back (Flagger counts them over the whole rollout,
 * pkg/controller/scheduler.go). A plan of only 100% is a blue-green rollout (`iterations`).
 */
function analysisSpec(intent: FlaggerCanaryIntent, a: ResolvedCanaryAnalysis, successName: string, latencyName: string): Record<string, unknown> {
  const { service: s } = intent;
  const steps = intent.stages.filter((w) => w < 100); // Flagger promotes after its last step
  const blueGreen = steps.length === 0;
  const stepSeconds = blueGreen ? a.intervalSeconds : a.intervalSeconds * a.measurementsPerStage;
  const interval = `${stepSeconds}s`;
  const templateRef = (name: string) => ({ name, namespace: s.namespace });
  return {
    interval,
    threshold: a.failureLimit + 1,
    ...(blueGreen ? { iterations: a.measurementsPerStage } : { stepWeights: steps }),
    metrics: [
      { name: 'success-rate', templateRef: templateRef(successName), thresholdRange: { min: a.successRatio }, interval },
      { name: 'latency', templateRef: templateRef(latencyName), thresholdRange: { max: a.latencyThresholdMs }, interval },
    ],
    ...(intent.options.loadTest ? { webhooks: [loadTestWebhook(intent, interval)] } : {}),
  };
}

function loadTestWebhook(intent: FlaggerCanaryIntent, window: string): Record<string, unknown> {
  const { service: s, options } = intent;
  const url = options.loadTest?.url ?? `http://flagger-loadtester.${s.namespace}/`;
  const cmd = options.loadTest?.command ?? `hey -z ${window} -q 10 -c 2 http://${s.serviceName}-canary.${s.namespace}:${intent.port}/`;
  return { name: 'load-test', type: 'rollout', url, timeout: '5s', metadata: { type: 'cmd', cmd } };
}

/** `autoscalerRef` when a HorizontalPodAutoscaler of the app scales the target Deployment. */
function autoscalerRef(owner: IConstruct, namespace: string, deploymentName: string): Record<string, unknown> {
  const hpa = owner.node.root.node.findAll().find((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'HorizontalPodAutoscaler'
    && c.metadata.namespace === namespace && (c.toJson() as { spec?: { scaleTargetRef?: { name?: string } } }).spec?.scaleTargetRef?.name === deploymentName);
  return hpa ? { autoscalerRef: { apiVersion: hpa.apiVersion, kind: 'HorizontalPodAutoscaler', name: hpa.name } } : {};
}

/**
 * What of the service's routing table no route of ours can keep beside Flagger's: a default route
 * (Flagger's route is the catch-all) and, on the Gateway API, route defaults (a RequestPolicy's),
 * which would not reach the route Flagger generates (on Istio they go into the Canary's `service`
 * fields, serviceSpec).
 */
function ownRoutesErrors(owner: IConstruct, s: MeshService): string[] {
  const kind = s.mesh === Mesh.ISTIO ? 'VirtualService' : 'HTTPRoute';
  const errors: string[] = [];
  const byDefault = s.routing.explicitDefault;
  if (byDefault) {
    errors.push(`${owner.node.path}: ${byDefault.owner.node.path} sets the default route of ${s.serviceName} (${byDefault.action}), but under Flagger the requests no route selects go to Flagger's ${kind} ${s.serviceName}, which splits them between ${s.serviceName}-primary and ${s.serviceName}-canary. `
      + 'Fix: remove the default route; set timeout and retries on the CanaryService (they go into the Canary\'s service fields), and give the other routes matches');
  }
  const defaults = s.routing.routeDefaultsOwner;
  if (defaults && s.mesh !== Mesh.ISTIO) {
    errors.push(`${owner.node.path}: ${s.serviceName} has route defaults (from ${defaults.node.path}), which would not reach the route Flagger generates in its ${kind} ${s.serviceName}. `
      + 'Fix: set timeout and retries on the CanaryService (they go into the Canary\'s service fields) and on the routes that need them');
  }
  return errors;
}

/** Objects of ours that share a name with what Flagger generates would be overwritten or fight it. */
function collisionErrors(owner: IConstruct, s: MeshService, deploymentName: string): string[] {
  const generated = flaggerGeneratedNames(s.serviceName);
  const clashes = (o: ApiObject): boolean => {
    if (o.metadata.namespace !== s.namespace) return false;
    switch (o.kind) {
      case 'VirtualService': case 'HTTPRoute': return o.name === s.serviceName;
      case 'DestinationRule': return o.name !== s.serviceName && generated.includes(o.name); // Flagger's are per primary and canary host
      case 'Service': return o.name !== s.serviceName && generated.includes(o.name); // Flagger adopts the apex Service
      case 'Deployment': case 'HorizontalPodAutoscaler': return o.name === `${deploymentName}-primary`;
      default: return false;
    }
  };
  return owner.node.root.node.findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c) && clashes(c))
    .map((o) => `${owner.node.path}: ${o.kind} ${o.name} (${o.node.path}) has a name Flagger generates for ${s.serviceName} (${generated.join(', ')}, ${deploymentName}-primary) and would be overwritten. Fix: rename it (MeshService names, version names), or rename the service`);
}

/**
 * Flagger runs the service as one target Deployment and its `-primary` copy: another Deployment of
 * ours with the service's selector (the stable version's) would serve nobody on Istio and be
 * measured as the canary on Linkerd.
 */
function otherWorkloadErrors(owner: IConstruct, s: MeshService, deploymentName: string): string[] {
  const selects = (labels: Record<string, string> | undefined) => labels !== undefined && Object.entries(s.selector).every(([k, v]) => labels[k] === v);
  return owner.node.root.node.findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'Deployment' && c.metadata.namespace === s.namespace && c.name !== deploymentName
      && selects((c.toJson() as { spec?: { template?: { metadata?: { labels?: Record<string, string> } } } }).spec?.template?.metadata?.labels))
    .map((d) => `${owner.node.path}: Deployment ${d.name} (${d.node.path}) runs pods of ${s.serviceName} beside Flagger's target ${deploymentName}; Flagger serves the stable version from ${deploymentName}-primary, which it copies from the target. `
      + `Fix: render only the canary version's Deployment, named ${deploymentName} (ServiceWorkloads versions: [{ version: ..., deploymentName: ${quote(deploymentName)} }])`);
}
