#!/usr/bin/env bash
# The semver check of liaison-core's public API (issue 21): a breaking change to what other systems link is
# a decision (a new version in crates/liaison-core/Cargo.toml and a CHANGELOG entry), never an accident.
#
#   scripts/semver-core.sh            compare the work tree with the release of the version it declares
#
# The baseline is the release of the core's current version: the tag `liaison-core-vX.Y.Z` when the clone
# has it, else the commit that set `version = "X.Y.Z"` in crates/liaison-core/Cargo.toml (tags do not travel
# with every way a branch is handed on; that commit does, in any full clone). Within one version only
# additions pass (`--release-type minor`: what a compatible release may change); a break fails until the
# version is raised and the change written in crates/liaison-core/CHANGELOG.md — the commit that raises the
# version is the new baseline. A shallow clone without that commit fails, saying so.
#
# Needs cargo-semver-checks (`cargo install --locked cargo-semver-checks`; .ci/run installs it once per
# machine). It builds the rustdoc JSON of both versions of the core alone (a minute or two).
set -euo pipefail
cd "$(dirname "$0")/.."

manifest=crates/liaison-core/Cargo.toml
version=$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$manifest" | head -n 1)
[ -n "$version" ] || { echo "semver: no literal version in $manifest" >&2; exit 1; }
tag="liaison-core-v$version"
if git rev-parse -q --verify "refs/tags/$tag^{commit}" >/dev/null; then
  base=$(git rev-parse "refs/tags/$tag^{commit}")
  how="tag $tag"
else
  base=$(git log -1 --format=%H -G "^version *= *\"$version\"" -- "$manifest")
  how="the commit that set version $version"
fi
[ -n "$base" ] || { echo "semver: cannot find the release of liaison-core $version (a shallow clone?)" >&2; exit 1; }
echo "semver: liaison-core $version against $how ($(git log -1 --format='%h %s' "$base" | cut -c1-90))"
if [ "$(git rev-parse HEAD)" = "$base" ] && git diff --quiet HEAD -- crates/liaison-core; then
  echo "semver: this commit releases liaison-core $version: the next commits are checked against it"
  exit 0
fi
cargo semver-checks check-release -p liaison-core --baseline-rev "$base" --release-type minor
