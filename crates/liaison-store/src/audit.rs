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

/// The format tag of a checkpoint file.
pub const CHECKPOINT_FORMAT: &str = "liaison-audit-checkpoint/1";

/// A signed statement of where a tenant's chain stood at one moment: its last sequence number and the hash
/// of that record. Kept apart from the database (another machine, the audit administrator's safe), it
/// shows a later truncation of the newest records, which the chain alone cannot: a chain cut short is
/// still a valid chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Checkpoint {
    /// `liaison-audit-checkpoint/1`.
    pub format: String,
    /// Tenant.
    pub tenant: String,
    /// The last sequence number of the tenant's chain.
    pub seq: u64,
    /// The hash of that record.
    pub head: String,
    /// When the checkpoint was made (RFC 3339).
    pub at: String,
    /// How it is signed: `hmac-sm3` (a key derived from the master key for this use only).
    pub algorithm: String,
    /// Which key signed it (a fingerprint, not the key).
    pub key_id: String,
    /// The signature of every field above, as hex.
    pub signature: String,
}

impl Checkpoint {
    fn canonical(&self) -> Vec<u8> {
        let seq = self.seq.to_string();
        let fields: [&str; 7] =
            [&self.format, &self.tenant, &seq, &self.head, &self.at, &self.algorithm, &self.key_id];
        let mut out = Vec::new();
        for f in fields {
            out.extend_from_slice(&(f.len() as u64).to_le_bytes());
            out.extend_from_slice(f.as_bytes());
        }
        out
    }

    /// A signed checkpoint of a chain standing at `seq` with `head` (for an empty chain: 0 and [`GENESIS`]).
    pub fn sign(keys: &Keys, tenant: &str, seq: u64, head: &str, at: &str) -> Self {
        let mut c = Self {
            format: CHECKPOINT_FORMAT.into(),
            tenant: tenant.into(),
            seq,
            head: head.into(),
            at: at.into(),
            algorithm: "hmac-sm3".into(),
            key_id: keys.checkpoint_key_id(),
            signature: String::new(),
        };
        c.signature = keys.checkpoint_mac(&c.canonical());
        c
    }

    /// Check the checkpoint against the chain as it is now: `last` is the tenant's last sequence number (the
    /// verified chain's head; 0 when it has none) and `at_seq` the record now at the checkpoint's position.
    /// Empty when the chain still holds what the checkpoint saw.
    pub fn check(&self, keys: &Keys, last: u64, at_seq: Option<&AuditRecord>) -> Vec<CheckpointProblem> {
        if self.format != CHECKPOINT_FORMAT || self.algorithm != "hmac-sm3" {
            return vec![CheckpointProblem::UnknownFormat];
        }
        if self.key_id != keys.checkpoint_key_id() {
            return vec![CheckpointProblem::OtherKey];
        }
        if keys.checkpoint_mac(&self.canonical()) != self.signature {
            return vec![CheckpointProblem::BadSignature];
        }
        let mut problems = Vec::new();
        if last < self.seq {
            problems.push(CheckpointProblem::Truncated { last, expected: self.seq });
        } else if self.seq > 0 && at_seq.is_none_or(|r| r.hash != self.head) {
            problems.push(CheckpointProblem::Rewritten);
        }
        problems
    }
}

/// Why a chain does not match a checkpoint, or the checkpoint cannot be trusted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "problem")]
pub enum CheckpointProblem {
    /// Not a checkpoint this version can read.
    UnknownFormat,
    /// Signed with another key (another deployment, or a key since replaced).
    OtherKey,
    /// Its fields do not match its signature: the file was altered.
    BadSignature,
    /// The chain now ends before the checkpoint: the newest records were removed.
    Truncated {
        /// The chain's last sequence number now.
        last: u64,
        /// The last sequence number the checkpoint saw.
        expected: u64,
    },
    /// The record at the checkpoint's position is not the one it saw: the chain was cut and grown again,
    /// or rebuilt.
    Rewritten,
}

impl CheckpointProblem {
    /// The problem in words, zh-CN then English.
    pub fn describe(&self) -> String {
        match self {
            Self::UnknownFormat => "不是本系统的审计检查点文件（not a checkpoint file of this system）".into(),
            Self::OtherKey => {
                "检查点由另一把密钥签名（signed with another key: another deployment, or a replaced key）".into()
            }
            Self::BadSignature => "检查点签名不符，文件被改动（signature mismatch: the file was altered）".into(),
            Self::Truncated { last, expected } => format!(
                "审计链被截短：检查点时已有 {expected} 条，现只到第 {last} 条，最新的记录被删除（truncated: the checkpoint saw {expected} records, the chain now ends at {last}; the newest records were removed）"
            ),
            Self::Rewritten => "检查点位置的记录已不是当时那一条：审计链被截断后重写（the record at the checkpoint's position is not the one it saw: the chain was cut and rewritten）".into(),
        }
    }
}

#[cfg(test)]
mod checkpoint_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn rec(seq: u64, hash: &str) -> AuditRecord {
        AuditRecord {
            tenant: "default".into(),
            seq,
            id: format!("r{seq}"),
            at: "2026-03-02T01:00:00.000000Z".into(),
            actor_id: "u".into(),
            actor_name: "admin (admin)".into(),
            kind: "deputy.registered".into(),
            aggregate_type: "deputy".into(),
            aggregate_id: "d".into(),
            reason: None,
            payload: "{}".into(),
            prev_hash: GENESIS.into(),
            hash: hash.into(),
            actor_via: None,
        }
    }

    #[test]
    fn a_checkpoint_detects_truncation_rewriting_and_tampering() {
        let keys = Keys::from_master(&[7; 32]);
        let c = Checkpoint::sign(&keys, "default", 5, "h5", "2026-03-02T01:00:00Z");
        assert_eq!(c.check(&keys, 5, Some(&rec(5, "h5"))), vec![]);
        assert_eq!(c.check(&keys, 9, Some(&rec(5, "h5"))), vec![], "the chain grew: fine");
        assert_eq!(
            c.check(&keys, 3, None),
            vec![CheckpointProblem::Truncated { last: 3, expected: 5 }],
            "the newest records removed"
        );
        assert_eq!(c.check(&keys, 6, Some(&rec(5, "other"))), vec![CheckpointProblem::Rewritten]);
        let mut forged = c.clone();
        forged.seq = 3;
        assert_eq!(forged.check(&keys, 3, Some(&rec(3, "h5"))), vec![CheckpointProblem::BadSignature]);
        let other = Keys::from_master(&[8; 32]);
        assert_eq!(c.check(&other, 5, Some(&rec(5, "h5"))), vec![CheckpointProblem::OtherKey]);
        // A checkpoint's signature is never a chain hash: the keys are derived apart.
        assert_ne!(keys.checkpoint_mac(b"x"), keys.audit_mac(b"x"));
        let back: Checkpoint = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(back, c);
    }
}
