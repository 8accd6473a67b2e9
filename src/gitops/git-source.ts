import { fail, quote } from '../core/errors';

/**
 * Checks an Argo CD source repository URL: https://, ssh:// or scp-like `git@host:path`. Plain
 * http:// and git:// send the repository (and any credentials) unencrypted, so they are refused.
 */
export function validateRepoUrl(where: string, prop: string, url: string): string {
  const scpLike = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s/][^\s]*$/;
  let ok = false;
  if (typeof url === 'string' && !/\s/.test(url)) {
    if (scpLike.test(url)) ok = true;
    else {
      try {
        const u = new URL(url);
        ok = (u.protocol === 'https:' || u.protocol === 'ssh:') && u.hostname !== '' && u.pathname.length > 1 && !u.password && !u.search && !u.hash;
      } catch {
        ok = false;
      }
    }
  }
  if (!ok) {
    fail(where, prop, `must be the https://, ssh:// or git@host:path URL of a Git repository, without a password, query or fragment, got ${quote(url)}`,
      'use the URL Argo CD clones, e.g. "https://github.com/acme/deploy.git" (credentials go into an Argo CD repository secret)');
  }
  return url;
}

/** Checks a Git revision as Argo CD resolves it: HEAD, a branch, a tag or a commit SHA (git check-ref-format rules). */
export function validateTargetRevision(where: string, prop: string, revision: string): string {
  const bad = typeof revision !== 'string' || revision === '' || revision.length > 255
    || /[\s~^:?*[\\\x00-\x1f\x7f]/.test(revision) || revision.includes('..') || revision.includes('@{') || revision.includes('//')
    || /^[-/.]/.test(revision) || /[/.]$/.test(revision) || revision.endsWith('.lock') || revision.includes('/.') || revision === '@';
  if (bad) {
    fail(where, prop, `must be a Git branch, tag or commit (git check-ref-format: no spaces, '..', '~', '^', ':', '?', '*', '[' or '\\'), got ${quote(revision)}`,
      'use e.g. "HEAD", "main", "release/1.4", "v1.4.0" or a commit SHA');
  }
  return revision;
}

/** Checks a folder path inside the repository: relative, '/'-separated, no '..' and no leading or trailing '/'. */
export function validateRepoPath(where: string, prop: string, repoPath: string): string {
  const parts = typeof repoPath === 'string' ? repoPath.split('/') : [''];
  if (repoPath === '.') return repoPath;
  if (parts.some((p) => p === '' || p === '.' || p === '..' || /[\s\\*?[]/.test(p))) {
    fail(where, prop, `must be a relative folder path in the repository ('/'-separated, no '.', '..', empty parts, spaces or glob characters), got ${quote(repoPath)}`,
      'pass the folder the output is committed to, relative to the repository root, e.g. "deploy/bookinfo" ("." for the root)');
  }
  return repoPath;
}
