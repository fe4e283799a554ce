#!/usr/bin/env bash
# A production deploy names a released version: vX.Y.Z, and the tag exists.
#   scripts/ci/check-version.sh <version>
source "$(dirname "$0")/common.sh"
version="${1:?usage: check-version.sh <version>}"
[[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "version '$version' is not of the form vX.Y.Z"
git rev-parse -q --verify "refs/tags/$version" >/dev/null || die "no tag $version in this repository (fetch tags, or release it first)"
echo "version $version: tag found at $(git rev-parse --short "$version^{commit}")"
