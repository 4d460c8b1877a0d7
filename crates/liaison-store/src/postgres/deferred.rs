//! A write transaction's steps held back (issue 19): audit records appended and savepoint statements that
//! no statement waits for the outcome of, sent in the same round trip as the transaction's next statement
//! or its end.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;

use deadpool_postgres::ClientWrapper;
use futures_util::future::{join, join_all};

use super::conn::{P, PgConn};
use super::wait;
use crate::{AuditRecord, StoreError};

/// What a write transaction has done that no statement of it waits for the outcome of: audit records
/// appended (hashed, their chain head locked) with the heads they move, and the savepoint statements
/// between jobs (`RELEASE SAVEPOINT job; SAVEPOINT job`, and `BEGIN` before the first). They travel in
/// the same round trip as the transaction's next statement — pipelined ahead of it, on the same
/// connection, so PostgreSQL runs them first and in order — or with the batch's `COMMIT`. When one of
/// them fails the transaction is aborted: every statement after it fails too, and the connection marks
/// the transaction lost, so that none of its jobs is acknowledged (`run_batch` checks after each job).
#[derive(Default)]
pub(crate) struct Deferred {
    steps: Vec<Step>,
    /// How many of the first steps came from the jobs before (kept when this job fails).
    carried: usize,
}

enum Step {
    /// Audit records, and tenant → (seq, hash) of the newest of them.
    Records(Vec<AuditRecord>, BTreeMap<String, (i64, String)>),
    /// Statements without parameters, sent as one simple query.
    Sql(String),
}

impl Deferred {
    /// A transaction's first steps: `sql` (`BEGIN; SAVEPOINT job`), sent with its first statement.
    pub(crate) fn start(sql: &str) -> Self {
        Self { steps: vec![Step::Sql(sql.to_owned())], carried: 1 }
    }

    /// What the jobs before left, all of it carried by the next job (kept when that job fails).
    pub(super) fn carried_over(self) -> Self {
        Self { carried: self.steps.len(), steps: self.steps }
    }

    fn records(&self) -> usize {
        self.steps.iter().map(|s| if let Step::Records(r, _) = s { r.len() } else { 0 }).sum()
    }
}

/// The most audit records held back before they are sent on their own (a bulk job appending many).
const DEFERRED_MAX: usize = 1000;

/// The audit records of a transaction in one statement, whatever their number.
const AUDIT_INSERT_MANY: &str = "INSERT INTO audit_log (tenant_id, seq, id, at, actor_id, actor_name, kind, \
     aggregate_type, aggregate_id, reason, payload, prev_hash, hash, actor_via) \
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], \
     $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])";

const HEAD_UPDATE: &str = "UPDATE audit_heads SET seq = $2, hash = $3 WHERE tenant_id = $1";

type Sent<'f> = Pin<Box<dyn Future<Output = Result<(), tokio_postgres::Error>> + 'f>>;

impl<'a> PgConn<'a> {
    /// Hold back an audit record (its head locked, its hash computed) until the next statement.
    pub(super) fn defer(&self, rec: AuditRecord) -> Result<(), StoreError> {
        let full = {
            let mut d = self.deferred.borrow_mut();
            let own = d.steps.len() > d.carried;
            match d.steps.last_mut() {
                Some(Step::Records(records, heads)) if own => {
                    heads.insert(rec.tenant.clone(), (rec.seq as i64, rec.hash.clone()));
                    records.push(rec);
                }
                _ => {
                    let heads = BTreeMap::from([(rec.tenant.clone(), (rec.seq as i64, rec.hash.clone()))]);
                    d.steps.push(Step::Records(vec![rec], heads));
                }
            }
            d.records() >= DEFERRED_MAX
        };
        if full {
            self.flush()?;
        }
        Ok(())
    }

    /// Send what is held back now, on its own.
    pub(super) fn flush(&self) -> Result<(), tokio_postgres::Error> {
        self.after_deferred(async { Ok(()) })
    }

    /// Forget this job's own steps (it failed: its savepoint is rolled back); the steps the jobs before it
    /// left are kept.
    pub(super) fn discard_deferred(&self) {
        let mut d = self.deferred.borrow_mut();
        let keep = d.carried;
        d.steps.truncate(keep);
    }

    /// What is held back, with `sql` after it, for the next job to send.
    pub(super) fn carry(&self, sql: &str) -> Deferred {
        let mut d = std::mem::take(&mut *self.deferred.borrow_mut());
        d.steps.push(Step::Sql(sql.to_owned()));
        d
    }

    /// The steps held back, as one future that sends them all, in order, before it waits for any answer.
    fn take_deferred(&self) -> Result<Option<Sent<'a>>, tokio_postgres::Error> {
        let d = std::mem::take(&mut *self.deferred.borrow_mut());
        if d.steps.is_empty() {
            return Ok(None);
        }
        let c = self.c;
        let mut sends: Vec<Sent<'a>> = Vec::with_capacity(d.steps.len());
        for step in d.steps {
            match step {
                Step::Sql(sql) => sends.push(Box::pin(async move { c.batch_execute(&sql).await })),
                Step::Records(records, heads) => {
                    let insert = wait(c.prepare_cached(AUDIT_INSERT_MANY))?;
                    let update = wait(c.prepare_cached(HEAD_UPDATE))?;
                    sends.push(Box::pin(send_records(c, insert, update, records, heads)));
                }
            }
        }
        Ok(Some(Box::pin(async move {
            // join_all polls them in order, so each is sent before the next; then it waits for all.
            join_all(sends).await.into_iter().collect::<Result<Vec<()>, _>>().map(|_| ())
        })))
    }

    /// Run `next` after the steps held back, in the same round trip. When a step fails, the transaction
    /// is lost and `next` fails too (the transaction is aborted; no step held back recovers it: a failed
    /// job's `ROLLBACK TO SAVEPOINT` is sent on its own, after what the jobs before it held back).
    pub(super) fn after_deferred<T>(
        &self,
        next: impl Future<Output = Result<T, tokio_postgres::Error>>,
    ) -> Result<T, tokio_postgres::Error> {
        let sent = match self.take_deferred() {
            Ok(s) => s,
            Err(e) => {
                self.lost.set(true);
                return Err(e);
            }
        };
        match sent {
            None => wait(next),
            Some(sent) => {
                let (sent, r) = wait(join(sent, next));
                if let Err(e) = sent {
                    self.lost.set(true);
                    return Err(e);
                }
                r
            }
        }
    }

    /// End a job: the steps held back, then `sql` (releasing its savepoint, committing), in one trip.
    pub(super) fn end(&self, sql: &str) -> Result<(), tokio_postgres::Error> {
        self.after_deferred(self.c.batch_execute(sql))
    }
}

/// Insert audit records in one statement and move their tenants' heads, all sent before any answer is
/// awaited.
async fn send_records(
    c: &ClientWrapper,
    insert: tokio_postgres::Statement,
    update: tokio_postgres::Statement,
    rs: Vec<AuditRecord>,
    heads: BTreeMap<String, (i64, String)>,
) -> Result<(), tokio_postgres::Error> {
    let text = |f: fn(&AuditRecord) -> &str| rs.iter().map(|r| f(r).to_owned()).collect::<Vec<_>>();
    let opt = |f: fn(&AuditRecord) -> Option<&str>| {
        rs.iter().map(|r| f(r).map(str::to_owned)).collect::<Vec<Option<String>>>()
    };
    let (tenant, id, at) = (text(|r| &r.tenant), text(|r| &r.id), text(|r| &r.at));
    let seq: Vec<i64> = rs.iter().map(|r| r.seq as i64).collect();
    let (actor_id, actor_name, kind) = (text(|r| &r.actor_id), text(|r| &r.actor_name), text(|r| &r.kind));
    let (aggregate_type, aggregate_id) = (text(|r| &r.aggregate_type), text(|r| &r.aggregate_id));
    let (reason, via) = (opt(|r| r.reason.as_deref()), opt(|r| r.actor_via.as_deref()));
    let (payload, prev_hash, hash) = (text(|r| &r.payload), text(|r| &r.prev_hash), text(|r| &r.hash));
    let params: [P<'_>; 14] = [
        &tenant,
        &seq,
        &id,
        &at,
        &actor_id,
        &actor_name,
        &kind,
        &aggregate_type,
        &aggregate_id,
        &reason,
        &payload,
        &prev_hash,
        &hash,
        &via,
    ];
    let head_params: Vec<[P<'_>; 3]> = heads.iter().map(|(t, (s, h))| -> [P<'_>; 3] { [t, s, h] }).collect();
    let moves = join_all(head_params.iter().map(|p| c.execute(&update, p)));
    let (inserted, moved) = join(c.execute(&insert, &params), moves).await;
    inserted?;
    moved.into_iter().try_for_each(|m| m.map(|_| ()))
}
