import { IConstruct } from 'constructs';
import { fail, quote } from '../core/errors';
import type { MtlsMode, PortMtls } from './mtls';

/**
 * The port-level modes of a list prop and its deprecated `Record<number, MtlsMode>` form together,
 * ascending by port (the order the record form always had); a port given twice is an error.
 */
export function portMtlsList(owner: IConstruct, prop: string, list: PortMtls[] | undefined, legacyProp: string, legacy: Record<number, MtlsMode> | undefined): PortMtls[] {
  if (list !== undefined && !Array.isArray(list)) fail(owner, prop, `must be a list of { port, mode }, got ${quote(list)}`, 'pass e.g. [{ port: 9090, mode: MtlsMode.PERMISSIVE }]');
  const out: PortMtls[] = (list ?? []).map((e, i) => {
    if (typeof e !== 'object' || e === null) fail(owner, `${prop}[${i}]`, `must be { port, mode }, got ${quote(e)}`, 'pass e.g. { port: 9090, mode: MtlsMode.PERMISSIVE }');
    return { port: e.port, mode: e.mode };
  });
  for (const [port, mode] of Object.entries(legacy ?? {})) out.push({ port: Number(port), mode });
  out.sort((a, b) => a.port - b.port);
  out.forEach((e, i) => {
    if (i > 0 && out[i - 1].port === e.port) fail(owner, prop, `sets port ${quote(e.port)} twice${legacy && list ? ` (with ${legacyProp})` : ''}`, 'set each port once');
  });
  return out;
}
