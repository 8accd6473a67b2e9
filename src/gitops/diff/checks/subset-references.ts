import { Manifest } from '../../../analysis/manifest';
import { ManifestIndex } from '../../../analysis/manifest-index';

const ISTIO = 'networking.istio.io';

/** A subset a VirtualService route or mirror names: resolved host and subset. */
export interface SubsetUse {
  readonly virtualService: Manifest;
  /** e.g. `http[0].route[1]` */
  readonly where: string;
  readonly host: string;
  readonly subset: string;
}

/** Every subset named by the VirtualServices of an output (destinations read once, by the index). */
export function subsetUses(index: ManifestIndex): SubsetUse[] {
  return index.ofKind(ISTIO, 'VirtualService').flatMap((vs) => {
    const ns = index.namespaceOf(vs);
    return index.destinationsOf(vs).filter((d) => d.subset)
      .map((d) => ({ virtualService: vs, where: d.where, host: index.resolve(d.host, ns), subset: d.subset! }));
  });
}

/** The DestinationRules of an output that define `subset` for a resolved host (exact or by wildcard). */
export function subsetDefiners(index: ManifestIndex, host: string, subset: string): Manifest[] {
  return index.destinationRulesFor(host).filter((d) => d.subsets.some((s) => s.name === subset)).map((d) => d.manifest);
}

/** True if a VirtualService of an output names `subset` of a resolved host. */
export function usesSubset(index: ManifestIndex, vs: Manifest, host: string, subset: string): boolean {
  const ns = index.namespaceOf(vs);
  return index.destinationsOf(vs).some((d) => d.subset === subset && index.resolve(d.host, ns) === host);
}
