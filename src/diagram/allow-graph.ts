import { IConstruct } from 'constructs';
import type { MeshService } from '../service/mesh-service';

/**
 * A caller of an allow rule, resolved against the app.
 *
 * TypeScript only (`@jsii ignore`): the diagram finds allow rules by their shape (a `resolve`
 * function), which jsii cannot express; other languages draw the library's own
 * ServiceAuthorization constructs, which have it.
 *
 * @jsii ignore
 */
export interface AllowGraphCaller {
  /** `service`, `service-account` or `namespace`. */
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** @default - none */
  readonly serviceAccount?: string;
  /** The labels of the caller's pods, when known. @default - none */
  readonly podLabels?: Record<string, string>;
  /** The caller's MeshService, for service callers. @default - none */
  readonly service?: MeshService;
}

/**
 * One allow rule: who may call which service.
 *
 * TypeScript only (`@jsii ignore`): the diagram finds allow rules by their shape (a `resolve`
 * function), which jsii cannot express; other languages draw the library's own
 * ServiceAuthorization constructs, which have it.
 *
 * @jsii ignore
 */
export interface AllowGraphEntry {
  readonly target: MeshService;
  /** The rule's callers, resolved. */
  readonly resolve: () => readonly AllowGraphCaller[];
  /** @default - any method */
  readonly methods?: readonly string[];
  /** @default - any path */
  readonly paths?: ReadonlyArray<{ toString(): string }>;
  /** The ports the rule opens. @default - every port */
  readonly ports?: ReadonlyArray<{ readonly port: number }>;
  /** True when the rule opens every port of the target. @default true */
  readonly allPorts?: boolean;
}

/**
 * What a diagram reads from an authorization construct (e.g. `ServiceAuthorization`): its allow
 * rules. Any construct of the chart with this shape is drawn as "allowed" edges.
 *
 * TypeScript only (`@jsii ignore`): the diagram finds allow rules by their shape (a `resolve`
 * function), which jsii cannot express; other languages draw the library's own
 * ServiceAuthorization constructs, which have it.
 *
 * @jsii ignore
 */
export interface IAllowGraph extends IConstruct {
  readonly rules: readonly AllowGraphEntry[];
}

/** True for a construct that exposes allow rules in the {@link IAllowGraph} shape. */
export function isAllowGraph(c: IConstruct): c is IAllowGraph {
  const rules = (c as Partial<IAllowGraph>).rules;
  if (!Array.isArray(rules)) return false;
  return rules.every((r) => r && typeof r === 'object' && typeof (r as AllowGraphEntry).resolve === 'function'
    && typeof (r as AllowGraphEntry).target?.serviceName === 'string');
}
