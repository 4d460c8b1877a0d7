#!/usr/bin/env bash
# CycloneDX SBOMs (JSON, spec 1.5) of the two binaries, `liaison` and `liaison-http`: every crate compiled
# into each for this platform (build-time dependencies left out), with its version, licence, hash and
# package URL. Run it beside each release build (issue 12, item 17):
#
#   cargo build --release --locked -p liaison-cli -p liaison-http && scripts/sbom.sh
#
# Writes target/release/sbom/{liaison,liaison-http}.cdx.json (or into the folder given as the first
# argument) and checks what it wrote. Installs cargo-cyclonedx (cargo install --locked) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/release/sbom}"

command -v cargo-cyclonedx >/dev/null 2>&1 || cargo install --locked cargo-cyclonedx

# cargo-cyclonedx writes each SBOM beside its package's Cargo.toml: start from none, collect them after.
find crates benches tests -maxdepth 2 -name '*.cdx.json' -delete
cargo cyclonedx --format json --spec-version 1.5 --describe binaries --no-build-deps -q
mkdir -p "$out"
mv crates/liaison-cli/liaison_bin.cdx.json "$out/liaison.cdx.json"
mv crates/liaison-http/liaison-http_bin.cdx.json "$out/liaison-http.cdx.json"
find crates benches tests -maxdepth 2 -name '*.cdx.json' -delete

# Each document is CycloneDX, names its binary and version, and lists what a reviewer looks for first.
python3 - "$out" <<'PY'
import json, sys, pathlib
out = pathlib.Path(sys.argv[1])
for name, needs in [("liaison", ["clap", "rusqlite", "sm4"]), ("liaison-http", ["axum", "rustls", "ring", "sm4"])]:
    doc = json.loads((out / f"{name}.cdx.json").read_text())
    assert doc["bomFormat"] == "CycloneDX" and doc["specVersion"] == "1.5", name
    names = {c["name"] for c in doc.get("components", [])}
    missing = [n for n in needs if n not in names]
    assert not missing, f"{name}: {missing} not in the SBOM"
    print(f"{out / (name + '.cdx.json')}: {len(names)} components")
PY
