import { Manifest } from '../../analysis/manifest';
import { ArgoCdSyncWaves } from '../argo-cd-sync-waves';
import { PairedObject } from './object-changes';

const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
const PRUNE_LAST = 'PruneLast=true';
const NO_PRUNE = 'Prune=false';

/** When in one sync Argo CD applies or prunes an object: its wave, and whether it is a prune. */
export interface SyncMoment {
  readonly wave: number;
  readonly prune: boolean;
}

/**
 * The order in which one Argo CD sync applies the new output and prunes what the old one had, as
 * gitops-engine (pkg/sync) computes it:
 *
 * - an applied object runs in the wave of its `argocd.argoproj.io/sync-wave` annotation (0 when
 *   absent or not an integer); Argo CD runs the waves lowest first and starts a wave only when the
 *   earlier ones are synced and healthy (Istio kinds have no health check: applied is healthy);
 * - a pruned object takes the wave of its live (old) annotation, mirrored across the waves that
 *   hold prunes (the lowest prune wave swaps with the highest), so prunes go in reverse order; it
 *   is deleted at the start of that wave, before the wave's applies;
 * - with `PruneLast=true` (the Application's sync option, or the old object's
 *   `argocd.argoproj.io/sync-options` annotation) it is pruned in a wave after the last one;
 *   with `Prune=false` there it is never deleted.
 *
 * Within one wave nothing is ordered enough: the API calls follow each other without a pause,
 * so the checks ask for a strictly lower wave.
 */
export class ArgoCdSyncOrder {
  private readonly pruneWave = new Map<string, number>();

  /**
   * @param pairs every object of both outputs
   * @param pruneLast the Application has the sync option `PruneLast=true`
   */
  public constructor(pairs: PairedObject[], pruneLast: boolean) {
    const removed = pairs.filter((p) => p.old && !p.new);
    const waves = [...new Set(removed.map((p) => waveOf(p.old!)))].sort((a, b) => a - b);
    const mirrored = new Map(waves.map((w, i) => [w, waves[waves.length - 1 - i]]));
    for (const p of removed) this.pruneWave.set(p.key, mirrored.get(waveOf(p.old!))!);
    // gitops-engine: the last wave of the sync phase (apply and prune tasks, at least 0) plus one
    const last = Math.max(0, ...pairs.filter((p) => p.new).map((p) => waveOf(p.new!)), ...this.pruneWave.values()) + 1;
    for (const p of removed) {
      if (pruneLast || hasSyncOption(p.old!, PRUNE_LAST)) this.pruneWave.set(p.key, last);
    }
  }

  /** When the sync applies the new object of a pair. */
  public applied(newObject: Manifest): SyncMoment {
    return { wave: waveOf(newObject), prune: false };
  }

  /** When the sync prunes the old object of a removed pair; undefined if it never does (`Prune=false`). */
  public pruned(pair: PairedObject): SyncMoment | undefined {
    if (pair.old && hasSyncOption(pair.old, NO_PRUNE)) return undefined;
    return { wave: this.pruneWave.get(pair.key) ?? 0, prune: true };
  }

  /** When the sync changes what the old object of a pair says: the new object's apply, or its prune (undefined: never). */
  public replaced(pair: PairedObject): SyncMoment | undefined {
    return pair.new ? this.applied(pair.new) : this.pruned(pair);
  }
}

/** True if `first` happens in a strictly earlier wave than `second` (undefined: never). */
export function strictlyBefore(first: SyncMoment | undefined, second: SyncMoment | undefined): boolean {
  if (!first) return false;
  if (!second) return true;
  return first.wave < second.wave;
}

/** `wave 1`, `wave 0 (prune)`, or `never` */
export function momentText(m: SyncMoment | undefined): string {
  if (!m) return 'never';
  return `wave ${m.wave}${m.prune ? ' (prune)' : ''}`;
}

/** The `argocd.argoproj.io/sync-wave` of an object as Argo CD reads it (0 when absent or not an integer). */
export function waveOf(m: Manifest): number {
  const text = m.metadata?.annotations?.[ArgoCdSyncWaves.ANNOTATION];
  return typeof text === 'string' && /^[+-]?\d+$/.test(text) ? Number(text) : 0; // Go strconv.Atoi: no spaces
}

function hasSyncOption(m: Manifest, option: string): boolean {
  const options = m.metadata?.annotations?.[SYNC_OPTIONS];
  return typeof options === 'string' && options.split(',').map((o) => o.trim()).includes(option);
}
