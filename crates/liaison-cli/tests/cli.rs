//! The `liaison` binary as its users run it, in one test binary (each file directly under `tests/` is a
//! separate link, which is slow here): what it prints for people, and the register's import.

#[path = "cli/import.rs"]
mod import;
#[path = "cli/output.rs"]
mod output;
#[path = "cli/refresh.rs"]
mod refresh;
