//! Build script: the commit and build time for `--version` (and `/livez`); see `build/version.rs`.

include!("../../build/version.rs");
