import { Manifest } from '../../analysis/manifest';
import { ManifestIndex } from '../../analysis/manifest-index';
import { ArgoCdSyncOrder } from './argo-cd-sync-order';
import { identityOf, PairedObject } from './object-changes';

/**
 * A change that is unsafe to apply in one Argo CD sync: for a while during the sync, traffic
 * fails (503s, 500s, refused connections, a route missing), though both outputs are fine alone.
 */
export interface UnsafeChange {
  /** `MESH04xx` (docs/gitops.md lists them). */
  readonly code: string;
  /** `Kind namespace/name` of the object whose change is unsafe. */
  readonly resource: string;
  /** What goes wrong during the sync, and when (in sync waves). */
  readonly reason: string;
  /** How to make it safe: split into commits, or change sync waves. */
  readonly fix: string;
  /** The other objects involved (`Kind namespace/name`). */
  readonly related: string[];
  /** @default - not read from a file */
  readonly file?: string;
}

/** What the checks of a diff read: both outputs indexed, the objects paired and the sync order. */
export class DiffContext {
  private readonly pairs = new Map<string, PairedObject>();

  public constructor(
    public readonly oldIndex: ManifestIndex,
    public readonly newIndex: ManifestIndex,
    pairs: PairedObject[],
    public readonly order: ArgoCdSyncOrder,
  ) {
    for (const p of pairs) this.pairs.set(p.key, p);
  }

  /** The pair an object of either output belongs to. */
  public pairOf(m: Manifest): PairedObject {
    const key = identityOf(m, this.newIndex.defaultNamespace);
    return this.pairs.get(key) ?? { key };
  }

  /** The other output's version of an object of one of them. */
  public counterpart(m: Manifest, inNew: boolean): Manifest | undefined {
    const p = this.pairOf(m);
    return inNew ? p.old : p.new;
  }

  /** `Kind namespace/name` of an object. */
  public idOf(m: Manifest): string {
    return this.newIndex.idOf(m);
  }

  /** An unsafe change about `m`, carrying its file. */
  public unsafe(m: Manifest, code: string, reason: string, fix: string, related: Manifest[] = []): UnsafeChange {
    const ids = [...new Set(related.map((r) => this.idOf(r)))].filter((id) => id !== this.idOf(m));
    return { code, resource: this.idOf(m), reason, fix, related: ids, ...(m.__file ? { file: m.__file } : {}) };
  }
}

/** One check of a diff: the unsafe changes it finds. */
export type DiffCheck = (ctx: DiffContext) => UnsafeChange[];
