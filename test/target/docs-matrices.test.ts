import * as fs from 'fs';
import * as path from 'path';
import { capabilityMatrix, GENERATED_DOCS, replaceGenerated, versionMatrix } from '../../src/target/feature-matrix';

const root = path.resolve(__dirname, '..', '..');

test.each(GENERATED_DOCS.map((d) => [`${d.file} ${d.marker}`, d] as const))('%s is current (else: npm run docs:matrices)', (_name, doc) => {
  const text = fs.readFileSync(path.join(root, doc.file), 'utf8');
  expect(replaceGenerated(text, doc.marker, doc.render())).toBe(text);
});

test('the version matrix shows where each feature arrived, per channel, and Linkerd\'s ceiling', () => {
  const lines = versionMatrix().split('\n');
  expect(lines.find((l) => l.startsWith('| partial request mirroring |'))).toMatch(/\| experimental \| yes \| yes \| yes \| yes \| any \| no \|/);
  expect(lines.find((l) => l.startsWith('| HTTPRoute rule names |'))).toMatch(/\| experimental \| experimental \| yes \| yes \| yes \|/);
  expect(lines.find((l) => l.startsWith('| client certificate validation'))).toMatch(/\| — \| — \| experimental \| yes \| yes \| from 1\.28 \|/);
  expect(lines).toContain('| 2.18 | up to v1.2 (standard) |');
});

test('the capability matrix names the release a version-dependent row needs', () => {
  const mirroring = capabilityMatrix().split('\n').find((l) => l.startsWith('| mirroring |'));
  expect(mirroring).toBe("| mirroring | `mirror` + `mirrorPercentage` | `RequestMirror` | error | `RequestMirror` | partial request mirroring: Gateway API's standard channel from v1.3 (experimental channel from v1.2) |");
});

test('a block without its markers is an error, not a silent no-op', () => {
  expect(() => replaceGenerated('# no markers', 'capability-matrix', 'x')).toThrow(/no <!-- generated:capability-matrix/);
});
