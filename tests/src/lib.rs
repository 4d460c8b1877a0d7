//! The package of the end-to-end scenarios; this empty library is only its required target. The scenarios
//! are one integration-test binary, `tests/e2e.rs`, with its modules under `tests/e2e/`.
