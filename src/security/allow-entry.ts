import { IConstruct } from 'constructs';
import type { MeshService } from '../service/mesh-service';
import type { ServicePort } from '../service/service-port';
import type { HttpMethod } from '../traffic/match';
import type { Caller, ResolvedCaller } from './caller';
import type { RequestPath } from './request-path';

/** One edge of the allow graph, validated: callers may call `target` on `ports` (with optional L7 limits). */
export interface AllowEntry {
  /** Unique per target; used in resource names. */
  readonly name: string;
  readonly callers: readonly Caller[];
  readonly target: MeshService;
  /** The target ports the rule covers. */
  readonly ports: readonly ServicePort[];
  /** True when the rule covers every port of the target. */
  readonly allPorts: boolean;
  readonly methods?: readonly HttpMethod[];
  readonly paths?: readonly RequestPath[];
  /** Resolves the callers (at synth). */
  readonly resolve: () => ResolvedCaller[];
  /** The construct that owns the rule, for messages. */
  readonly owner: IConstruct;
}

/** True when the entry restricts methods or paths (needs L7). */
export function isL7(e: AllowEntry): boolean {
  return Boolean(e.methods?.length || e.paths?.length);
}
