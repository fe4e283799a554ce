#!/usr/bin/env bash
# Tag vX.Y.Z from VERSION when that tag does not exist yet, and write the
# changelog (commits since the previous tag) for the GitHub release. Safe to
# run again: an existing tag is left as it is and nothing is written.
#   scripts/ci/release.sh [notes-file]
source "$(dirname "$0")/common.sh"
notes="${1:-release-notes.md}"
[ -f VERSION ] || die "no VERSION file"
version="v$(tr -d ' \n' < VERSION)"
[[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "VERSION holds '${version#v}', not X.Y.Z"
if git rev-parse -q --verify "refs/tags/$version" >/dev/null; then
  echo "release: $version exists already; nothing to do"
  exit 0
fi
previous="$(git describe --tags --abbrev=0 --match 'v[0-9]*' 2>/dev/null || true)"
range="${previous:+$previous..}HEAD"
{
  echo "## $version"
  echo
  git log --no-merges --format='- %s (%h)' "$range"
} > "$notes"
git tag -a "$version" -m "Rosey $version"
echo "release: tagged $version${previous:+ (changes since $previous)}; notes in $notes"
echo "version=$version" >> "${GITHUB_OUTPUT:-/dev/null}"
