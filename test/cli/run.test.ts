import { spawnSync } from 'child_process';
import * as path from 'path';
import { destinationRule, healthyReviews, route, service, virtualService } from '../analysis/fixtures';
import { cli, tmpTree } from './cli-harness';

const undefinedSubset = [
  destinationRule('reviews', 'reviews', { v1: { version: 'v1' } }, 'bookinfo'),
  virtualService('reviews', { hosts: ['reviews'], http: [route({ host: 'reviews', subset: 'v3' })] }, 'bookinfo'),
];

describe('cdk8s-mesh analyze', () => {
  test('flags a VirtualService routing to an undefined subset and exits 1', () => {
    const dir = tmpTree({ 'bad.yaml': undefinedSubset });
    const r = cli(['analyze', dir], dir);
    expect(r.out).toEqual([
      'error IST0101 VirtualService bookinfo/reviews (bad.yaml): http[0].route[0] routes to subset "v3" of reviews.bookinfo.svc.cluster.local, which DestinationRule bookinfo/reviews does not define (defined: v1). Fix: add subset "v3" to the DestinationRule or route to a defined subset',
      'warning IST0101 VirtualService bookinfo/reviews (bad.yaml): http[0].route[0] routes to host reviews (reviews.bookinfo.svc.cluster.local), which is not a Service or ServiceEntry host in the set (a warning because the set holds no Services: they may be deployed separately). Fix: correct the host, add the Service or a ServiceEntry, or declare it as a known host (--known-host)',
      'analyze: 2 objects, 1 errors, 1 warnings',
    ]);
    expect(r.status).toBe(1);
  });

  test('a clean folder exits 0; nested folders and .yml files are read', () => {
    const dir = tmpTree({ 'a/reviews.yml': healthyReviews(), 'b/readme.txt': 'not yaml' });
    expect(cli(['analyze', dir], dir)).toEqual({ status: 0, out: ['analyze: 5 objects, 0 errors, 0 warnings'], err: [] });
  });

  test('files of a folder form one set unless --per-file is given', () => {
    const vs = (n: string) => virtualService(n, { hosts: ['reviews'], http: [route({ host: 'reviews' })] });
    const dir = tmpTree({ 'canary.yaml': [service('reviews', [{ port: 9080, name: 'http' }]), vs('reviews')], 'blue-green.yaml': [service('reviews', [{ port: 9080, name: 'http' }]), vs('reviews')] });
    const together = cli(['analyze', dir], dir);
    expect(together.status).toBe(1);
    expect(together.out.filter((l) => l.includes('IST0109'))).toHaveLength(2);
    expect(cli(['analyze', '--per-file', dir], dir)).toEqual({ status: 0, out: ['analyze: 4 objects, 0 errors, 0 warnings'], err: [] });
  });

  test('--known-host, --quiet and --json', () => {
    const dir = tmpTree({ 'm.yaml': [virtualService('reviews', { hosts: ['reviews'], http: [route({ host: 'ratings' })] })] });
    expect(cli(['analyze', dir, '--known-host', 'ratings.default.svc.cluster.local'], dir).out).toEqual(['analyze: 1 objects, 0 errors, 0 warnings']);
    expect(cli(['analyze', dir, '--known-host=reviews.default.svc.cluster.local'], dir).status).toBe(1);
    expect(cli(['analyze', '--quiet', dir], dir)).toEqual({ status: 0, out: ['analyze: 1 objects, 0 errors, 1 warnings'], err: [] });
    const json = JSON.parse(cli(['analyze', '--json', path.join(dir, 'm.yaml')], dir).out.join('\n'));
    expect(json).toEqual({ files: 1, objects: 1, errors: 0, warnings: 1, findings: [expect.objectContaining({ code: 'IST0101', severity: 'warning', file: 'm.yaml' })] });
  });

  test('usage errors exit 2 with a message', () => {
    const dir = tmpTree({ 'broken.yaml': 'kind: [unclosed' });
    expect(cli([], dir).status).toBe(2);
    expect(cli(['lint', dir], dir)).toEqual({ status: 2, out: [], err: ['cdk8s-mesh: unknown command "lint"', 'Run "cdk8s-mesh --help" for usage.'] });
    expect(cli(['analyze'], dir).err[0]).toBe('cdk8s-mesh: give at least one directory or file to analyze');
    expect(cli(['analyze', dir, '--frobnicate'], dir).err[0]).toBe('cdk8s-mesh: unknown option --frobnicate');
    expect(cli(['analyze', dir, '--known-host'], dir).err[0]).toBe('cdk8s-mesh: --known-host needs a value');
    expect(cli(['analyze', dir, '--known-gateway', 'public'], dir).err[0]).toBe('cdk8s-mesh: --known-gateway must be <namespace>/<name>, got "public"');
    expect(cli(['analyze', dir, '--known-secret', 'cert'], dir).err[0]).toBe('cdk8s-mesh: --known-secret must be <namespace>/<name>, got "cert"');
    expect(cli(['analyze', path.join(dir, 'missing')], dir).err[0]).toMatch(/missing does not exist$/);
    const broken = cli(['analyze', dir], dir);
    expect(broken.status).toBe(2);
    expect(broken.err[0]).toMatch(/^cdk8s-mesh: cannot read .*broken\.yaml: /);
  });

  test('with --per-file an unreadable file is reported and the other files are still analyzed (exit 2)', () => {
    const dir = tmpTree({ 'a-broken.yaml': 'kind: [unclosed', 'b-bad.yaml': undefinedSubset });
    const r = cli(['analyze', '--per-file', '--quiet', dir], dir);
    expect(r.status).toBe(2);
    expect(r.err).toEqual([expect.stringMatching(/^cdk8s-mesh: cannot read .*a-broken\.yaml: /)]);
    expect(r.out).toEqual([expect.stringMatching(/^error IST0101 VirtualService bookinfo\/reviews \(b-bad\.yaml\)/), 'analyze: 2 objects, 1 errors, 1 warnings, 1 unreadable file(s)']);
    const json = JSON.parse(cli(['analyze', '--per-file', '--json', dir], dir).out[0]);
    expect(json).toEqual(expect.objectContaining({ errors: 1, unreadable: [expect.stringMatching(/a-broken\.yaml/)] }));
  });

  test('--known-secret turns on the Gateway credentialName check', () => {
    const tlsGateway = {
      apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'shop' },
      spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['a.example.com'], tls: { mode: 'SIMPLE', credentialName: 'a-cert' } }] },
    };
    const dir = tmpTree({ 'gw.yaml': [tlsGateway] });
    expect(cli(['analyze', '--quiet', dir], dir).status).toBe(0);
    expect(cli(['analyze', '--quiet', '--known-secret', 'istio-system/b-cert', dir], dir).out[0]).toMatch(/^error IST0101 Gateway shop\/public \(gw\.yaml\): servers\[0\]\.tls\.credentialName names Secret istio-system\/a-cert/);
    expect(cli(['analyze', '--quiet', '--known-secret=istio-system/a-cert', dir], dir).status).toBe(0);
  });

  test('--help prints usage and exits 0', () => {
    expect(cli(['--help'], '.').out[0]).toMatch(/^Usage: cdk8s-mesh <command>/);
    const r = cli(['analyze', '--help'], '.');
    expect(r.status).toBe(0);
    expect(r.out[0]).toMatch(/--per-file/);
  });

  test('main.ts is a working executable wrapper', () => {
    const dir = tmpTree({ 'bad.yaml': undefinedSubset });
    const root = path.resolve(__dirname, '..', '..');
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(root, 'src/cli/main.ts'), 'analyze', '--quiet', dir], { cwd: root, encoding: 'utf8' });
    expect(r.stdout.trim().split('\n').pop()).toBe('analyze: 2 objects, 1 errors, 1 warnings');
    expect(r.status).toBe(1);
  });
});
