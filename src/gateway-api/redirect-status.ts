import { Construct } from 'constructs';
import { requireFeature } from '../target/feature-support';
import { REDIRECT_STATUS_EXTENDED } from '../target/features';

/** Redirect status codes of the RequestRedirect filter that are Core: in the CRDs of every release. */
const CORE_REDIRECT_CODES: readonly number[] = [301, 302];

/**
 * Refuses a redirect status the target's Gateway API lacks: 303, 307 and 308 are Extended and in
 * the CRDs only from v1.5 (and not in those Linkerd installs).
 */
export function checkRedirectStatus(scope: Construct, prop: string, code: number | undefined): void {
  if (code === undefined || CORE_REDIRECT_CODES.includes(code)) return;
  requireFeature(scope, prop, REDIRECT_STATUS_EXTENDED, `use RedirectStatus.MOVED_PERMANENTLY (301) or RedirectStatus.FOUND (302) instead of ${code}`);
}
