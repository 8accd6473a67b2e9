import { App, Chart, Yaml } from 'cdk8s';
import { isScalar, parseAllDocuments, visit } from 'yaml';
import { createApp as bookinfo } from '../../examples/bookinfo/main';
import { createApp as ingressEgress } from '../../examples/ingress-egress/main';
import { createApp as observability } from '../../examples/observability/main';
import { createApp as resilience } from '../../examples/resilience/main';
import { createApp as security } from '../../examples/security/main';
import { createApp as traffic } from '../../examples/traffic/main';
import { AlertMatcher } from '../../src/observability/alerting/alert-matcher';

/**
 * The implicit types of a YAML 1.1 reader such as PyYAML (its resolver's patterns): an unquoted
 * string that matches one is read as something else (a bool, a number, a timestamp), or not at
 * all (`=` is the `value` type, which PyYAML's safe loader cannot construct).
 */
const YAML_1_1_IMPLICIT: Array<[string, RegExp]> = [
  ['bool', /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/],
  ['int', /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/],
  ['float', /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/],
  ['merge', /^<<$/],
  ['null', /^(?:~|null|Null|NULL)$/],
  ['timestamp', /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/],
  ['value', /^=$/],
];

/** Unquoted string scalars of `text` that a YAML 1.1 reader takes for another type. */
function yaml11Misreads(text: string): string[] {
  const out: string[] = [];
  for (const doc of parseAllDocuments(text)) {
    visit(doc, {
      Scalar(_, node) {
        if (!isScalar(node) || typeof node.value !== 'string' || node.type !== 'PLAIN') return;
        const hit = YAML_1_1_IMPLICIT.find(([, re]) => re.test(node.value as string));
        if (hit) out.push(`${JSON.stringify(node.value)} (read as ${hit[0]})`);
      },
    });
  }
  return out;
}

describe('example output reads the same with a YAML 1.1 reader (PyYAML)', () => {
  test('the check sees what PyYAML misreads', () => {
    expect(yaml11Misreads('a: =\nb: "="\nc: on\nd: "on"\ne: =~\n')).toEqual(['"=" (read as value)', '"on" (read as bool)']);
  });

  test('an Alertmanager equality matcher is not written as a bare =', () => {
    expect(AlertMatcher.equals('severity', 'critical').toConfig()).toEqual({ name: 'severity', value: 'critical' });
  });

  test.each([
    ['bookinfo', bookinfo], ['ingress-egress', ingressEgress], ['observability', observability],
    ['resilience', resilience], ['security', security], ['traffic', traffic],
  ])('%s', (_, create: (outdir: string) => App) => {
    const app = create('/tmp/yaml-1-1-unused');
    // what `cdk8s synth` writes for each chart (Yaml.save of chart.toJson())
    const problems = app.charts.flatMap((c: Chart) => yaml11Misreads(Yaml.stringify(...c.toJson())).map((p) => `${c.node.id}: ${p}`));
    expect(problems).toEqual([]);
  });
});
