import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { SYNC_WAVE_NUMBER, SYNC_WAVE_TABLE, SyncWave } from './sync-wave-table';

const enabledScopes = new WeakMap<IConstruct, Set<IConstruct>>();

/**
 * Argo CD sync waves from the library's one ordering table (docs/gitops.md): with them, a sync
 * applies namespaces first, then identity and the policies that protect workloads, then workloads,
 * Services and DestinationRules, then the routes that use them, then what takes the routes over,
 * then the VirtualServices that delegate to routes those controllers generate.
 *
 * Opt-in: nothing is annotated unless `enable` is called for an App, a Chart or any construct.
 */
export class ArgoCdSyncWaves {
  /** The annotation Argo CD orders a sync by. */
  public static readonly ANNOTATION = 'argocd.argoproj.io/sync-wave';

  /**
   * Gives every object below `scope` (the objects the library renders and your own) the
   * `argocd.argoproj.io/sync-wave` annotation of its kind, at synth. An annotation you set
   * yourself on an object is kept. Idempotent; may be called before or after the children exist.
   */
  public static enable(scope: IConstruct): void {
    const root = scope.node.root;
    let scopes = enabledScopes.get(root);
    if (!scopes) {
      scopes = new Set();
      enabledScopes.set(root, scopes);
      const annotated = new WeakSet<ApiObject>();
      // Validation of the root runs first in every synth (App.synth, synthYaml, Chart.toJson), before
      // any object renders. Annotating is idempotent: the same value every time.
      root.node.addValidation({ validate: () => { annotate(scopes!, annotated); return []; } });
    }
    scopes.add(scope);
  }

  /** True if `enable` was called for `scope` or a construct above it. */
  public static isEnabled(scope: IConstruct): boolean {
    const scopes = enabledScopes.get(scope.node.root);
    return scopes !== undefined && scope.node.scopes.some((s) => scopes.has(s));
  }

  /**
   * The wave of a kind in the ordering table, as Argo CD reads it (e.g. -2 for a Namespace, 1 for a
   * VirtualService). Kinds the table does not list get Argo CD's default, 0.
   */
  public static waveOf(apiVersion: string, kind: string): number {
    return SYNC_WAVE_NUMBER[ArgoCdSyncWaves.placeOf(apiVersion, kind)];
  }

  /** The named place of a kind in the ordering table (WORKLOADS_AND_DESTINATIONS, wave 0, for kinds it does not list). */
  public static placeOf(apiVersion: string, kind: string): SyncWave {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const place = SYNC_WAVE_TABLE.find((p) => p.group === group && p.kinds.includes(kind));
    return place?.wave ?? SyncWave.WORKLOADS_AND_DESTINATIONS;
  }

  /** The `argocd.argoproj.io/sync-wave` number of a named wave. */
  public static numberOf(wave: SyncWave): number {
    return SYNC_WAVE_NUMBER[wave];
  }

  private constructor() {}
}

function annotate(scopes: Set<IConstruct>, annotated: WeakSet<ApiObject>): void {
  let flaggerServices: Set<string> | undefined;
  for (const scope of scopes) {
    flaggerServices ??= flaggerGatewayApiServices(scope.node.root);
    for (const o of scope.node.findAll().filter(ApiObject.isApiObject)) {
      const own = o.metadata.toJson().annotations?.[ArgoCdSyncWaves.ANNOTATION];
      if (own !== undefined && !annotated.has(o)) continue; // the user's own wave wins
      annotated.add(o);
      o.metadata.addAnnotation(ArgoCdSyncWaves.ANNOTATION, String(SYNC_WAVE_NUMBER[placeOfObject(o, flaggerServices)]));
    }
  }
}

/** `<namespace>/<service>` of every Flagger Canary of the app that routes through the Gateway API (a Service parent in gatewayRefs). */
function flaggerGatewayApiServices(root: IConstruct): Set<string> {
  const keys = new Set<string>();
  for (const o of root.node.findAll().filter(ApiObject.isApiObject)) {
    if (o.apiGroup !== 'flagger.app' || o.kind !== 'Canary') continue;
    const service = (o.toJson() as { spec?: { service?: { name?: string; gatewayRefs?: unknown[] } } }).spec?.service;
    if (service?.name && service.gatewayRefs?.length) keys.add(`${o.metadata.namespace}/${service.name}`);
  }
  return keys;
}

/**
 * The place of one object: its kind's, except for a VirtualService with a route that delegates:
 * Istio drops a route whose delegate does not exist yet, so requests matching no other route get
 * 404 (pilot/pkg/model/virtualservice_controller.go). A Flagger Canary creates its VirtualService
 * before it reports Initialized (pkg/controller/scheduler.go), which Argo CD's health check for
 * Canary reads as Healthy, and Argo CD starts a wave only once the one before is healthy.
 *
 * The same holds for an HTTPRoute on the Service parent of a Flagger Canary's HTTPRoute (GAMMA):
 * alone, it holds only the service's matched rules, and Linkerd adds its default route only to a
 * Service without HTTPRoutes (policy-controller grpc/src/outbound/http.rs), so every other request
 * gets 404; and its rule to Flagger's `<service>-canary` is BackendNotFound until Flagger creates
 * that Service, which Argo CD's HTTPRoute health reads as Degraded, failing the sync before the
 * Canary's wave.
 */
function placeOfObject(o: ApiObject, flaggerServices: Set<string>): SyncWave {
  if (o.apiGroup === 'networking.istio.io' && o.kind === 'VirtualService') {
    const http: unknown = (o.toJson() as { spec?: { http?: unknown } }).spec?.http;
    if (Array.isArray(http) && http.some((r) => r && typeof r === 'object' && 'delegate' in r && r.delegate)) return SyncWave.DELEGATING_ROUTES;
  }
  if (o.kind === 'HTTPRoute' && flaggerServices.size > 0) {
    const parents = (o.toJson() as { spec?: { parentRefs?: Array<{ kind?: string; name?: string; namespace?: string }> } }).spec?.parentRefs ?? [];
    if (parents.some((p) => p.kind === 'Service' && flaggerServices.has(`${p.namespace ?? o.metadata.namespace}/${p.name}`))) return SyncWave.DELEGATING_ROUTES;
  }
  return ArgoCdSyncWaves.placeOf(o.apiVersion, o.kind);
}
