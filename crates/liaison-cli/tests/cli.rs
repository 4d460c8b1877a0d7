//! The `liaison` binary as its users run it, in one test binary (each file directly under `tests/` is a
//! separate link, which is slow here): what it prints for people, the register's import, and the state check.

#[path = "cli/import.rs"]
mod import;
#[path = "cli/output.rs"]
mod output;
#[path = "cli/state.rs"]
mod state;
