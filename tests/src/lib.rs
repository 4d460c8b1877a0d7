//! End-to-end scenarios live in tests/e2e.rs.
