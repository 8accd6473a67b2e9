import { ALL_NAMESPACES, exportScopes, SERVICE_EXPORT_TO_ANNOTATION, serviceExportScopes } from './host-visibility';
import { groupOf, Manifest, resourceId } from './manifest';
import { LabelSelector, labelsMatch, selectorMatches } from './selectors';
import {
  destinationsOf, GatewayReference, gatewaysOf, INTERNAL_GATEWAY_MARKER, isInternalGatewayReference, isMeshBound, RouteDestination, WeightedRoute,
  weightedRoutesOf,
} from './virtual-service-routes';

/**
 * What custom analyzers ask of single manifests, for every language: the class form of `groupOf`,
 * `resourceId`, `labelsMatch`, `selectorMatches`, `exportScopes`, `destinationsOf`, ... (jsii
 * cannot export free functions or constants).
 */
export class ManifestQueries {
  /** The `exportTo` scope meaning every namespace (`*`). */
  public static readonly ALL_NAMESPACES = ALL_NAMESPACES;
  /** The Service annotation that limits which namespaces see a Service (`networking.istio.io/exportTo`). */
  public static readonly SERVICE_EXPORT_TO_ANNOTATION = SERVICE_EXPORT_TO_ANNOTATION;
  /** What Istio puts in the names of the Istio Gateways it generates for Gateway API Gateways. */
  public static readonly INTERNAL_GATEWAY_MARKER = INTERNAL_GATEWAY_MARKER;

  /** The API group of a manifest (`''` for the core group). */
  public static groupOf(manifest: Manifest): string {
    return groupOf(manifest);
  }

  /** `Kind namespace/name`, the resource label used in findings. */
  public static resourceId(manifest: Manifest, defaultNamespace: string = 'default'): string {
    return resourceId(manifest, defaultNamespace);
  }

  /** True if every `key: value` of `selector` is among `labels` (an empty or absent selector matches everything). */
  public static labelsMatch(selector?: Record<string, string>, labels?: Record<string, string>): boolean {
    return labelsMatch(selector, labels);
  }

  /** True if `labels` satisfy a full label selector (matchLabels and matchExpressions). */
  public static selectorMatches(selector?: LabelSelector, labels?: Record<string, string>): boolean {
    return selectorMatches(selector, labels);
  }

  /** The namespaces an Istio object of `namespace` with `exportTo` is visible in (`*` for all, `.` is its own namespace). */
  public static exportScopes(namespace: string, exportTo?: any[]): string[] {
    return exportScopes(exportTo, namespace);
  }

  /** The namespaces a Service of `namespace` is visible in, from its `networking.istio.io/exportTo` annotation. */
  public static serviceExportScopes(namespace: string, annotations?: Record<string, string>): string[] {
    return serviceExportScopes(annotations, namespace);
  }

  /** Every destination of a VirtualService: `route` entries of http/tcp/tls rules, `mirror` and `mirrors`. */
  public static destinationsOf(virtualService: Manifest): RouteDestination[] {
    return destinationsOf(virtualService);
  }

  /** The rules of a VirtualService with more than one destination (a weighted split). */
  public static weightedRoutesOf(virtualService: Manifest): WeightedRoute[] {
    return weightedRoutesOf(virtualService);
  }

  /** The gateways a VirtualService binds to, from `spec.gateways` and the routes' `match[].gateways`. */
  public static gatewaysOf(virtualService: Manifest): GatewayReference[] {
    return gatewaysOf(virtualService);
  }

  /** True if a gateway reference names an Istio Gateway generated for a Gateway API Gateway. */
  public static isInternalGatewayReference(ref: string): boolean {
    return isInternalGatewayReference(ref);
  }

  /** True if a VirtualService applies to sidecars (no gateways, or `mesh` among them). */
  public static isMeshBound(virtualService: Manifest): boolean {
    return isMeshBound(virtualService);
  }

  private constructor() {}
}
