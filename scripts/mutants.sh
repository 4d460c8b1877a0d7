#!/usr/bin/env bash
# Mutation testing of the core where figures, deadlines, draws and money are decided (issue 22): each file
# of SET below is mutated by cargo-mutants and the core's tests must fail on every mutant. Target: ≥ 90% of
# the non-equivalent mutants caught in each file.
#
#   scripts/mutants.sh                       full: every file of the set (before a release; ~2 h on two
#                                            cores, one job)
#   scripts/mutants.sh --changed [BASE]      only the mutants in the lines a diff against BASE touches, in
#                                            the files of the set (for CI; BASE: origin/main, else main)
#   scripts/mutants.sh --file PATH …         only these files (each must be in the set)
#   scripts/mutants.sh --list                list the mutants, run nothing
# Anything after `--` goes to cargo mutants as is (e.g. `-- --re 'fn split'`, `-- --iterate`).
#
# Needs cargo-mutants (`cargo install --locked cargo-mutants`). One job at a time: the machine is shared.
# Results in mutants.out/ (git-ignored): caught.txt, missed.txt, unviable.txt, timeout.txt. The exit code
# is cargo mutants' own: 0 every mutant caught, 2 some missed, 3 some timed out, 4 the tests fail unmutated.
# Accepted survivors (equivalent mutants, message texts) are listed with a reason each in
# mutants-accepted.txt and excluded here by their names.
set -euo pipefail

cd "$(dirname "$0")/.."

# The files that decide figures, deadlines, draws and money; the last four are the trust fixes' (issue 11)
# rounding of rates, plausible dates, corrections and the due model.
SET=(
  crates/liaison-core/src/lottery/mod.rs
  crates/liaison-core/src/lottery/seed.rs
  crates/liaison-core/src/lottery/record.rs
  crates/liaison-core/src/lottery/pool.rs
  crates/liaison-core/src/lottery/apportion.rs
  crates/liaison-core/src/calendar/mod.rs
  crates/liaison-core/src/calendar/basis.rs
  crates/liaison-core/src/calendar/lunar.rs
  crates/liaison-core/src/calendar/statutory.rs
  crates/liaison-core/src/suggestion/policy.rs
  crates/liaison-core/src/suggestion/figures.rs
  crates/liaison-core/src/budget/mod.rs
  crates/liaison-core/src/activity/mod.rs
  crates/liaison-core/src/activity/fairness.rs
  crates/liaison-core/src/review/mod.rs
  crates/liaison-core/src/ratio.rs
  crates/liaison-core/src/dates.rs
  crates/liaison-core/src/suggestion/adjust.rs
  crates/liaison-core/src/suggestion/obligation.rs
)

in_set() {
  local f
  for f in "${SET[@]}"; do [[ "$1" == "$f" ]] && return 0; done
  return 1
}

command -v cargo-mutants >/dev/null || {
  echo "mutants.sh: cargo-mutants is not installed (cargo install --locked cargo-mutants)" >&2
  exit 1
}

files=()
diff_base=""
extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --changed | --diff)
      shift
      if [[ $# -gt 0 && "$1" != --* ]]; then diff_base="$1"; shift
      elif git rev-parse -q --verify origin/main >/dev/null; then diff_base=origin/main
      else diff_base=main; fi
      ;;
    --file)
      [[ $# -ge 2 ]] || { echo "mutants.sh: --file needs a path" >&2; exit 2; }
      in_set "$2" || { echo "mutants.sh: $2 is not in the set (see SET in $0)" >&2; exit 2; }
      files+=("$2"); shift 2
      ;;
    --list) extra+=(--list); shift ;;
    --) shift; extra+=("$@"); break ;;
    -h | --help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "mutants.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

# The core has unit tests only: `--lib` on every cargo call builds the test binary alone, not the library a
# second time for doc tests (about half of each mutant's build).
args=(-p liaison-core --jobs 1 --cargo-arg=--lib
  --timeout "${MUTANTS_TIMEOUT:-120}" --build-timeout "${MUTANTS_BUILD_TIMEOUT:-600}")

if [[ -n "$diff_base" ]]; then
  # The files of the set the diff touches, and only the mutants in the lines it touches.
  mapfile -t touched < <(git diff --name-only "$diff_base" -- "${SET[@]}")
  if [[ ${#files[@]} -gt 0 ]]; then
    keep=()
    for f in "${files[@]}"; do printf '%s\n' "${touched[@]}" | grep -qx "$f" && keep+=("$f"); done
    touched=("${keep[@]}")
  fi
  if [[ ${#touched[@]} -eq 0 ]]; then
    echo "mutants.sh: the diff against $diff_base touches none of the files of the set"
    exit 0
  fi
  files=("${touched[@]}")
  patch="$(mktemp)"
  trap 'rm -f "$patch"' EXIT
  git diff "$diff_base" -- "${files[@]}" >"$patch"
  args+=(--in-diff "$patch")
fi

[[ ${#files[@]} -eq 0 ]] && files=("${SET[@]}")
for f in "${files[@]}"; do args+=(--file "$f"); done

# Accepted survivors: one regex per entry, the line's first field (see mutants-accepted.txt).
while IFS= read -r line; do
  [[ -z "$line" || "$line" == \#* ]] && continue
  args+=(--exclude-re "${line%%$'\t'*}")
done < <(grep -v '^[[:space:]]*$' mutants-accepted.txt 2>/dev/null | grep -v '^#' || true)

# A target directory of its own, so the run neither locks nor rebuilds the developer's.
export CARGO_TARGET_DIR="${MUTANTS_TARGET_DIR:-$PWD/target-mutants}"
echo "cargo mutants ${args[*]} ${extra[*]}" >&2
# Not exec: the trap removes the patch file when cargo mutants is done.
cargo mutants "${args[@]}" "${extra[@]}"
