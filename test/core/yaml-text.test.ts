import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration } from 'cdk8s';
import fc from 'fast-check';
import * as YAML from 'yaml';
import { Match, MeshService, PrometheusRule, Rule, RouteTo, ServicePort } from '../../src';
import { yaml11 } from '../../src/core/yaml-text';
import { valuesFile } from '../../src/multicluster/values-file';

// Kubernetes, Helm and Prometheus read YAML with go-yaml's 1.1 rules: unquoted, these are booleans,
// numbers or null there, so a string value written bare would arrive as another type.
const YAML_1_1_LOOKALIKES = ['on', 'off', 'On', 'OFF', 'yes', 'no', 'Yes', 'NO', 'y', 'n', 'Y', 'N', 'true', 'false', '~', 'null', '0755', '0x1F', '1:20', '1_000', '.inf', '1e3'];
const read11 = (text: string) => YAML.parse(text, { version: '1.1' });

describe('YAML that 1.1 readers read back unchanged', () => {
  test('each YAML 1.1 look-alike string stays a string', () => {
    for (const s of YAML_1_1_LOOKALIKES) expect(read11(yaml11({ v: s }))).toEqual({ v: s });
    // the guard is needed: YAML 1.2 output leaves these bare, and a 1.1 reader changes them
    expect(read11(YAML.stringify({ v: 'on' }))).toEqual({ v: true });
  });

  test('any value round-trips through a YAML 1.1 reader (property)', () => {
    const scalar = fc.oneof(fc.constantFrom(...YAML_1_1_LOOKALIKES), fc.string(), fc.integer(), fc.boolean());
    fc.assert(fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.oneof(scalar, fc.array(scalar))), (v) => {
      expect(read11(yaml11(v))).toEqual(v);
    }));
  });

  test("a values file's values keep their types (Helm reads YAML 1.1)", () => {
    const text = valuesFile(['header'], { global: { network: 'no', meshID: 'on', enabled: true } });
    expect(text.startsWith('# header\n')).toBe(true);
    expect(read11(text)).toEqual({ global: { network: 'no', meshID: 'on', enabled: true } });
  });

  test("a rule file's label values keep their types (Prometheus reads YAML 1.1)", () => {
    const chart = new Chart(new App(), 'c', { namespace: 'bookinfo' });
    const rule = new PrometheusRule(chart, 'rules');
    rule.addGroup('g', { rules: [Rule.alerting({ alert: 'A', expr: 'up == 0', for: Duration.minutes(1), labels: { paging: 'yes', team: 'off' } })] });
    expect(read11(rule.toRuleFileYaml()).groups[0].rules[0].labels).toEqual({ paging: 'yes', team: 'off' });
  });

  test('a synthesized manifest keeps a match value of "on" a string (what cdk8s writes)', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml11-'));
    const app = new App({ outdir });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const web = new MeshService(chart, 'web', { ports: [ServicePort.http(8080)], versions: ['v1', 'v2'] });
    web.addRoute({ matches: [Match.queryParam('beta').exact('on')], to: RouteTo.version('v2') });
    app.synth();
    const docs = fs.readdirSync(outdir).flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(outdir, f), 'utf8'), { version: '1.1' }).map((d) => d.toJS()));
    fs.rmSync(outdir, { recursive: true, force: true });
    const vs = docs.find((d) => d.kind === 'VirtualService');
    expect(vs.spec.http[0].match[0].queryParams).toEqual({ beta: { exact: 'on' } });
  });
});
