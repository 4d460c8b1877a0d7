//! The `liaison` binary as its users run it, in one test binary (each file directly under `tests/` is a
//! separate link, which is slow here): what it prints for people (labels, never keys: `labels` walks every
//! workflow's tables, and the other modules check the tables they print), the register's import and its
//! yearly refresh, and the state check.

#[path = "cli/accounts.rs"]
mod accounts;
#[path = "cli/audit.rs"]
mod audit;
#[path = "cli/import.rs"]
mod import;
#[path = "cli/labels.rs"]
mod labels;
#[path = "cli/messages.rs"]
mod messages;
#[path = "cli/output.rs"]
mod output;
#[path = "cli/refresh.rs"]
mod refresh;
#[path = "cli/scope.rs"]
mod scope;
#[path = "cli/secrets.rs"]
mod secrets;
#[path = "cli/state.rs"]
mod state;
