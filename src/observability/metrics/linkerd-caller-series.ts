import { eq, LabelMatcher, ne, re, sanitizeLabelName, selector } from '../prometheus/promql';

/**
 * The route-backend counter of Linkerd's proxies (2.16 and later): one series per caller, route and
 * backend, labelled `backend_kind`/`backend_namespace`/`backend_name` (the Service a route rule
 * sends to), `http_status` and `error` (`FAILFAST`, `LOADSHED`, `RESPONSE_HEADERS_TIMEOUT`,
 * `REQUEST_TIMEOUT`, ...: linkerd2-proxy linkerd/app/outbound/src/http/logical/policy/route/
 * metrics/labels.rs). It is what `linkerd viz stat-outbound` reads in 2.18–2.20 (viz/cmd/
 * stat-outbound.go), counting a 5xx or any error as a failure.
 */
export const LINKERD_BACKEND_RESPONSES = 'outbound_http_route_backend_response_statuses_total';

/** What a backend's requests are selected by. */
export interface LinkerdBackendTarget {
  /** The backend Service's namespace (may be a template variable). */
  readonly namespace: string;
  /** The backend Service's name (may be a template variable, e.g. Flagger's `{{ service }}-canary`). */
  readonly serviceName: string;
  /** The labels of the backend's pods, for the requests of callers without a proxy. */
  readonly podLabels: Readonly<Record<string, string>>;
}

/**
 * `rate(a[w]) or rate(b[w]) or ...`, the argument of a `sum`: the requests to one backend Service
 * as its callers see them. Meshed callers' requests are read from their own proxies' route-backend
 * counter, which also holds what never reaches the backend's pods — no endpoint (`FAILFAST`), load
 * shedding, the caller's route timeouts — so an unreachable canary fails instead of looking idle;
 * requests from callers without a proxy are read from the pods' inbound `response_total`
 * (`tls!="true"`: no client identity), so that no request is counted twice.
 */
export function linkerdBackendRates(target: LinkerdBackendTarget, window: string, errorsOnly: boolean): string {
  const backend = [eq('backend_kind', 'Service'), eq('backend_namespace', target.namespace), eq('backend_name', target.serviceName)];
  const pods = [eq('direction', 'inbound'), eq('namespace', target.namespace), ...Object.entries(target.podLabels).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => eq(sanitizeLabelName(k), v)), ne('tls', 'true')];
  const alternatives: Array<[string, LabelMatcher[]]> = errorsOnly
    ? [
      [LINKERD_BACKEND_RESPONSES, [...backend, ne('error', '')]],
      [LINKERD_BACKEND_RESPONSES, [...backend, eq('error', ''), re('http_status', '5..')]],
      ['response_total', [...pods, eq('classification', 'failure')]],
    ]
    : [[LINKERD_BACKEND_RESPONSES, backend], ['response_total', pods]];
  return alternatives.map(([metric, matchers]) => `rate(${selector(metric, matchers)}[${window}])`).join(' or ');
}
