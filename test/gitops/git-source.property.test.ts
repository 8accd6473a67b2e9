import * as fc from 'fast-check';
import { validateRepoPath, validateRepoUrl, validateTargetRevision } from '../../src/gitops/git-source';

const segment = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,11}$/);

test('branch-like revisions (segments of letters, digits, - and _ joined by / or .) are accepted as given', () => {
  fc.assert(fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.constantFrom('/', '.'), (parts, sep) => {
    const revision = parts.join(sep);
    fc.pre(!revision.endsWith('.lock')); // git's one suffix rule, tested on its own in gitops-environments.test.ts
    expect(validateTargetRevision('t', 'targetRevision', revision)).toBe(revision);
  }));
});

test('a revision with a character git refuses in ref names is refused', () => {
  fc.assert(fc.property(segment, fc.constantFrom(' ', '~', '^', ':', '?', '*', '[', '\\', '..', '\t'), segment, (a, bad, b) => {
    expect(() => validateTargetRevision('t', 'targetRevision', `${a}${bad}${b}`)).toThrow(/targetRevision must be a Git branch, tag or commit/);
  }));
});

test('https and scp-like repository URLs of any owner and name are accepted; http never', () => {
  fc.assert(fc.property(segment, segment, (owner, name) => {
    expect(validateRepoUrl('t', 'repoUrl', `https://git.example.com/${owner}/${name}.git`)).toBe(`https://git.example.com/${owner}/${name}.git`);
    expect(validateRepoUrl('t', 'repoUrl', `git@git.example.com:${owner}/${name}.git`)).toBe(`git@git.example.com:${owner}/${name}.git`);
    expect(() => validateRepoUrl('t', 'repoUrl', `http://git.example.com/${owner}/${name}.git`)).toThrow(/repoUrl must be/);
  }));
});

test('relative folder paths are accepted; any ".." or empty part is refused', () => {
  fc.assert(fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.nat(4), fc.constantFrom('..', '', '.'), (parts, at, bad) => {
    expect(validateRepoPath('t', 'path', parts.join('/'))).toBe(parts.join('/'));
    const broken = [...parts];
    broken.splice(Math.min(at, broken.length), 0, bad);
    expect(() => validateRepoPath('t', 'path', broken.join('/'))).toThrow(/path must be a relative folder path/);
  }));
});
