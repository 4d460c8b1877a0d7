//! The delivery worker of the service (issue 17): a tokio task that runs the façade's delivery rounds
//! (`App::deliver_due`) — at once again while a round finds a full batch, else after `interval` — and logs
//! a failing round without stopping. Every server runs one: on PostgreSQL they share the queue (each
//! message is claimed by one server, `FOR UPDATE SKIP LOCKED`); on SQLite the single writer claims.
//!
//! Each round also sweeps the reminders (`App::sweep_reminders`): due soon, overdue and escalated duties,
//! approvals waiting, feedback windows closing, each queued once per item and stage by its dedup key.
//!
//! Delivery is at least once: a server that stops between a send and its record sends that message again
//! after the claim's lease (`liaison_app::LEASE`); the dedup key travels with the message for the far side.

use std::time::Duration;

use liaison_app::{App, Channels};

/// Messages claimed per round.
pub const BATCH: u32 = 100;

/// Spawn the worker on the current runtime with `channels` (the inbox, and e-mail and SMS when configured:
/// [`crate::outbound::channels`]).
pub fn spawn(app: App, channels: Channels, interval: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(run(app, channels, interval))
}

/// Run rounds for ever.
pub async fn run(app: App, channels: Channels, interval: Duration) {
    loop {
        match app.sweep_reminders().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(queued = n, "reminders queued"),
            Err(e) => tracing::error!(error = %e, "reminder sweep failed; trying again later"),
        }
        let full = match app.deliver_due(&channels, BATCH).await {
            Ok(r) => {
                if r.claimed > 0 {
                    tracing::info!(
                        claimed = r.claimed,
                        delivered = r.delivered,
                        retrying = r.retrying,
                        failed = r.failed,
                        "delivery round"
                    );
                }
                r.claimed as u32 >= BATCH
            }
            Err(e) => {
                tracing::error!(error = %e, "delivery round failed; trying again later");
                false
            }
        };
        if !full {
            tokio::time::sleep(interval).await;
        }
    }
}
