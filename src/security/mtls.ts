import { IConstruct } from 'constructs';
import { fail, quote } from '../core/errors';

/** The mutual-TLS mode a workload accepts (Istio `PeerAuthentication` `mtls.mode`). */
export enum MtlsMode {
  /** Plain text only. */
  DISABLE = 'DISABLE',
  /** Both mTLS and plain text: the migration stage between DISABLE and STRICT. */
  PERMISSIVE = 'PERMISSIVE',
  /** mTLS only. */
  STRICT = 'STRICT',
}

/** The mutual-TLS mode of one port of a workload. */
export interface PortMtls {
  /** The port (a container port for PeerAuthentication). */
  readonly port: number;
  /** The mode traffic to that port must use. */
  readonly mode: MtlsMode;
}

const STAGES: readonly MtlsMode[] = [MtlsMode.DISABLE, MtlsMode.PERMISSIVE, MtlsMode.STRICT];

/**
 * A stage of the DISABLE → PERMISSIVE → STRICT migration of a namespace to mutual TLS.
 *
 * Move the stage one step per rollout (`MtlsMigration.stage(MtlsMode.PERMISSIVE)`, then `.next()`):
 * PERMISSIVE lets plain-text clients keep working while sidecars are injected everywhere; only then
 * is STRICT safe. A DestinationRule `tls.mode: DISABLE` does not bypass STRICT (istio#48290).
 *
 * @example
 * new StrictMtlsNamespace(chart, 'shop', { migration: MtlsMigration.stage(MtlsMode.PERMISSIVE) });
 */
export class MtlsMigration {
  /** The finished migration: STRICT. */
  public static readonly COMPLETE = new MtlsMigration(MtlsMode.STRICT);

  /** The stage whose PeerAuthentication mode is `mode`. */
  public static stage(mode: MtlsMode): MtlsMigration {
    if (!STAGES.includes(mode)) {
      fail('MtlsMigration.stage', 'mode', `must be one of ${STAGES.join(', ')}, got ${quote(mode)}`, 'pass MtlsMode.DISABLE, MtlsMode.PERMISSIVE or MtlsMode.STRICT');
    }
    return new MtlsMigration(mode);
  }

  /** The stages in migration order. */
  public static get stages(): MtlsMode[] {
    return [...STAGES];
  }

  private constructor(public readonly mode: MtlsMode) {}

  /** The position of this stage: 0 (DISABLE), 1 (PERMISSIVE), 2 (STRICT). */
  public get index(): number {
    return STAGES.indexOf(this.mode);
  }

  /** True once the migration has reached STRICT. */
  public get isComplete(): boolean {
    return this.mode === MtlsMode.STRICT;
  }

  /** The following stage. */
  public next(): MtlsMigration {
    if (this.isComplete) fail('MtlsMigration.next', 'stage', 'is already STRICT, the last stage', 'keep MtlsMigration.COMPLETE');
    return new MtlsMigration(STAGES[this.index + 1]);
  }
}

/** Validates an MtlsMode value passed from untyped code. */
export function validateMtlsMode(source: string | IConstruct, prop: string, mode: MtlsMode): MtlsMode {
  if (!STAGES.includes(mode)) fail(source, prop, `must be an MtlsMode, got ${quote(mode)}`, 'use MtlsMode.DISABLE, MtlsMode.PERMISSIVE or MtlsMode.STRICT');
  return mode;
}
