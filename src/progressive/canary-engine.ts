import { fail, quote } from '../core/errors';
import { validatePositiveInt } from '../core/percent';
import { validateDnsLabel } from '../core/names';

/** The engines that can move a canary through its stages. */
export enum CanaryEngineKind {
  /** No controller: the split is rendered at the chosen stage; promotion and rollback are commits. */
  STATIC_STAGE = 'static-stage',
  /** Argo Rollouts: a `Rollout` steps through the stages, gated by `AnalysisTemplate`s. */
  ARGO_ROLLOUTS = 'argo-rollouts',
  /** Flagger: a `Canary` steps the weights of the routes Flagger generates, gated by `MetricTemplate`s. */
  FLAGGER = 'flagger',
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
   * The Rollout's replicas. Not with a HorizontalPodAutoscaler on the Deployment the Rollout runs
   * (ServiceWorkloads `autoscaling`): that HPA scales the Rollout, which then renders no replicas.
   * @default 1, or none when an HPA scales the Rollout
   */
  readonly replicas?: number;
  /**
   * Before any traffic shifts, mirror this share of the requests (whole percent, 1-100) to the
   * canary, whose responses are discarded: a `setMirrorRoute` step (managed route
   * `canary-mirror`, every path), an analysis of the canary under the copies, then the mirror
   * route is removed. Istio only: the Gateway API plugin does not implement mirror routes.
   * @default - no mirror step
   */
  readonly mirrorPercent?: number;
}

/** A load test that flagger-loadtester runs against the canary while Flagger analyses it (a `rollout` webhook). */
export interface FlaggerLoadTest {
  /**
   * The load tester's URL, reachable from Flagger.
   * @default - `http://flagger-loadtester.<service namespace>/`
   */
  readonly url?: string;
  /**
   * The command the load tester runs at each analysis step.
   * @default - `hey -z 1m -q 10 -c 2 http://<service>-canary.<namespace>:<port>/` (one minute at 10 requests/s per worker, 2 workers)
   */
  readonly command?: string;
}

/** Options of the Flagger engine. */
export interface FlaggerOptions {
  /**
   * The Deployment Flagger canaries (`targetRef`): Flagger copies it to `<deploymentName>-primary`,
   * which serves production, and scales it to zero between rollouts. Give it a name that stays the
   * same from one version to the next (ServiceWorkloads `versions[].deploymentName`), since a new
   * name is a new Flagger target that starts without analysis.
   * @default - the canary version's Deployment in ServiceWorkloads (`versions[].deploymentName`, by default
   * `<service>-<canaryVersion>`)
   */
  readonly deploymentName?: string;
  /**
   * A load test run by flagger-loadtester during the analysis, for services without enough traffic.
   * @default - none
   */
  readonly loadTest?: FlaggerLoadTest;
}

/**
 * What moves a {@link CanaryService} through its stage plan: a person changing `stage` (the
 * static stage, the default) or a controller that advances while the canary's analysis holds and
 * rolls back when it does not.
 *
 * @example
 * CanaryEngine.staticStage()
 * CanaryEngine.argoRollouts({ replicas: 3 })
 * CanaryEngine.flagger({ loadTest: {} })
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
    if (options.mirrorPercent !== undefined) validatePositiveInt(where, 'mirrorPercent', options.mirrorPercent, { max: 100 });
    return new CanaryEngine(CanaryEngineKind.ARGO_ROLLOUTS, { ...options });
  }

  /** Flagger (1.35+, the first with `gatewayapi:v1`): a `Canary` (Istio, or the Gateway API with the Service as parent for Linkerd) and MetricTemplates. */
  public static flagger(options: FlaggerOptions = {}): CanaryEngine {
    const where = 'CanaryEngine.flagger';
    if (options.deploymentName !== undefined) validateDnsLabel(where, 'deploymentName', options.deploymentName);
    const url = options.loadTest?.url;
    if (url !== undefined && (typeof url !== 'string' || !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(url))) {
      fail(where, 'loadTest.url', `must be an http(s) URL, got ${quote(url)}`, 'pass e.g. "http://flagger-loadtester.test/"');
    }
    const command = options.loadTest?.command;
    if (command !== undefined && (typeof command !== 'string' || command.trim() === '')) fail(where, 'loadTest.command', `must be a command line, got ${quote(command)}`, 'pass e.g. "hey -z 1m -q 10 -c 2 http://reviews-canary.bookinfo:9080/"');
    return new CanaryEngine(CanaryEngineKind.FLAGGER, undefined, { ...options, ...(options.loadTest ? { loadTest: { ...options.loadTest } } : {}) });
  }

  private constructor(
    /** Which engine. */
    public readonly kind: CanaryEngineKind,
    /** The Argo Rollouts options, for `ARGO_ROLLOUTS`. */
    public readonly argoRolloutsOptions?: ArgoRolloutsOptions,
    /** The Flagger options, for `FLAGGER`. */
    public readonly flaggerOptions?: FlaggerOptions,
  ) {}

  /** True for an engine that changes the rendered objects at runtime (everything but the static stage). */
  public get isAutomatic(): boolean {
    return this.kind !== CanaryEngineKind.STATIC_STAGE;
  }
}
