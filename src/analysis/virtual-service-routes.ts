import { Manifest } from './manifest';

/** A destination named by a VirtualService route or mirror, with where it is. */
export interface RouteDestination {
  /** Where in the spec, e.g. `http[0].route[1]` or `http[2].mirror`. */
  readonly where: string;
  /** The host as written. */
  readonly host: string;
  /** @default - none */
  readonly subset?: string;
  /** @default - none */
  readonly port?: number;
}

/** The routes of a VirtualService that split traffic by weight. */
export interface WeightedRoute {
  /** e.g. `http[0]` */
  readonly where: string;
  readonly destinations: ReadonlyArray<{ readonly label: string; readonly weight?: number }>;
}

const ROUTE_LISTS = ['http', 'tcp', 'tls'] as const;

function list(x: unknown): any[] {
  return Array.isArray(x) ? x : [];
}

function toDestination(where: string, d: any): RouteDestination | undefined {
  if (!d || typeof d.host !== 'string') return undefined;
  const port = d.port?.number;
  return { where, host: d.host, subset: typeof d.subset === 'string' && d.subset !== '' ? d.subset : undefined, port: typeof port === 'number' ? port : undefined };
}

/** Every destination of a VirtualService: `route` entries of http/tcp/tls rules, `mirror` and `mirrors`. */
export function destinationsOf(vs: Manifest): RouteDestination[] {
  const out: RouteDestination[] = [];
  for (const kind of ROUTE_LISTS) {
    list(vs.spec?.[kind]).forEach((rule, i) => {
      list(rule?.route).forEach((r, j) => {
        const d = toDestination(`${kind}[${i}].route[${j}]`, r?.destination);
        if (d) out.push(d);
      });
      if (kind !== 'http') return;
      const mirror = toDestination(`http[${i}].mirror`, rule?.mirror);
      if (mirror) out.push(mirror);
      list(rule?.mirrors).forEach((m, j) => {
        const d = toDestination(`http[${i}].mirrors[${j}]`, m?.destination);
        if (d) out.push(d);
      });
    });
  }
  return out;
}

/** The rules of a VirtualService with more than one destination (a weighted split). */
export function weightedRoutesOf(vs: Manifest): WeightedRoute[] {
  const out: WeightedRoute[] = [];
  for (const kind of ROUTE_LISTS) {
    list(vs.spec?.[kind]).forEach((rule, i) => {
      const routes = list(rule?.route);
      if (routes.length < 2) return;
      out.push({
        where: `${kind}[${i}]`,
        destinations: routes.map((r) => ({
          label: `${r?.destination?.host ?? '?'}${r?.destination?.subset ? `/${r.destination.subset}` : ''}`,
          weight: typeof r?.weight === 'number' ? r.weight : undefined,
        })),
      });
    });
  }
  return out;
}

/** The gateways a VirtualService binds to, from `spec.gateways` and the routes' `match[].gateways`. */
export function gatewaysOf(vs: Manifest): Array<{ readonly where: string; readonly ref: string }> {
  const out: Array<{ where: string; ref: string }> = [];
  list(vs.spec?.gateways).forEach((g, i) => {
    if (typeof g === 'string') out.push({ where: `gateways[${i}]`, ref: g });
  });
  for (const kind of ROUTE_LISTS) {
    list(vs.spec?.[kind]).forEach((rule, i) => list(rule?.match).forEach((m, j) => list(m?.gateways).forEach((g, k) => {
      if (typeof g === 'string') out.push({ where: `${kind}[${i}].match[${j}].gateways[${k}]`, ref: g });
    })));
  }
  return out;
}

/** True if a VirtualService applies to sidecars: no `gateways`, or `mesh` among them. */
export function isMeshBound(vs: Manifest): boolean {
  const gateways = list(vs.spec?.gateways);
  return gateways.length === 0 || gateways.includes('mesh');
}
