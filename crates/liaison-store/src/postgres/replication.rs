//! The replication state of the node a pooled connection reaches (`Store::replication`, shown in
//! `/metrics`): on a primary its standbys from `pg_stat_replication`, on a standby how far its replay is
//! behind. Seeing the standbys' lag needs a superuser or the `pg_monitor` role (without it PostgreSQL
//! shows the rows with their positions empty, read here as no lag).

use deadpool_postgres::Object;

use super::wait;
use crate::{ReplicationStatus, StandbyLag, StoreError};

const NODE: &str = "SELECT pg_is_in_recovery(), \
     CASE WHEN pg_is_in_recovery() \
          THEN extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 END, \
     CASE WHEN pg_is_in_recovery() \
          THEN coalesce(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()), 0)::int8 \
          ELSE 0::int8 END";

const STANDBYS: &str = "SELECT coalesce(application_name, ''), coalesce(state, ''), coalesce(sync_state, ''), \
     coalesce(extract(epoch FROM replay_lag), 0)::float8, \
     coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), 0)::int8 \
     FROM pg_stat_replication ORDER BY application_name, pid";

pub(super) fn status(c: &Object) -> Result<ReplicationStatus, StoreError> {
    let node = wait(c.query_one(NODE, &[]))?;
    let in_recovery: bool = node.try_get(0)?;
    let standbys = if in_recovery {
        Vec::new()
    } else {
        wait(c.query(STANDBYS, &[]))?
            .iter()
            .map(|r| {
                Ok(StandbyLag {
                    name: r.try_get(0)?,
                    state: r.try_get(1)?,
                    sync_state: r.try_get(2)?,
                    replay_lag_seconds: r.try_get(3)?,
                    replay_lag_bytes: r.try_get(4)?,
                })
            })
            .collect::<Result<_, StoreError>>()?
    };
    Ok(ReplicationStatus {
        in_recovery,
        standbys,
        replay_delay_seconds: node.try_get(1)?,
        replay_pending_bytes: node.try_get(2)?,
    })
}
