// The few GitHub REST calls the action makes, with fetch. The token goes only into the
// Authorization header: it is never printed, and error messages quote the status and the API's
// own message, cut short.

/** Comment pages read at most when looking for the plan comment (100 comments each). */
const MAX_PAGES = 30;

export class GitHubError extends Error {
  /** @param {string} message @param {number} status */
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

/**
 * @param {{ apiUrl: string, token: string }} github
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 */
async function call(github, method, path, body) {
  const response = await fetch(`${github.apiUrl.replace(/\/+$/, '')}${path}`, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${github.token}`,
      'x-github-api-version': '2022-11-28',
      'user-agent': 'waspec-action',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (!response.ok) {
    let reason = '';
    try {
      reason = String(JSON.parse(text).message ?? '');
    } catch {
      // not JSON: the status says enough
    }
    throw new GitHubError(
      `${method} ${path.split('?')[0]}: ${response.status}${reason ? ` ${reason.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 200)}` : ''}`,
      response.status,
    );
  }
  return text ? JSON.parse(text) : undefined;
}

/** Who the workflow's own GITHUB_TOKEN comments as (an installation token: GET /user refuses it). */
export const ACTIONS_BOT = 'github-actions[bot]';

/**
 * The login the token acts as: GET /user for a user's token; an installation token (the
 * workflow's GITHUB_TOKEN) is refused there (403) and comments as github-actions[bot].
 * @param {{ apiUrl: string, token: string }} github
 * @returns {Promise<string>}
 */
export async function tokenLogin(github) {
  try {
    const user = await call(github, 'GET', '/user');
    if (typeof user?.login === 'string' && user.login !== '') return user.login;
  } catch (error) {
    if (!(error instanceof GitHubError) || (error.status !== 403 && error.status !== 404))
      throw error;
  }
  return ACTIONS_BOT;
}

/**
 * The id of the comment on `issue` that this action wrote: its body starts with `marker` and its
 * author is `login` (anyone can start a comment with the marker). Undefined when there is none.
 * @param {{ apiUrl: string, token: string }} github
 * @param {string} repo owner/name
 * @param {number} issue
 * @param {string} marker
 * @param {string} login
 */
export async function findComment(github, repo, issue, marker, login) {
  const mine = (c) =>
    typeof c?.body === 'string' &&
    c.body.startsWith(marker) &&
    typeof c.user?.login === 'string' &&
    c.user.login.toLowerCase() === login.toLowerCase();
  for (let page = 1; page <= MAX_PAGES; page++) {
    const comments = await call(
      github,
      'GET',
      `/repos/${repo}/issues/${issue}/comments?per_page=100&page=${page}`,
    );
    if (!Array.isArray(comments)) return undefined;
    const found = comments.find(mine);
    if (found) return Number(found.id);
    if (comments.length < 100) return undefined;
  }
  return undefined;
}

/**
 * Creates the plan comment, or updates the one this token wrote before (found by its marker and
 * its author): one comment per pull request, and never someone else's.
 * @param {{ apiUrl: string, token: string }} github
 * @param {string} repo
 * @param {number} issue
 * @param {string} marker
 * @param {string} body starts with the marker
 * @returns {Promise<{ action: 'created' | 'updated', id: number }>}
 */
export async function upsertComment(github, repo, issue, marker, body) {
  const login = await tokenLogin(github);
  const id = await findComment(github, repo, issue, marker, login);
  if (id !== undefined) {
    try {
      await call(github, 'PATCH', `/repos/${repo}/issues/comments/${id}`, { body });
      return { action: 'updated', id };
    } catch (error) {
      // Deleted meanwhile: write a new one.
      if (!(error instanceof GitHubError) || error.status !== 404) throw error;
    }
  }
  const created = await call(github, 'POST', `/repos/${repo}/issues/${issue}/comments`, { body });
  return { action: 'created', id: Number(created?.id) };
}
