//! Duplicate detection on the register: the same person must never be registered twice by accident.
//!
//! A person is the same when, at the same level, the ID number matches, or the name and the birth date
//! match, or the name and the work unit match. Keys are scoped by level because one person may lawfully
//! sit in two congresses (a county deputy who is also a city deputy). A name rule counts only when one of
//! the two records has no ID number: two different ID numbers are two different people, however alike
//! their names (with 2.8 million deputies, namesakes born on the same day exist). The store indexes these
//! keys for current deputies; the ID number enters only as a keyed hash.

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
    /// In English.
    pub fn en(self) -> &'static str {
        match self {
            Self::SameIdNumber => "same ID number",
            Self::SameNameAndBirthDate => "same name and birth date",
            Self::SameNameAndWorkUnit => "same name and work unit",
        }
    }
    /// The fields the rule compares (`id_number`; `name`, `birth_date` …), to name their columns.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Self::SameIdNumber => &["id_number"],
            Self::SameNameAndBirthDate => &["name", "birth_date"],
            Self::SameNameAndWorkUnit => &["name", "work_unit"],
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
        keys.push(DuplicateKey {
            key: format!("nb:{level}:{name}|{b}"),
            reason: DuplicateReason::SameNameAndBirthDate,
        });
    }
    if let Some(w) = &draft.work_unit {
        keys.push(DuplicateKey {
            key: format!("nw:{level}:{name}|{w}"),
            reason: DuplicateReason::SameNameAndWorkUnit,
        });
    }
    keys
}

/// A record that shares a key with a candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyMatch {
    /// The record on the register.
    pub existing: crate::ids::DeputyId,
    /// The rule whose key matched.
    pub reason: DuplicateReason,
    /// The keyed hash of the existing record's ID number, if it has one.
    pub existing_id_hash: Option<String>,
}

/// Decide which key match, if any, is the same person as a candidate whose ID number hashes to
/// `candidate_id_hash`. The ID-number rule wins; a name rule counts only when either side lacks an ID number.
pub fn same_person(
    candidate_id_hash: Option<&str>,
    matches: &[KeyMatch],
) -> Option<(crate::ids::DeputyId, DuplicateReason)> {
    let decisive = |m: &&KeyMatch| match m.reason {
        DuplicateReason::SameIdNumber => true,
        _ => candidate_id_hash.is_none() || m.existing_id_hash.is_none(),
    };
    let mut hits: Vec<&KeyMatch> = matches.iter().filter(decisive).collect();
    hits.sort_by_key(|m| m.reason);
    hits.first().map(|m| (m.existing, m.reason))
}
