import { fail, quote } from '../core/errors';
import { validatePositiveInt } from '../core/percent';
import { validateDnsLabel } from '../core/names';

/** The engines that can move a canary through its stages. */
export enum CanaryEngineKind {
  /** No controller: the split is rendered at the chosen stage; promotion and rollback are commits. */
  STATIC_STAGE = 'static-stage',
  /** Argo Rollouts: a `Rollout` steps through the stages, gated by `AnalysisTemplate`s. */
  ARGO_ROLLOUTS = 'argo-rollouts',
}

/** When Argo Rollouts scales down the Deployment whose pod template the Rollout runs. */
export enum WorkloadScaleDown {
  /** Leave the Deployment's replicas alone (it keeps serving through the Service). */
  NEVER = 'never',
  /** Scale it to zero once the Rollout is fully promoted. */
  ON_SUCCESS = 'onsuccess',
  /** Scale it down step by step as the Rollout's pods become available (migration without extra capacity). */
  PROGRESSIVELY = 'progressively',
}

/** Options of the Argo Rollouts engine. */
export interface ArgoRolloutsOptions {
  /**
   * The Deployment whose pod template the Rollout runs (`workloadRef`). Its pod labels must
   * include the service's selector and the canary version's labels (e.g. `version: v2`), which
   * the canary's metrics are told apart by.
   * @default - the canary version's Deployment in ServiceWorkloads (`versions[].deploymentName`, by default
   * `<service>-<canaryVersion>`); ServiceWorkloads created after the CanaryService must use the name read here
   */
  readonly deploymentName?: string;
  /**
   * The Rollout's name.
   * @default - the service name
   */
  readonly rolloutName?: string;
  /**
   * The AnalysisTemplate's name (the Rollout's analysis steps name it).
   * @default `<service>-canary`
   */
  readonly analysisTemplateName?: string;
  /**
   * When Argo Rollouts scales that Deployment down.
   * @default WorkloadScaleDown.PROGRESSIVELY
   */
  readonly scaleDown?: WorkloadScaleDown;
  /**
   * The Rollout's replicas.
   * @default 1
   */
  readonly replicas?: number;
}

/**
 * What moves a {@link CanaryService} through its stage plan: a person changing `stage` (the
 * static stage, the default) or a controller that advances while the canary's analysis holds and
 * rolls back when it does not.
 *
 * @example
 * CanaryEngine.staticStage()
 * CanaryEngine.argoRollouts({ replicas: 3 })
 */
export class CanaryEngine {
  /** The split is rendered at `stage`; nothing runs at runtime. */
  public static staticStage(): CanaryEngine {
    return new CanaryEngine(CanaryEngineKind.STATIC_STAGE);
  }

  /** Argo Rollouts (controller 1.8+): a Rollout with `setWeight`/`analysis` steps and AnalysisTemplates. */
  public static argoRollouts(options: ArgoRolloutsOptions = {}): CanaryEngine {
    const where = 'CanaryEngine.argoRollouts';
    if (options.deploymentName !== undefined) validateDnsLabel(where, 'deploymentName', options.deploymentName);
    if (options.scaleDown !== undefined && !Object.values(WorkloadScaleDown).includes(options.scaleDown)) {
      fail(where, 'scaleDown', `must be a WorkloadScaleDown, got ${quote(options.scaleDown)}`, 'use WorkloadScaleDown.PROGRESSIVELY, ON_SUCCESS or NEVER');
    }
    if (options.replicas !== undefined) validatePositiveInt(where, 'replicas', options.replicas);
    return new CanaryEngine(CanaryEngineKind.ARGO_ROLLOUTS, { ...options });
  }

  private constructor(
    /** Which engine. */
    public readonly kind: CanaryEngineKind,
    /** The Argo Rollouts options, for `ARGO_ROLLOUTS`. */
    public readonly argoRolloutsOptions?: ArgoRolloutsOptions,
  ) {}

  /** True for an engine that changes the rendered objects at runtime (everything but the static stage). */
  public get isAutomatic(): boolean {
    return this.kind !== CanaryEngineKind.STATIC_STAGE;
  }
}
