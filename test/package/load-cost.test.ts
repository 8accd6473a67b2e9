// What a user's app pays for loading cdk8s-mesh: its type-check must not pull in cdk8s-plus-27's
// declarations (1.1 MB) or the generated bindings in imports/ through the shipped .d.ts, and
// `require('cdk8s-mesh')` must not load the YAML parser that only the CLI's file reader needs.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

test('the declarations emitted for the public entry point import neither cdk8s-plus-27 nor imports/', () => {
  const emitted: Record<string, string> = {};
  const program = ts.createProgram([path.join(ROOT, 'src', 'index.ts')], {
    declaration: true, emitDeclarationOnly: true, noCheck: true, stripInternal: true, skipLibCheck: true,
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, types: [],
    rootDir: ROOT, outDir: path.join(os.tmpdir(), 'cdk8s-mesh-dts'),
  });
  program.emit(undefined, (file, text) => { emitted[path.relative(os.tmpdir(), file)] = text; });
  expect(Object.keys(emitted).length).toBeGreaterThan(50);
  const offending = Object.entries(emitted)
    .filter(([, text]) => /["']cdk8s-plus-27["']|["'](?:\.\.?\/)+imports\//.test(text))
    .map(([file]) => file);
  expect(offending).toEqual([]);
}, 60_000);

test('loading the library does not load the YAML parser; reading a YAML file does', () => {
  let yamlLoaded = false;
  jest.isolateModules(() => {
    jest.doMock('yaml', () => {
      yamlLoaded = true;
      return jest.requireActual('yaml');
    });
    const lib = require('../../src');
    expect(yamlLoaded).toBe(false);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-mesh-load-'));
    try {
      const file = path.join(dir, 'a.yaml');
      fs.writeFileSync(file, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n');
      expect(lib.readManifests(file).map((m: { kind: string }) => m.kind)).toEqual(['Service']);
      expect(yamlLoaded).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}, 60_000);
