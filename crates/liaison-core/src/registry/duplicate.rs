//! Duplicate detection on the register: the same person must never be registered twice by accident.
//!
//! A person is the same when, at the same level, the ID number matches, or the name and the birth date
//! match, or the name and the work unit match. Keys are scoped by level because one person may lawfully
//! sit in two congresses (a county deputy who is also a city deputy). The store indexes these keys for
//! current deputies; the ID number enters only as a keyed hash.

use serde::{Deserialize, Serialize};

use super::draft::DeputyDraft;

/// Which rule found the duplicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateReason {
    /// Same ID number.
    SameIdNumber,
    /// Same name and birth date.
    SameNameAndBirthDate,
    /// Same name and work unit.
    SameNameAndWorkUnit,
}

impl DuplicateReason {
    /// In Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            Self::SameIdNumber => "身份证号相同",
            Self::SameNameAndBirthDate => "姓名和出生日期相同",
            Self::SameNameAndWorkUnit => "姓名和工作单位相同",
        }
    }
}

/// A lookup key for duplicates, with the rule it stands for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DuplicateKey {
    /// The key text (`id:…`, `nb:…`, `nw:…`).
    pub key: String,
    /// The rule.
    pub reason: DuplicateReason,
}

/// The duplicate keys of a draft. `id_hash` is the keyed hash of its ID number, when it has one.
pub fn duplicate_keys(draft: &DeputyDraft, id_hash: Option<&str>) -> Vec<DuplicateKey> {
    let name = draft.name.as_str();
    let level = draft.level.code();
    let mut keys = Vec::with_capacity(3);
    if let Some(h) = id_hash {
        keys.push(DuplicateKey { key: format!("id:{level}:{h}"), reason: DuplicateReason::SameIdNumber });
    }
    if let Some(b) = draft.birth_date {
        keys.push(DuplicateKey { key: format!("nb:{level}:{name}|{b}"), reason: DuplicateReason::SameNameAndBirthDate });
    }
    if let Some(w) = &draft.work_unit {
        keys.push(DuplicateKey { key: format!("nw:{level}:{name}|{w}"), reason: DuplicateReason::SameNameAndWorkUnit });
    }
    keys
}
