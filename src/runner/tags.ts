/**
 * Ansible's tag rules: with --tags, a task runs if it has one of them (or
 * `always`); `never` tasks run only when asked for by name; --skip-tags wins
 * over everything.
 */
export function selectedByTags(taskTags: readonly string[], tags: readonly string[], skipTags: readonly string[]): boolean {
  if (taskTags.some((t) => skipTags.includes(t))) return false;
  if (taskTags.includes('never') && !taskTags.some((t) => t !== 'never' && tags.includes(t))) return false;
  if (tags.length === 0 || tags.includes('all')) return true;
  if (taskTags.includes('always')) return true;
  if (tags.includes('tagged') && taskTags.length > 0) return true;
  if (tags.includes('untagged') && taskTags.length === 0) return true;
  return taskTags.some((t) => tags.includes(t));
}
