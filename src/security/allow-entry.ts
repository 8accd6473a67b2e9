import { IConstruct } from 'constructs';
import type { MeshService } from '../service/mesh-service';
import type { ServicePort } from '../service/service-port';
import type { HttpMethod } from '../traffic/match';
import type { Caller, ResolvedCaller } from './caller';
import type { RequestPath } from './request-path';

interface AllowEntryParts {
  readonly name: string;
  readonly callers: Caller[];
  readonly target: MeshService;
  readonly ports: ServicePort[];
  readonly allPorts: boolean;
  readonly methods?: HttpMethod[];
  readonly paths?: RequestPath[];
  readonly owner: IConstruct;
}

/** One edge of the allow graph, validated: callers may call `target` on `ports` (with optional L7 limits). */
export class AllowEntry {
  /** @internal */
  public static _create(parts: AllowEntryParts): AllowEntry {
    return new AllowEntry(parts);
  }

  /** Unique per target; used in resource names. */
  public readonly name: string;
  public readonly callers: Caller[];
  public readonly target: MeshService;
  /** The target ports the rule covers. */
  public readonly ports: ServicePort[];
  /** True when the rule covers every port of the target. */
  public readonly allPorts: boolean;
  /** The HTTP methods allowed. @default - any method */
  public readonly methods?: HttpMethod[];
  /** The paths allowed. @default - any path */
  public readonly paths?: RequestPath[];
  /** The construct that owns the rule, for messages. */
  public readonly owner: IConstruct;

  private constructor(parts: AllowEntryParts) {
    this.name = parts.name;
    this.callers = [...parts.callers];
    this.target = parts.target;
    this.ports = [...parts.ports];
    this.allPorts = parts.allPorts;
    this.methods = parts.methods ? [...parts.methods] : undefined;
    this.paths = parts.paths ? [...parts.paths] : undefined;
    this.owner = parts.owner;
  }

  /** Resolves the callers (at synth); a caller named by string that does not exist throws a MeshConfigError naming the owner. */
  public resolve(): ResolvedCaller[] {
    return this.callers.map((c) => c._resolve(this.owner, this.owner, `allow ${this.name} from`));
  }
}

/** True when the entry restricts methods or paths (needs L7). */
export function isL7(e: AllowEntry): boolean {
  return Boolean(e.methods?.length || e.paths?.length);
}
