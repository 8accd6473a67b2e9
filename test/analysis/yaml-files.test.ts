import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findYamlFiles, readManifests } from '../../src/analysis/yaml-files';

function tmp(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-yaml-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('YAML input', () => {
  test('finds .yaml and .yml files recursively, sorted, skipping node_modules and dot-folders', () => {
    const dir = tmp({ 'b.yaml': '', 'a/c.yml': '', 'a/d.txt': '', 'node_modules/x.yaml': '', '.git/y.yaml': '', 'E.YAML': '' });
    expect(findYamlFiles(dir).map((f) => path.relative(dir, f))).toEqual(['E.YAML', 'a/c.yml', 'b.yaml']);
    expect(findYamlFiles(path.join(dir, 'b.yaml'))).toEqual([path.join(dir, 'b.yaml')]);
  });

  test('reads multi-document files, flattens Lists, tags each object with its file and skips non-objects', () => {
    const dir = tmp({
      'm.yaml': [
        'apiVersion: v1\nkind: Service\nmetadata: {name: a}\n',
        '# only a comment\n',
        'apiVersion: v1\nkind: List\nmetadata: {name: list}\nitems:\n- {apiVersion: v1, kind: ServiceAccount, metadata: {name: b}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}\n',
        'just: a map\n',
        'apiVersion: v1\nkind: Service\nmetadata: {}\n',
      ].join('---\n'),
    });
    expect(readManifests(path.join(dir, 'm.yaml'), 'm.yaml').map((m) => `${m.kind}/${m.metadata.name}@${m.__file}`)).toEqual([
      'Service/a@m.yaml', 'ServiceAccount/b@m.yaml', 'ConfigMap/c@m.yaml',
    ]);
  });

  test('a YAML syntax error names the file', () => {
    const dir = tmp({ 'bad.yaml': 'a: [1, 2\n' });
    expect(() => readManifests(path.join(dir, 'bad.yaml'), 'bad.yaml')).toThrow(/^bad\.yaml: /);
  });
});
