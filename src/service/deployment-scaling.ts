import { IConstruct } from 'constructs';
import { fail } from '../core/errors';

/** @internal The object an autoscaler scales (`scaleTargetRef`). */
export interface ScaleTargetRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

/**
 * @internal Which of a service's Deployments a HorizontalPodAutoscaler scales (ServiceWorkloads)
 * and which object it must scale instead: a Rollout that runs a Deployment's pod template
 * (`workloadRef`) scales that Deployment to zero, so its HPA has to scale the Rollout.
 */
export class DeploymentScaling {
  private readonly autoscaledBy = new Map<string, IConstruct>();
  private readonly takenOver = new Map<string, { target: ScaleTargetRef; by: IConstruct }>();
  private readonly copiedTo = new Map<string, ScaleTargetRef>();

  /**
   * Declares that an HPA scales Deployment `deploymentName`. Fails when a controller already took
   * the Deployment over believing nothing autoscaled it (it rendered its own replicas).
   */
  public declareAutoscaled(deploymentName: string, owner: IConstruct, prop: string): void {
    const t = this.takenOver.get(deploymentName);
    if (t) {
      fail(owner, prop, `adds a HorizontalPodAutoscaler for Deployment ${deploymentName}, but ${t.by.node.path} (the ${t.target.kind} ${t.target.name} that runs its pods) was created before it and rendered fixed replicas`,
        `create ${owner.node.path} before ${t.by.node.path}, so that the HPA scales the ${t.target.kind} and it leaves replicas to the HPA`);
    }
    this.autoscaledBy.set(deploymentName, owner);
  }

  /** Another object runs Deployment `deploymentName`'s pods: its HPA scales `target`. True when an HPA scales it. */
  public takeOver(deploymentName: string, target: ScaleTargetRef, by: IConstruct): boolean {
    this.takenOver.set(deploymentName, { target: { ...target }, by });
    return this.autoscaledBy.has(deploymentName);
  }

  /** What an HPA of Deployment `deploymentName` scales. */
  public scaleTarget(deploymentName: string): ScaleTargetRef {
    return this.takenOver.get(deploymentName)?.target ?? { apiVersion: 'apps/v1', kind: 'Deployment', name: deploymentName };
  }

  /**
   * A controller runs Deployment `deploymentName`'s pod template as the production workload
   * `target` (Flagger's `<name>-primary`), while its HPA stays on the Deployment (the controller
   * copies the HPA itself).
   */
  public copyPods(deploymentName: string, target: ScaleTargetRef): void {
    this.copiedTo.set(deploymentName, { ...target });
  }

  /**
   * What a VerticalPodAutoscaler of Deployment `deploymentName` sizes: the object that runs its pods
   * (a Rollout that took them over, a controller's copy), else the Deployment.
   */
  public podOwner(deploymentName: string): ScaleTargetRef {
    return this.copiedTo.get(deploymentName) ?? this.scaleTarget(deploymentName);
  }
}
