//! The audit trail as the audit administrator reads it (issue 12, item 9): records filtered by kind,
//! actor, time and aggregate, page by page or exported as CSV for people; signed checkpoints of the
//! chain's head, and their verification, which names a truncation of the newest records; and the records
//! of refused requests (authentication failed, permission refused), written for the HTTP edge.

use chrono::{DateTime, SecondsFormat, Utc};
use liaison_core::access::Action;
use liaison_core::ids::{TenantId, UserId};
use liaison_core::{Actor, Meta};
use liaison_store::audit::{Checkpoint, CheckpointProblem, VerifyReport};
use liaison_store::{AuditQuery, AuditRecord};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{App, AppError, Principal, record};

/// Which audit records to list (every filter given must hold).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    /// A kind (`deputy.registered`), or every kind under a prefix ending in `.` (`access.`).
    pub kind: Option<String>,
    /// The acting account: login, user id, or the name recorded.
    pub actor: Option<String>,
    /// From this day (YYYY-MM-DD, China time) or moment (RFC 3339), inclusive.
    pub from: Option<String>,
    /// To this day (inclusive) or before this moment (RFC 3339).
    pub to: Option<String>,
    /// The aggregate: its id, or its type (`deputy`, `suggestion`, `access` …).
    pub aggregate: Option<String>,
    /// The cursor a previous page returned.
    pub cursor: Option<String>,
    /// Page size (1–1000, default 100).
    pub limit: Option<u32>,
}

/// One audit record as the audit administrator reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AuditEntry {
    /// Position in the tenant's chain.
    pub seq: u64,
    /// When (RFC 3339).
    pub at: String,
    /// The acting account's id.
    pub actor_id: String,
    /// The acting account as recorded (`姓名 (login)`).
    pub actor: String,
    /// What (`deputy.registered`, `access.refused` …).
    pub kind: String,
    /// The aggregate's type.
    pub aggregate_type: String,
    /// The aggregate's id.
    pub aggregate_id: String,
    /// Why, when given.
    pub reason: Option<String>,
    /// The event without personal data.
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    /// The record's hash in the chain.
    pub hash: String,
}

impl From<AuditRecord> for AuditEntry {
    fn from(r: AuditRecord) -> Self {
        let mut payload = serde_json::from_str(&r.payload).unwrap_or(serde_json::Value::String(r.payload));
        // What the trail shows holds no more than the histories do (issue 12 items 2 and 5): a birth date as
        // its year, an answer's `[保密]` parts withheld — records written before those rules included.
        crate::registry::birth_year_only(&mut payload);
        crate::suggestion::withhold_in_payload(&mut payload);
        Self {
            seq: r.seq,
            at: r.at,
            actor_id: r.actor_id,
            actor: r.actor_name,
            kind: r.kind,
            aggregate_type: r.aggregate_type,
            aggregate_id: r.aggregate_id,
            reason: r.reason,
            payload,
            hash: r.hash,
        }
    }
}

/// A page of audit records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AuditPage {
    /// The records, in chain order.
    pub items: Vec<AuditEntry>,
    /// The cursor of the next page, if there is one.
    pub next_cursor: Option<String>,
}

/// A checkpoint compared with the chain as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckpointVerification {
    /// The chain itself.
    pub chain: VerifyReport,
    /// The checkpoint it was compared with.
    pub checkpoint: Checkpoint,
    /// What does not match (empty: the chain still holds everything the checkpoint saw).
    pub problems: Vec<CheckpointProblem>,
}

impl CheckpointVerification {
    /// The chain is intact and holds what the checkpoint saw.
    pub fn ok(&self) -> bool {
        self.chain.ok() && self.problems.is_empty()
    }
}

/// A request the HTTP edge refused, for the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    /// 401 (no valid credentials) or 403 (not allowed).
    pub status: u16,
    /// The problem's code (`auth.unauthenticated`, `auth.forbidden` …).
    pub code: String,
    /// The method.
    pub method: String,
    /// The route as declared (`/api/v1/deputies/{id}/full`), never the raw path with its ids or secrets.
    pub route: String,
    /// The client's address.
    pub client: String,
    /// Refusals not recorded since the last record, because of the recording limit.
    pub suppressed: u64,
}

/// A day (China time) or a moment, as the stored text compares: `to` a day means up to its end.
fn bound(field: &str, s: &str, end_of_day: bool) -> Result<String, AppError> {
    let s = s.trim();
    let at = match DateTime::parse_from_rfc3339(s) {
        Ok(t) => t.with_timezone(&Utc),
        Err(_) => {
            let day = liaison_core::registry::parse_date(s)
                .map_err(|e| AppError::Invalid(vec![liaison_core::FieldError::new(field, &e)]))?;
            let day = if end_of_day { day.succ_opt().unwrap_or(day) } else { day };
            // Midnight in China (UTC+8) is 16:00 UTC the day before.
            liaison_core::dates::from_china_time(day.and_hms_opt(0, 0, 0).unwrap_or_default())
        }
    };
    Ok(at.to_rfc3339_opts(SecondsFormat::Micros, true))
}

impl AuditFilter {
    fn query(&self) -> Result<AuditQuery, AppError> {
        let after = match self.cursor.as_deref().filter(|c| !c.is_empty()) {
            Some(c) => Some(c.parse::<u64>().map_err(|_| AppError::BadFile {
                code: "request.bad_cursor",
                zh: "游标无效：请使用上一页返回的 next_cursor".into(),
                en: "bad cursor: use the next_cursor a previous page returned".into(),
            })?),
            None => None,
        };
        Ok(AuditQuery {
            kind: self.kind.clone(),
            actor: self.actor.clone(),
            from: self.from.as_deref().map(|f| bound("from", f, false)).transpose()?,
            to: self.to.as_deref().map(|t| bound("to", t, true)).transpose()?,
            aggregate: self.aggregate.clone(),
            after,
            limit: self.limit.unwrap_or(100).clamp(1, 1000),
        })
    }
}

/// The kinds of the security alerts: every kind under this prefix.
pub const ALERTS: &str = "alert.";

/// The columns of the CSV export, in Chinese (the export is for people).
pub const EXPORT_HEADERS: [&str; 10] =
    ["序号", "时间", "操作账号", "账号id", "类型", "对象类型", "对象", "原因", "内容", "哈希"];

impl AuditEntry {
    /// The entry as one CSV row ([`EXPORT_HEADERS`]).
    pub fn cells(&self) -> Vec<String> {
        vec![
            self.seq.to_string(),
            self.at.clone(),
            self.actor.clone(),
            self.actor_id.clone(),
            self.kind.clone(),
            self.aggregate_type.clone(),
            self.aggregate_id.clone(),
            self.reason.clone().unwrap_or_default(),
            self.payload.to_string(),
            self.hash.clone(),
        ]
    }
}

impl App {
    /// A page of the caller's tenant's audit records (the audit administrator: `verify_audit`).
    pub fn audit_records(&self, p: &Principal, f: &AuditFilter) -> Result<AuditPage, AppError> {
        p.require(Action::VerifyAudit)?;
        self.audit_page(p, f)
    }

    /// A page of the security alerts (`alert.*`: an account viewing too many deputies' full cards …), for
    /// the security and the audit administrator (`read_alerts`, issue 12 item 7). A kind, when given, must
    /// be an alert's.
    pub fn audit_alerts(&self, p: &Principal, f: &AuditFilter) -> Result<AuditPage, AppError> {
        p.require(Action::ReadAlerts)?;
        let kind = match f.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            None => ALERTS.to_owned(),
            Some(k) if k.starts_with(ALERTS) => k.to_owned(),
            Some(_) => {
                return Err(AppError::invalid("kind", &liaison_core::ValueError::OneOf("alert.*")));
            }
        };
        self.audit_page(p, &AuditFilter { kind: Some(kind), ..f.clone() })
    }

    fn audit_page(&self, p: &Principal, f: &AuditFilter) -> Result<AuditPage, AppError> {
        let q = f.query()?;
        let mut rows =
            self.read(|s| s.audit_records(&p.tenant, &AuditQuery { limit: q.limit + 1, ..q.clone() }))?;
        let more = rows.len() > q.limit as usize;
        rows.truncate(q.limit as usize);
        let next_cursor = if more { rows.last().map(|r| r.seq.to_string()) } else { None };
        Ok(AuditPage { items: rows.into_iter().map(AuditEntry::from).collect(), next_cursor })
    }

    /// Every matching record (all pages) as CSV for people: UTF-8 with its byte-order mark, formula-like
    /// cells neutralised (`people_csv`). The cursor and limit of the filter are ignored.
    pub fn audit_csv(&self, p: &Principal, f: &AuditFilter) -> Result<Vec<u8>, AppError> {
        let mut f = AuditFilter { cursor: None, limit: Some(1000), ..f.clone() };
        let mut w = crate::people_csv::PeopleCsv::new(Vec::new()).map_err(io)?;
        w.row(EXPORT_HEADERS).map_err(|e| io(std::io::Error::other(e.to_string())))?;
        loop {
            let page = self.audit_records(p, &f)?;
            for e in &page.items {
                w.row(e.cells()).map_err(|e| io(std::io::Error::other(e.to_string())))?;
            }
            match page.next_cursor {
                Some(c) => f.cursor = Some(c),
                None => break,
            }
        }
        w.finish().map_err(io)
    }

    /// A signed checkpoint of a tenant's chain head, now. Refused when the chain does not verify: a
    /// checkpoint vouches for an intact chain. For operators with the database and its key (the CLI).
    pub fn audit_checkpoint(&self, tenant: &TenantId) -> Result<Checkpoint, AppError> {
        let report = self.verify_audit()?;
        self.sign_checkpoint(&report, tenant)
    }

    /// The checkpoint of `tenant`'s head as `report` verified it (refused when the chain is broken).
    fn sign_checkpoint(&self, report: &VerifyReport, tenant: &TenantId) -> Result<Checkpoint, AppError> {
        if !report.ok() {
            let n = report.breaks.len();
            return Err(AppError::BadFile {
                code: "audit.broken",
                zh: format!("审计链有 {n} 处断裂，不能为其签发检查点：请先运行 liaison audit verify"),
                en: format!(
                    "the audit chain has {n} break(s); no checkpoint is signed for it: run liaison audit verify"
                ),
            });
        }
        let (seq, head) = report
            .heads
            .iter()
            .find(|(t, _, _)| t == tenant.as_str())
            .map(|(_, s, h)| (*s, h.clone()))
            .unwrap_or((0, liaison_store::audit::GENESIS.to_owned()));
        let at = self.now().to_rfc3339_opts(SecondsFormat::Secs, true);
        Ok(Checkpoint::sign(self.store.keys(), tenant.as_str(), seq, &head, &at))
    }

    /// The audit administrator's verification of the whole chain and the checkpoint signed on that same
    /// verification (the records counted and the head named are one reading). Slow on a large chain: call
    /// it off the request threads. Refused, with the breaks counted, when the chain is broken.
    pub fn checkpoint_as(&self, p: &Principal) -> Result<(VerifyReport, Checkpoint), AppError> {
        p.require(Action::VerifyAudit)?;
        let report = self.verify_audit_as(p)?;
        let checkpoint = self.sign_checkpoint(&report, &p.tenant)?;
        Ok((report, checkpoint))
    }

    /// Record that the audit administrator issued `checkpoint` to hand to the supervising body
    /// (`audit.checkpoint_issued`, with the sequence and head it vouches for: the record comes after the
    /// head it names).
    pub async fn record_checkpoint(&self, p: &Principal, checkpoint: &Checkpoint) -> Result<(), AppError> {
        p.require(Action::VerifyAudit)?;
        let meta = self.meta(p, None);
        let payload = serde_json::json!({ "seq": checkpoint.seq, "head": checkpoint.head, "key_id": checkpoint.key_id });
        let rec = record(&meta, "audit.checkpoint_issued", "audit", "checkpoint".to_owned(), &payload);
        let tenant = p.tenant.clone();
        self.write(move |tx| {
            tx.append(&tenant, rec)?;
            Ok(())
        })
        .await
    }

    /// Verify the chain and compare it with a checkpoint made earlier: a truncation of the newest records,
    /// or a chain cut and grown again, is named.
    pub fn verify_checkpoint(&self, c: &Checkpoint) -> Result<CheckpointVerification, AppError> {
        let chain = self.verify_audit()?;
        let last = chain.heads.iter().find(|(t, _, _)| *t == c.tenant).map_or(0, |(_, s, _)| *s);
        let tenant = TenantId::parse(&c.tenant)
            .map_err(|e| AppError::Invalid(vec![liaison_core::FieldError::new("tenant", &e)]))?;
        let at_seq = if c.seq > 0 { self.read(|q| q.audit_record_at(&tenant, c.seq))? } else { None };
        let problems = c.check(self.store.keys(), last, at_seq.as_ref());
        Ok(CheckpointVerification { chain, checkpoint: c.clone(), problems })
    }

    /// Record that the audit administrator exported the trail (`audit.exported`: the filter and how many
    /// records), after `audit_csv`: reading the trail in bulk is itself on the trail (GB/T 22239: the
    /// auditor's own operations are audited).
    pub async fn record_audit_export(
        &self,
        p: &Principal,
        f: &AuditFilter,
        rows: usize,
    ) -> Result<(), AppError> {
        p.require(Action::VerifyAudit)?;
        let meta = self.meta(p, None);
        let payload = serde_json::json!({
            "kind": f.kind, "actor": f.actor, "from": f.from, "to": f.to, "aggregate": f.aggregate, "rows": rows,
        });
        let rec = record(&meta, "audit.exported", "audit", "export".to_owned(), &payload);
        let tenant = p.tenant.clone();
        self.write(move |tx| {
            tx.append(&tenant, rec)?;
            Ok(())
        })
        .await
    }

    /// Record a refused request in the audit trail (`access.unauthenticated` or `access.refused`), naming
    /// the account when the credentials were valid. The HTTP edge limits how often it calls this.
    pub async fn record_refusal(&self, who: Option<&Principal>, r: Refusal) -> Result<(), AppError> {
        let (tenant, actor) = match who {
            Some(p) => (p.tenant.clone(), p.actor()),
            None => (
                crate::default_tenant(),
                Actor {
                    user: UserId(uuid::Uuid::nil()), name: "未认证 (anonymous)".to_owned(), via: None
                },
            ),
        };
        let kind = if r.status == 401 { "access.unauthenticated" } else { "access.refused" };
        let meta = Meta { actor, at: self.now(), reason: None };
        let rec = record(&meta, kind, "access", r.route.clone(), &r);
        self.write(move |tx| {
            tx.append(&tenant, rec)?;
            Ok(())
        })
        .await
    }
}

fn io(e: std::io::Error) -> AppError {
    AppError::Store(liaison_store::StoreError::Io(e))
}

#[cfg(test)]
mod tests {
    use super::AuditEntry;

    /// An old record with a birth date and a confidential part is shown with the year and the public text.
    #[test]
    fn the_trail_shows_a_birth_year_and_withholds_confidential_parts() {
        let r = liaison_store::AuditRecord {
            tenant: "default".into(),
            seq: 3,
            id: "r3".into(),
            at: "2026-03-02T01:00:00.000000Z".into(),
            actor_id: "u".into(),
            actor_name: "联络室 (office)".into(),
            actor_via: None,
            kind: "suggestion.answered".into(),
            aggregate_type: "suggestion".into(),
            aggregate_id: "s".into(),
            reason: None,
            payload: serde_json::json!({
                "event": {"draft": {"birth_date": "1968-05-04"}, "text": "已办理。[保密]举报人周某[/保密]"}
            })
            .to_string(),
            prev_hash: "0".repeat(64),
            hash: "1".repeat(64),
        };
        let shown = AuditEntry::from(r).payload.to_string();
        assert!(shown.contains("\"birth_year\":1968") && !shown.contains("1968-05-04"), "{shown}");
        assert!(shown.contains("已办理") && !shown.contains("周某"), "{shown}");
    }
}
