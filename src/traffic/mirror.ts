import { validatePercent } from '../core/percent';
import { Destination } from './route-action';

/**
 * Traffic mirroring ("shadowing"): a copy of a share of the requests goes to another
 * destination, whose responses are discarded.
 *
 * @example
 * Mirror.to(Destination.version('v2'), 10)
 */
export class Mirror {
  /**
   * @param destination where the copies go
   * @param percent share of the requests mirrored, 0-100
   */
  public static to(destination: Destination, percent = 100): Mirror {
    return new Mirror(destination, validatePercent('Mirror.to', 'percent', percent));
  }

  private constructor(public readonly destination: Destination, public readonly percent: number) {}
}
