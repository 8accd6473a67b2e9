import { fail, quote } from '../core/errors';
import { HTTP_LIMITS, validateHttpPath, validateHttpToken, validateHttpValue } from '../core/http-values';
import { prefixRegex } from '../core/re2';
import { StringMatch, StringMatchKind } from './string-match';

/** HTTP methods a route can match. */
export enum HttpMethod {
  GET = 'GET',
  HEAD = 'HEAD',
  POST = 'POST',
  PUT = 'PUT',
  DELETE = 'DELETE',
  CONNECT = 'CONNECT',
  OPTIONS = 'OPTIONS',
  TRACE = 'TRACE',
  PATCH = 'PATCH',
}

/** HTTP/2 pseudo-headers: not headers a route can match (Gateway API header names are tokens, Istio ignores them). */
const PSEUDO_HEADER_FIXES = new Map<string, string>([
  [':authority', 'match the host instead: a mesh route applies to its service\'s host, and an IngressGateway route to the hosts it lists'],
  [':path', 'use Match.path.exact(...), .prefix(...) or .regex(...)'],
  [':method', 'use Match.method(HttpMethod.GET)'],
  [':scheme', 'match on the port or the gateway server instead (http and https arrive on different ports)'],
]);

/** Builds a condition on a named header or query parameter. */
export class NamedMatchBuilder {
  /** @internal */
  public static _create(where: string, build: (m: StringMatch) => Match): NamedMatchBuilder {
    return new NamedMatchBuilder(where, build);
  }

  private constructor(private readonly where: string, private readonly build: (m: StringMatch) => Match) {}

  /** Values equal to `value`. */
  public exact(value: string): Match {
    return this.build(StringMatch.exact(validateHttpValue(`${this.where}.exact`, 'value', value)));
  }
  /**
   * Values starting with `value` (an empty prefix: the header or parameter is present); the Gateway
   * API and Istio's query matches render it as the regex `^value.*`.
   */
  public prefix(value: string): Match {
    if (value !== '') validateHttpValue(`${this.where}.prefix`, 'value', value);
    const rendered = prefixRegex(value);
    if (rendered.length > HTTP_LIMITS.headerValue) {
      fail(`${this.where}.prefix`, 'value', `renders as a regex of ${rendered.length} characters, more than the ${HTTP_LIMITS.headerValue} the Gateway API allows`, 'match a shorter prefix');
    }
    return this.build(StringMatch.prefix(value));
  }
  /** Values matching an RE2 expression (at most 4,096 characters). */
  public regex(pattern: string): Match {
    const m = StringMatch.regex(pattern, `${this.where}.regex`);
    validateHttpValue(`${this.where}.regex`, 'pattern', pattern);
    return this.build(m);
  }
}

/** Builds a condition on the request path. */
export class PathMatchBuilder {
  /** Exactly this path (the Gateway API's rules for paths apply on every mesh). */
  public exact(path: string): Match {
    return Match._fromParts({ path: StringMatch.exact(validateHttpPath('Match.path.exact', 'path', path)) });
  }
  /** Paths starting with this one. */
  public prefix(path: string): Match {
    return Match._fromParts({ path: StringMatch.prefix(validateHttpPath('Match.path.prefix', 'path', path)) });
  }
  /** Paths matching an RE2 expression of at most 1,024 characters. */
  public regex(pattern: string): Match {
    const m = StringMatch.regex(pattern, 'Match.path.regex');
    if (pattern.length === 0 || pattern.length > HTTP_LIMITS.path) {
      fail('Match.path.regex', 'pattern', `must be 1 to ${HTTP_LIMITS.path} characters long (the Gateway API's limit), got ${pattern.length}`, 'shorten the expression');
    }
    return Match._fromParts({ path: m });
  }
}

/** A condition on a named header or query parameter of a {@link Match}. */
export interface NamedValueMatch {
  /** The header (in lower case) or query parameter name. */
  readonly name: string;
  /** The condition on its value. */
  readonly match: StringMatch;
}

/**
 * The conditions of a {@link Match}, all of which must hold.
 * @deprecated internal to Match (no public API takes it); read a match through `pathMatch`,
 * `httpMethod`, `headerMatches`, `queryParamMatches` and `destinationPort`
 * @jsii ignore
 */
export interface MatchParts {
  readonly path?: StringMatch;
  readonly method?: HttpMethod;
  readonly headers?: ReadonlyArray<readonly [string, StringMatch]>;
  readonly queryParams?: ReadonlyArray<readonly [string, StringMatch]>;
  readonly port?: number;
}

/**
 * A request match: a conjunction of conditions on path, method, headers and query parameters.
 * A route's list of matches is a disjunction (any one of them selects the route).
 *
 * @example
 * Match.header('end-user').exact('jason')
 * Match.path.prefix('/api').and(Match.method(HttpMethod.GET))
 */
export class Match {
  /** Conditions on the request path (URI). */
  public static readonly path = new PathMatchBuilder();

  /** A condition on a request header (names are case-insensitive and rendered in lower case). */
  public static header(name: string): NamedMatchBuilder {
    const lower = validateHeaderName(name);
    return NamedMatchBuilder._create(`Match.header(${quote(name)})`, (m) => Match._fromParts({ headers: [[lower, m]] }));
  }

  /** A condition on a query parameter. Istio supports exact and regex; prefix is rendered as a regex. */
  public static queryParam(name: string): NamedMatchBuilder {
    validateHttpToken('Match.queryParam', 'name', name, 'version');
    return NamedMatchBuilder._create(`Match.queryParam(${quote(name)})`, (m) => Match._fromParts({ queryParams: [[name, m]] }));
  }

  /** A condition on the HTTP method. */
  public static method(method: HttpMethod): Match {
    if (!Object.values(HttpMethod).includes(method)) {
      fail('Match.method', 'method', `is not an HTTP method, got ${quote(method)}`, 'use HttpMethod.GET, HttpMethod.POST, ...');
    }
    return Match._fromParts({ method });
  }

  /**
   * A condition on the destination port the request was sent to (Istio only; GAMMA routes attach
   * to a Service port instead).
   */
  public static port(port: number): Match {
    if (!Number.isInteger(port) || port < 1 || port > 65535) fail('Match.port', 'port', `must be a port number from 1 to 65535, got ${quote(port)}`, 'pass e.g. 80');
    return Match._fromParts({ port });
  }

  /** A match requiring all of the given matches. */
  public static all(...matches: Match[]): Match {
    if (matches.length === 0) fail('Match.all', 'matches', 'must not be empty', 'pass at least one match');
    return matches.reduce((a, b) => a.and(b));
  }

  /** @internal */
  public static _fromParts(parts: MatchParts): Match {
    return new Match(parts);
  }

  /** The condition on the request path, if any. */
  public readonly pathMatch?: StringMatch;
  /** The HTTP method matched, if any. */
  public readonly httpMethod?: HttpMethod;
  /** The destination port matched, if any. */
  public readonly destinationPort?: number;
  private readonly _headers: ReadonlyArray<readonly [string, StringMatch]>;
  private readonly _queryParams: ReadonlyArray<readonly [string, StringMatch]>;

  private constructor(parts: MatchParts) {
    this.pathMatch = parts.path;
    this.httpMethod = parts.method;
    this.destinationPort = parts.port;
    this._headers = parts.headers ?? [];
    this._queryParams = parts.queryParams ?? [];
  }

  /**
   * The condition on the request path, if any.
   * @deprecated use `pathMatch` (the same value; in other languages `path` is only the static path builder)
   * @jsii ignore
   */
  public get path(): StringMatch | undefined {
    return this.pathMatch;
  }

  /**
   * The HTTP method matched, if any.
   * @deprecated use `httpMethod` (the same value; in other languages `method` is only the static factory)
   * @jsii ignore
   */
  public get method(): HttpMethod | undefined {
    return this.httpMethod;
  }

  /**
   * The destination port matched, if any.
   * @deprecated use `destinationPort` (the same value; in other languages `port` is only the static factory)
   * @jsii ignore
   */
  public get port(): number | undefined {
    return this.destinationPort;
  }

  /** Header conditions (lower-case names), in the order given. */
  public get headerMatches(): NamedValueMatch[] {
    return this._headers.map(([name, match]) => ({ name, match }));
  }

  /** Query-parameter conditions, in the order given. */
  public get queryParamMatches(): NamedValueMatch[] {
    return this._queryParams.map(([name, match]) => ({ name, match }));
  }

  /**
   * Header conditions, as [lower-case name, match] pairs in the order given.
   * @deprecated use `headerMatches` (tuples do not cross to other languages)
   * @jsii ignore
   */
  public get headers(): Array<readonly [string, StringMatch]> {
    return [...this._headers];
  }

  /**
   * Query-parameter conditions, as [name, match] pairs in the order given.
   * @deprecated use `queryParamMatches` (tuples do not cross to other languages)
   * @jsii ignore
   */
  public get queryParams(): Array<readonly [string, StringMatch]> {
    return [...this._queryParams];
  }

  /** A match that requires this one and `other`. Two conditions on the same path, method, header or parameter conflict. */
  public and(other: Match): Match {
    const where = `Match ${this} and ${other}`;
    if (this.pathMatch && other.pathMatch) fail(where, 'path', 'is matched twice', 'keep one path condition per match; list alternatives as separate matches');
    if (this.httpMethod && other.httpMethod) fail(where, 'method', 'is matched twice', 'keep one method condition per match; list alternatives as separate matches');
    if (this.destinationPort && other.destinationPort) fail(where, 'port', 'is matched twice', 'keep one port condition per match; list alternatives as separate matches');
    for (const [name] of other._headers) {
      if (this._headers.some(([n]) => n === name)) fail(where, `header ${quote(name)}`, 'is matched twice', 'combine the conditions into one regex, or list alternatives as separate matches');
    }
    for (const [name] of other._queryParams) {
      if (this._queryParams.some(([n]) => n === name)) fail(where, `query parameter ${quote(name)}`, 'is matched twice', 'list alternatives as separate matches');
    }
    return new Match({
      path: this.pathMatch ?? other.pathMatch,
      method: this.httpMethod ?? other.httpMethod,
      port: this.destinationPort ?? other.destinationPort,
      headers: [...this._headers, ...other._headers],
      queryParams: [...this._queryParams, ...other._queryParams],
    });
  }

  /**
   * The precedence key of this match, compared element by element, larger first. It follows the
   * Gateway API's rule order (exact path, longest prefix, method, most headers, most query
   * parameters) so that Istio and GAMMA renderings evaluate routes alike.
   */
  public precedence(): number[] {
    const pathRank = !this.pathMatch ? 0 : this.pathMatch.kind === StringMatchKind.EXACT ? 3 : this.pathMatch.kind === StringMatchKind.PREFIX ? 2 : 1;
    return [pathRank, this.pathMatch?.value.length ?? 0, this.httpMethod ? 1 : 0, this._headers.length, this._queryParams.length, this.destinationPort ? 1 : 0];
  }

  /** A stable textual form such as `path=prefix:/api method=GET header[end-user]=exact:jason`. */
  public toString(): string {
    const parts: string[] = [];
    if (this.pathMatch) parts.push(`path=${this.pathMatch}`);
    if (this.httpMethod) parts.push(`method=${this.httpMethod}`);
    if (this.destinationPort) parts.push(`port=${this.destinationPort}`);
    for (const [n, m] of this._headers) parts.push(`header[${n}]=${m}`);
    for (const [n, m] of this._queryParams) parts.push(`query[${n}]=${m}`);
    return parts.join(' ') || 'any';
  }
}

function validateHeaderName(name: string): string {
  const pseudo = typeof name === 'string' ? PSEUDO_HEADER_FIXES.get(name.toLowerCase()) : undefined;
  if (pseudo) {
    fail('Match.header', 'name', `is the HTTP/2 pseudo-header ${quote(name)}, which a route cannot match as a header (the Gateway API refuses ':' in header names and Istio ignores it)`, pseudo);
  }
  return validateHttpToken('Match.header', 'name', name, 'end-user').toLowerCase();
}
