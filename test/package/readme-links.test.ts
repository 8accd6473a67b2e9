// The README is the package's page on npmjs.com and the file users open in node_modules: a link
// there works only if it is absolute or points at a file the package ships (docs/ is not in
// package.json `files`). Links into the repository must name files that exist, so they resolve
// once the branch is pushed.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const REPO = String(pkg.repository.url).replace(/^git\+/, '').replace(/\.git$/, '');
const REPO_FILE = new RegExp(`^${REPO.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(?:blob|tree)/main/([^#?]+)`);

/** The link targets of a Markdown text outside code: inline links and images, reference definitions, HTML href/src. */
export function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  const out: string[] = [];
  for (const m of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push(m[1]);
  for (const m of prose.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)) out.push(m[1]);
  for (const m of prose.matchAll(/\b(?:href|src)="([^"]+)"/g)) out.push(m[1]);
  return out;
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** What is wrong with a link of the packed README, or undefined. */
function problemOf(target: string, shipped: Set<string>, anchors: Set<string>): string | undefined {
  if (/^mailto:/.test(target)) return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
    if (!target.startsWith('https://')) return `${target}: use https`;
    const file = REPO_FILE.exec(target)?.[1];
    if (file && !fs.existsSync(path.join(ROOT, decodeURIComponent(file)))) return `${target}: ${file} is not in the repository`;
    return undefined;
  }
  if (target.startsWith('#')) return anchors.has(target.slice(1)) ? undefined : `${target}: no such heading in README.md`;
  const file = path.posix.normalize(target.split('#')[0].replace(/^\.\//, ''));
  if (shipped.has(file)) return undefined;
  return `${target}: not in the package (npm pack); link ${REPO}/blob/main/${file} instead, or add it to package.json "files"`;
}

test('every link of the packed README is absolute or resolves to a file the package ships', () => {
  const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  const shipped = new Set<string>(packed[0].files.map((f: { path: string }) => f.path));
  expect(shipped.has('README.md')).toBe(true);
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const anchors = new Set([...readme.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => anchorOf(m[1])));
  const targets = linkTargets(readme);
  expect(targets.length).toBeGreaterThan(10);
  expect(targets.map((t) => problemOf(t, shipped, anchors)).filter((p) => p !== undefined)).toEqual([]);
}, 60_000);

test('the link check sees relative, absolute and HTML links, and not those in code', () => {
  expect(linkTargets('[a](docs/a.md) ![i](img.png "t") `[c](code.md)`\n```\n[d](fenced.md)\n```\n[ref]: https://x.example\n<a href="y.md">y</a>'))
    .toEqual(['docs/a.md', 'img.png', 'https://x.example', 'y.md']);
  const shipped = new Set(['README.md', 'lib/src/index.js']);
  expect(problemOf('docs/traffic.md', shipped, new Set())).toMatch(/not in the package/);
  expect(problemOf('./lib/src/index.js', shipped, new Set())).toBeUndefined();
  expect(problemOf(`${REPO}/blob/main/docs/traffic.md`, shipped, new Set())).toBeUndefined();
  expect(problemOf(`${REPO}/blob/main/docs/nothing.md`, shipped, new Set())).toMatch(/not in the repository/);
  expect(problemOf('http://cdk8s.io', shipped, new Set())).toMatch(/use https/);
  expect(problemOf('#quick-start', shipped, new Set(['quick-start']))).toBeUndefined();
});
