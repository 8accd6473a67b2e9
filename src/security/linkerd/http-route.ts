import { ApiObject, Lazy } from 'cdk8s';
import { DEFAULT_PATH_MATCH } from '../../gateway-api/api-server-defaults';
import { Construct } from 'constructs';
import * as l1 from '../../../imports/policy.linkerd.io';
import { fail, quote } from '../../core/errors';
import { MeshResource, MeshResourceProps } from '../../core/resource';
import { HttpMethod } from '../../traffic/match';
import { RequestPath, RequestPathKind } from '../request-path';
import { LinkerdServer } from './server';

/** One request match of a {@link LinkerdServerRoute}: a path, a method, or both. */
export interface ServerRouteMatch {
  /** @default - any path */
  readonly path?: RequestPath;
  /** @default - any method */
  readonly method?: HttpMethod;
}

/** Props of a {@link LinkerdServerRoute}. */
export interface LinkerdServerRouteProps extends MeshResourceProps {
  /** The Server the route belongs to (inbound policy). */
  readonly server: LinkerdServer;
  /** The requests the route covers; at least one. */
  readonly matches: ServerRouteMatch[];
}

/**
 * A Linkerd `HTTPRoute` (policy.linkerd.io/v1beta3) whose parent is a `Server`: a set of requests
 * on that Server that an AuthorizationPolicy can target, for per-route authorization.
 *
 * Once a Server has routes, requests that match none of them are refused (404), so give every
 * allowed request a route.
 */
export class LinkerdServerRoute extends MeshResource {
  public readonly apiObject: ApiObject;
  public readonly server: LinkerdServer;
  private readonly matches: ServerRouteMatch[];

  public constructor(scope: Construct, id: string, props: LinkerdServerRouteProps) {
    super(scope, id, props);
    if (!(props.server instanceof LinkerdServer)) fail(this, 'server', `must be a LinkerdServer, got ${quote(props.server)}`, 'pass the Server the route refines');
    if (props.server.namespace !== this.namespace) fail(this, 'server', `is in namespace ${quote(props.server.namespace)}, not ${quote(this.namespace)}`, 'create the route in the Server\'s namespace');
    if (!Array.isArray(props.matches) || props.matches.length === 0 || props.matches.length > 64) {
      fail(this, 'matches', `must list 1 to 64 matches, got ${quote(props.matches?.length)}`, 'pass e.g. matches: [{ path: RequestPath.prefix("/reviews"), method: HttpMethod.GET }]');
    }
    props.matches.forEach((m, i) => {
      if (!m || (m.path === undefined && m.method === undefined)) fail(this, `matches[${i}]`, 'is empty', 'give a path, a method or both; RequestPath.prefix("/") matches every request');
      if (m.path !== undefined && !(m.path instanceof RequestPath)) fail(this, `matches[${i}].path`, `must be a RequestPath, got ${quote(m.path)}`, 'use RequestPath.exact(...) or RequestPath.prefix(...)');
      if (m.method !== undefined && !Object.values(HttpMethod).includes(m.method)) fail(this, `matches[${i}].method`, `must be an HttpMethod, got ${quote(m.method)}`, 'use HttpMethod.GET, ...');
    });
    this.server = props.server;
    this.matches = [...props.matches];
    this.apiObject = new l1.HttpRoute(this, 'Resource', {
      metadata: this.metadata(props),
      spec: Lazy.any({ produce: () => this._toKube() }) as l1.HttpRouteSpec,
    });
  }

  /** @internal */
  public _toKube(): l1.HttpRouteSpec {
    return {
      parentRefs: [{ group: 'policy.linkerd.io', kind: 'Server', name: this.server.name }],
      rules: [{
        matches: this.matches.map((m) => ({
          // no path is stored as the API server's default, PathPrefix "/" (rendered, so that Git and the cluster agree)
          path: m.path ? { type: (m.path.kind === RequestPathKind.EXACT ? 'Exact' : 'PathPrefix') as l1.HttpRouteSpecRulesMatchesPathType, value: m.path.path } : { ...DEFAULT_PATH_MATCH } as l1.HttpRouteSpecRulesMatchesPath,
          method: m.method as unknown as l1.HttpRouteSpecRulesMatchesMethod,
        })),
      }],
    };
  }
}
