import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ErrorSource, fail, quote } from './errors';
import { DNS_1035_LABEL, DNS_LABEL, DNS_SUBDOMAIN } from './names';


interface NameRule {
  readonly pattern: RegExp;
  readonly max: number;
  readonly what: string;
}

const SUBDOMAIN: NameRule = { pattern: DNS_SUBDOMAIN, max: 253, what: 'a DNS subdomain (lower-case alphanumerics, \'-\' and \'.\', at most 253 characters)' };

/**
 * Kinds whose names the API server holds to more than a DNS subdomain (Kubernetes' own
 * validation): a Service name is an RFC 1035 label, a Namespace an RFC 1123 label; a StatefulSet's
 * and a Job's name become pod label values and host names (63), a CronJob's gets 11 characters
 * appended for its Jobs (52).
 */
const NAME_RULES: Record<string, NameRule> = {
  '/Service': { pattern: DNS_1035_LABEL, max: 63, what: 'an RFC 1035 label (lower-case alphanumerics and \'-\', starting with a letter, at most 63 characters)' },
  '/Namespace': { pattern: DNS_LABEL, max: 63, what: 'a DNS label (lower-case alphanumerics and \'-\', at most 63 characters)' },
  'apps/StatefulSet': { pattern: DNS_LABEL, max: 63, what: 'a DNS label of at most 63 characters (it names the pods and their label)' },
  'batch/Job': { pattern: DNS_LABEL, max: 63, what: 'a DNS label of at most 63 characters (it becomes the job-name label)' },
  'batch/CronJob': { pattern: DNS_LABEL, max: 52, what: 'a DNS label of at most 52 characters (its Jobs append 11)' },
};

/**
 * One message per object of the app whose name its kind does not accept: most often a name the
 * library generated from several names the user gave (`<service>-<version>`, `<service>-<port>`).
 * `constructs`: every construct of the app.
 */
export function findInvalidObjectNames(constructs: IConstruct[]): string[] {
  const problems: string[] = [];
  for (const o of constructs.filter(ApiObject.isApiObject)) {
    const rule = nameRule(`${o.apiGroup === 'core' ? '' : o.apiGroup}/${o.kind}`);
    const name = o.name;
    if (typeof name !== 'string' || isValidName(rule, name)) continue;
    problems.push(`${ownerPath(o)}: writes ${o.kind} ${JSON.stringify(name)} (${name.length} characters), but a ${o.kind} name must be ${rule.what}. `
      + 'Fix: shorten the names it is made of (service, version, port or rule names), or choose the object\'s name (the construct\'s name or names prop)');
  }
  return problems;
}

/**
 * The name of an object a construct renders: the one the user chose (a `name` or `names.*` prop),
 * checked at once against the rules of its kind (`group/Kind`, `/Service` for the core group),
 * or else the library's default. Every construct that lets users name what it renders goes
 * through here, so a chosen name is refused with the construct, the prop and a fix; uniqueness is
 * checked at synth with every other object (enableObjectIdentityCheck).
 */
export function chosenName(scope: ErrorSource, prop: string, groupKind: string, chosen: string | undefined, defaultName: string): string {
  if (chosen === undefined) return defaultName;
  const rule = nameRule(groupKind);
  const kind = groupKind.slice(groupKind.indexOf('/') + 1);
  if (typeof chosen !== 'string' || !isValidName(rule, chosen)) {
    fail(scope, prop, `names a ${kind}, whose name must be ${rule.what}, got ${quote(chosen)}`,
      `use a name such as ${quote(suggestName(chosen, rule))}, or leave ${prop} unset for the default ${quote(defaultName)}`);
  }
  return chosen;
}

function nameRule(groupKind: string): NameRule {
  return NAME_RULES[groupKind] ?? SUBDOMAIN;
}

function isValidName(rule: NameRule, name: string): boolean {
  return name.length <= rule.max && rule.pattern.test(name);
}

function suggestName(value: unknown, rule: NameRule): string {
  const s = String(value).toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z]+/, '').slice(0, rule.max).replace(/[-.]+$/, '');
  return s && rule.pattern.test(s) ? s : 'my-object';
}

/** The path of the construct that owns an object: the L2 or L3 for an object under the id `Resource`. */
export function ownerPath(o: ApiObject): string {
  return o.node.id === 'Resource' && o.node.scope ? o.node.scope.node.path : o.node.path;
}
