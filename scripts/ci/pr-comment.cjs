// One comment per pull request with the dry run's Markdown recap, updated in
// place on every push (found by its marker), so the thread does not fill up.
const { readFileSync } = require('node:fs');

const MARKER = '<!-- rosey-check -->';
const LIMIT = 60000;

async function comment({ github, context, summaryFile }) {
  let body = '';
  try {
    body = readFileSync(summaryFile, 'utf8');
  } catch {
    body = '_No recap was written: see the job log._';
  }
  if (body.length > LIMIT) body = body.slice(0, LIMIT) + '\n\n_(cut: the full recap is in the job summary)_';
  const text = `${MARKER}\n### rosey-apply --check --diff (test)\n\n${body}`;
  const { owner, repo } = context.repo;
  const issue_number = context.issue.number;
  const existing = (await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number })).find((c) => c.body && c.body.startsWith(MARKER));
  if (existing) await github.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body: text });
  else await github.rest.issues.createComment({ owner, repo, issue_number, body: text });
}

module.exports = { comment, MARKER };
