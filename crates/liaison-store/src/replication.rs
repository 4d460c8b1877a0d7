//! Where the database stands in PostgreSQL's streaming replication (issue 20): what `/metrics` shows as the
//! replication lag. SQLite has no replication (`Store::replication` answers `None`).

use serde::Serialize;

/// The replication state of the node a store is connected to, read in one query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplicationStatus {
    /// This node is a standby replaying a primary's WAL (`pg_is_in_recovery()`).
    pub in_recovery: bool,
    /// On a primary: its standbys as `pg_stat_replication` lists them (none on a standby).
    pub standbys: Vec<StandbyLag>,
    /// On a standby: seconds since the last transaction it replayed was committed on the primary
    /// (`now() - pg_last_xact_replay_timestamp()`); `None` on a primary, or before it replayed anything.
    /// An idle primary makes this grow although nothing is missing: read it with `replay_pending_bytes`.
    pub replay_delay_seconds: Option<f64>,
    /// On a standby: WAL received but not yet replayed, in bytes (0 on a primary).
    pub replay_pending_bytes: i64,
}

/// One standby as its primary sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StandbyLag {
    /// Its `application_name` (the standby's `cluster_name` unless its `primary_conninfo` names one).
    pub name: String,
    /// `startup`, `catchup`, `streaming`, `backup` or `stopping`.
    pub state: String,
    /// `async`, `potential`, `sync` or `quorum`: `sync` when its confirmation is what a commit waits for
    /// (`synchronous_standby_names`).
    pub sync_state: String,
    /// Seconds between a commit on the primary and its replay on the standby, as last measured
    /// (`replay_lag`; 0 when the standby has caught up and PostgreSQL has stopped showing a figure).
    pub replay_lag_seconds: f64,
    /// WAL written on the primary and not yet replayed there, in bytes.
    pub replay_lag_bytes: i64,
}
