//! Replication lag in `/metrics` (issue 20): a task samples `Store::replication` every few seconds and sets
//! gauges. It stops at once on a backend without replication (SQLite).
//!
//! | gauge | labels | what |
//! |---|---|---|
//! | `liaison_pg_in_recovery` | | 1 when the node the server writes to is a standby (it should never be) |
//! | `liaison_pg_standbys_streaming` | | standbys streaming from the primary now |
//! | `liaison_pg_standby_connected` | `standby` | 1 while that standby is connected, 0 once it is gone |
//! | `liaison_pg_standby_replay_lag_seconds` | `standby`, `sync_state` | commit on the primary → replay there |
//! | `liaison_pg_standby_replay_lag_bytes` | `standby`, `sync_state` | WAL not yet replayed there |
//! | `liaison_pg_replay_delay_seconds` | | on a standby: since the last replayed commit |
//! | `liaison_pg_replay_pending_bytes` | | on a standby: WAL received, not yet replayed |
//! | `liaison_pg_replication_sample_ok` | | 1 when the last sample could be read |

use std::collections::BTreeSet;
use std::time::Duration;

use liaison_app::{App, ReplicationStatus};

/// How often the lag is sampled.
pub const INTERVAL: Duration = Duration::from_secs(5);

/// Spawn the sampler on the current runtime.
pub fn spawn(app: App, interval: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(run(app, interval))
}

async fn run(app: App, interval: Duration) {
    let mut seen = BTreeSet::new();
    loop {
        let a = app.clone();
        match tokio::task::spawn_blocking(move || a.store().replication()).await {
            Ok(Ok(Some(status))) => {
                record(&status, &mut seen);
                metrics::gauge!("liaison_pg_replication_sample_ok").set(1.0);
            }
            Ok(Ok(None)) => return,
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "cannot read the replication state");
                metrics::gauge!("liaison_pg_replication_sample_ok").set(0.0);
            }
            Err(e) => tracing::warn!(error = %e, "the replication sample stopped"),
        }
        tokio::time::sleep(interval).await;
    }
}

/// Set the gauges from one sample; `seen` holds the standbys of earlier samples, so one that has gone is
/// shown as disconnected rather than with its last lag.
fn record(s: &ReplicationStatus, seen: &mut BTreeSet<String>) {
    metrics::gauge!("liaison_pg_in_recovery").set(if s.in_recovery { 1.0 } else { 0.0 });
    let streaming = s.standbys.iter().filter(|l| l.state == "streaming").count();
    metrics::gauge!("liaison_pg_standbys_streaming").set(streaming as f64);
    let now: BTreeSet<String> = s.standbys.iter().map(|l| l.name.clone()).collect();
    for gone in seen.difference(&now) {
        metrics::gauge!("liaison_pg_standby_connected", "standby" => gone.clone()).set(0.0);
    }
    for l in &s.standbys {
        let (standby, sync) = (l.name.clone(), l.sync_state.clone());
        metrics::gauge!("liaison_pg_standby_connected", "standby" => standby.clone()).set(1.0);
        metrics::gauge!("liaison_pg_standby_replay_lag_seconds", "standby" => standby.clone(), "sync_state" => sync.clone())
            .set(l.replay_lag_seconds);
        metrics::gauge!("liaison_pg_standby_replay_lag_bytes", "standby" => standby, "sync_state" => sync)
            .set(l.replay_lag_bytes as f64);
    }
    seen.extend(now);
    if let Some(d) = s.replay_delay_seconds {
        metrics::gauge!("liaison_pg_replay_delay_seconds").set(d);
    }
    metrics::gauge!("liaison_pg_replay_pending_bytes").set(s.replay_pending_bytes as f64);
}
