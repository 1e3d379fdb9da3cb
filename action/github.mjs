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

/**
 * The id of the comment on `issue` whose body starts with `marker`, or undefined.
 * @param {{ apiUrl: string, token: string }} github
 * @param {string} repo owner/name
 * @param {number} issue
 * @param {string} marker
 */
export async function findComment(github, repo, issue, marker) {
  for (let page = 1; page <= MAX_PAGES; page++) {
    const comments = await call(
      github,
      'GET',
      `/repos/${repo}/issues/${issue}/comments?per_page=100&page=${page}`,
    );
    if (!Array.isArray(comments)) return undefined;
    const mine = comments.find((c) => typeof c?.body === 'string' && c.body.startsWith(marker));
    if (mine) return Number(mine.id);
    if (comments.length < 100) return undefined;
  }
  return undefined;
}

/**
 * Creates the plan comment, or updates the one found by its marker: one comment per pull request.
 * @param {{ apiUrl: string, token: string }} github
 * @param {string} repo
 * @param {number} issue
 * @param {string} marker
 * @param {string} body starts with the marker
 * @returns {Promise<{ action: 'created' | 'updated', id: number }>}
 */
export async function upsertComment(github, repo, issue, marker, body) {
  const id = await findComment(github, repo, issue, marker);
  if (id !== undefined) {
    try {
      await call(github, 'PATCH', `/repos/${repo}/issues/comments/${id}`, { body });
      return { action: 'updated', id };
    } catch (error) {
      // Someone else's comment with the marker (403) or one deleted meanwhile (404): write our own.
      if (!(error instanceof GitHubError) || (error.status !== 403 && error.status !== 404))
        throw error;
    }
  }
  const created = await call(github, 'POST', `/repos/${repo}/issues/${issue}/comments`, { body });
  return { action: 'created', id: Number(created?.id) };
}
