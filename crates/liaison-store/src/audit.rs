//! The audit chain: every record carries a keyed hash (HMAC-SM3) of its content and of the previous
//! record's hash, per tenant, from a fixed genesis value. Verification recomputes the chain and names
//! every record that was edited, removed, inserted or moved, and every record it could not read (damaged
//! bytes), and goes on to the end.

use serde::Serialize;

use crate::{AuditRecord, Keys};

/// The `prev_hash` of a tenant's first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The canonical bytes of a record: every field length-prefixed, so no two records share an encoding.
/// A record that names its credential (`actor_via`, schema v4) is `liaison-audit-v2` and carries it after
/// the actor's name; older records keep their v1 form, so they verify as they always did, and a credential
/// removed from a v2 record changes its form and fails verification.
pub fn canonical(r: &AuditRecord) -> Vec<u8> {
    let seq = r.seq.to_string();
    let head: [&str; 7] = [
        if r.actor_via.is_some() { "liaison-audit-v2" } else { "liaison-audit-v1" },
        &r.tenant,
        &seq,
        &r.id,
        &r.at,
        &r.actor_id,
        &r.actor_name,
    ];
    let tail: [&str; 6] = [
        &r.kind,
        &r.aggregate_type,
        &r.aggregate_id,
        r.reason.as_deref().unwrap_or("\u{0}"),
        &r.payload,
        &r.prev_hash,
    ];
    let via = r.actor_via.as_deref();
    let fields = head.iter().chain(via.iter()).chain(tail.iter());
    let mut out = Vec::with_capacity(512);
    for f in fields {
        out.extend_from_slice(&(f.len() as u64).to_le_bytes());
        out.extend_from_slice(f.as_bytes());
    }
    out
}

/// The hash a record must carry.
pub fn record_hash(keys: &Keys, r: &AuditRecord) -> String {
    keys.audit_mac(&canonical(r))
}

/// What is wrong with a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// Its content does not match its hash: it was edited.
    Edited,
    /// Its sequence number is not the next one: records before it were removed, or it was inserted.
    SequenceGap {
        /// The sequence number expected here.
        expected: u64,
    },
    /// It does not point to the record before it: records were reordered or inserted.
    BrokenLink,
    /// It could not be read (a column holds bytes that are not text, or no value): damaged on disk or
    /// written by something other than the service. Verification goes on with the next record.
    Unreadable {
        /// What could not be read, and why.
        reason: String,
    },
}

impl Problem {
    /// The problem in words, zh-CN then English.
    pub fn describe(&self) -> String {
        match self {
            Self::Edited => "内容与其哈希不符，记录被改动（edited: content does not match its hash）".into(),
            Self::SequenceGap { expected } => {
                format!(
                    "序号不连续，应为 {expected}（sequence gap: expected {expected}; records removed or inserted）"
                )
            }
            Self::BrokenLink => "未链接到前一条记录（broken link: records moved or inserted）".into(),
            Self::Unreadable { reason } => format!("记录无法读取（unreadable record: {reason}）"),
        }
    }
}

/// A record that could not be read: what could be read of it, and why the rest could not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damaged {
    /// Tenant (bytes that are not text shown with replacement characters).
    pub tenant: String,
    /// The record's sequence number, when it could be read.
    pub seq: Option<u64>,
    /// The record's id, as far as readable.
    pub id: String,
    /// The record's kind, as far as readable.
    pub kind: String,
    /// The hash it carries, when readable (the next record's link is checked against it).
    pub hash: Option<String>,
    /// What could not be read.
    pub reason: String,
}

/// A broken record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Break {
    /// Tenant.
    pub tenant: String,
    /// The record's sequence number.
    pub seq: u64,
    /// The record's id.
    pub id: String,
    /// The record's kind (`deputy.registered` …).
    pub kind: String,
    /// What is wrong.
    pub problem: Problem,
}

/// The result of verifying every tenant's chain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Records checked.
    pub records: u64,
    /// Per tenant: (tenant, last seq, head hash).
    pub heads: Vec<(String, u64, String)>,
    /// Every break found (empty when the chain is intact).
    pub breaks: Vec<Break>,
}

impl VerifyReport {
    /// True when no break was found.
    pub fn ok(&self) -> bool {
        self.breaks.is_empty()
    }
}

/// Incremental verifier: feed records ordered by (tenant, seq).
#[derive(Debug)]
pub struct Verifier<'k> {
    keys: &'k Keys,
    tenant: Option<String>,
    expected_seq: u64,
    /// The previous record's hash; `None` after a record whose hash could not be read (the next link is
    /// then not checked: that record is already named).
    prev_hash: Option<String>,
    report: VerifyReport,
}

impl<'k> Verifier<'k> {
    /// Start.
    pub fn new(keys: &'k Keys) -> Self {
        Self {
            keys,
            tenant: None,
            expected_seq: 1,
            prev_hash: Some(GENESIS.into()),
            report: VerifyReport::default(),
        }
    }

    fn close_tenant(&mut self) {
        if let Some(t) = self.tenant.take() {
            self.report.heads.push((t, self.expected_seq - 1, self.prev_hash.clone().unwrap_or_default()));
        }
    }

    fn enter(&mut self, tenant: &str) {
        if self.tenant.as_deref() != Some(tenant) {
            self.close_tenant();
            self.tenant = Some(tenant.to_owned());
            self.expected_seq = 1;
            self.prev_hash = Some(GENESIS.into());
        }
        self.report.records += 1;
    }

    /// Check the next record.
    pub fn feed(&mut self, r: &AuditRecord) {
        self.enter(&r.tenant);
        let mut problem = None;
        if record_hash(self.keys, r) != r.hash {
            problem = Some(Problem::Edited);
        } else if r.seq != self.expected_seq {
            problem = Some(Problem::SequenceGap { expected: self.expected_seq });
        } else if self.prev_hash.as_ref().is_some_and(|p| *p != r.prev_hash) {
            problem = Some(Problem::BrokenLink);
        }
        if let Some(problem) = problem {
            self.report.breaks.push(Break {
                tenant: r.tenant.clone(),
                seq: r.seq,
                id: r.id.clone(),
                kind: r.kind.clone(),
                problem,
            });
        }
        self.expected_seq = r.seq + 1;
        self.prev_hash = Some(r.hash.clone());
    }

    /// Name the next record, which could not be read, and go on: the following record is checked
    /// against the sequence number and hash this one carries, when those could be read.
    pub fn damaged(&mut self, d: Damaged) {
        self.enter(&d.tenant);
        let seq = d.seq.unwrap_or(self.expected_seq);
        self.report.breaks.push(Break {
            tenant: d.tenant,
            seq,
            id: d.id,
            kind: d.kind,
            problem: Problem::Unreadable { reason: d.reason },
        });
        self.expected_seq = seq + 1;
        self.prev_hash = d.hash;
    }

    /// The report.
    pub fn finish(mut self) -> VerifyReport {
        self.close_tenant();
        self.report
    }
}
