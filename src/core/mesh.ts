import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { MeshTarget, TARGET_CONTEXT_KEY, targetOf, useTarget } from '../target/mesh-target';
import { fail, quote } from './errors';

/**
 * The mesh a chart's resources are rendered for.
 *
 * Intents (a weighted split, a retry policy, an allow rule) are mesh-agnostic; the target decides
 * which resources they become. An intent the target cannot express is a synth-time error.
 */
export enum Mesh {
  /** Istio: VirtualService, DestinationRule, PeerAuthentication, AuthorizationPolicy, ... */
  ISTIO = 'istio',
  /**
   * The Gateway API mesh profile (GAMMA) with no mesh-specific extras: HTTPRoutes whose parent is a
   * Service, and one Service per version. Implemented by Istio, Cilium and Linkerd.
   */
  GATEWAY_API = 'gateway-api',
  /** Linkerd: GAMMA HTTPRoutes plus Linkerd's annotations and policy resources. */
  LINKERD = 'linkerd',
  /** Cilium: GAMMA HTTPRoutes for traffic and CiliumNetworkPolicy for security. */
  CILIUM = 'cilium',
}

/** The construct context key that selects the mesh for everything below the node it is set on. */
export const MESH_CONTEXT_KEY = 'cdk8s-mesh:mesh';

/** Options of {@link useMesh}. */
export interface UseMeshOptions {
  /**
   * The releases the cluster runs (Istio, Gateway API, Linkerd): what the target lacks is left out
   * or refused at synth.
   *
   * @default - the target set above this scope, or MeshTarget.LATEST
   */
  readonly target?: MeshTarget;
}

/**
 * Selects the mesh (and optionally the target releases) for a scope (an App or a Chart) before its
 * children are added.
 *
 * @example
 * const app = new App();
 * useMesh(app, Mesh.LINKERD, { target: MeshTarget.of({ linkerd: LinkerdVersion.V2_18 }) });
 */
export function useMesh(scope: IConstruct, mesh: Mesh, options: UseMeshOptions = {}): void {
  if (!Object.values(Mesh).includes(mesh)) {
    fail(scope, 'mesh', `is not a known mesh, got ${quote(mesh)}`, `use one of ${Object.values(Mesh).map((m) => `Mesh.${m.toUpperCase().replace('-', '_')}`).join(', ')}`);
  }
  scope.node.setContext(MESH_CONTEXT_KEY, mesh);
  if (options.target !== undefined) useTarget(scope, options.target);
}

/**
 * The mesh in force for a construct: the nearest `useMesh` setting above it.
 *
 * @default Mesh.ISTIO
 */
export function meshOf(scope: IConstruct): Mesh {
  const value = scope.node.tryGetContext(MESH_CONTEXT_KEY);
  if (value === undefined) return Mesh.ISTIO;
  if (!Object.values(Mesh).includes(value)) {
    fail(scope, `context ${MESH_CONTEXT_KEY}`, `is not a known mesh, got ${quote(value)}`, `set it to one of ${Object.values(Mesh).join(', ')}`);
  }
  return value as Mesh;
}

/** True for the meshes whose routing is rendered as Gateway API (GAMMA) HTTPRoutes. */
export function routesWithGatewayApi(mesh: Mesh): boolean {
  return mesh !== Mesh.ISTIO;
}

/** The namespace of a construct's chart, or `default`. */
export function chartNamespace(scope: IConstruct): string {
  return Chart.of(scope).namespace ?? 'default';
}

/** Throws the standard "this mesh cannot express that intent" error. */
export function unsupported(scope: IConstruct, prop: string, mesh: Mesh, what: string, fix: string): never {
  fail(scope, prop, `cannot be rendered for ${mesh}: ${what}`, fix);
}

/**
 * The mesh and target releases of a scope, for every language: the class form of `useMesh`,
 * `meshOf`, `useTarget`, `targetOf` and `routesWithGatewayApi` (jsii cannot export free functions,
 * so Python, Java and Go reach them here; TypeScript may use either).
 *
 * @example
 * const app = new App();
 * MeshSettings.useMesh(app, Mesh.LINKERD, { target: MeshTarget.of({ linkerd: LinkerdVersion.V2_18 }) });
 */
export class MeshSettings {
  /** The construct context key that selects the mesh (`cdk8s-mesh:mesh`). */
  public static readonly MESH_CONTEXT_KEY = MESH_CONTEXT_KEY;
  /** The construct context key that holds the target releases (`cdk8s-mesh:target`). */
  public static readonly TARGET_CONTEXT_KEY = TARGET_CONTEXT_KEY;

  /** Selects the mesh (and optionally the target releases) for a scope before its children are added. */
  public static useMesh(scope: IConstruct, mesh: Mesh, options: UseMeshOptions = {}): void {
    useMesh(scope, mesh, options);
  }

  /** The mesh in force for a construct: the nearest `useMesh` setting above it, else `Mesh.ISTIO`. */
  public static meshOf(scope: IConstruct): Mesh {
    return meshOf(scope);
  }

  /** Sets the releases the cluster runs for a scope (an App or a Chart) before its children are added. */
  public static useTarget(scope: IConstruct, target: MeshTarget): void {
    useTarget(scope, target);
  }

  /** The target releases in force for a construct, else `MeshTarget.LATEST`. */
  public static targetOf(scope: IConstruct): MeshTarget {
    return targetOf(scope);
  }

  /** True for the meshes whose routing is rendered as Gateway API (GAMMA) HTTPRoutes. */
  public static routesWithGatewayApi(mesh: Mesh): boolean {
    return routesWithGatewayApi(mesh);
  }

  private constructor() {}
}
