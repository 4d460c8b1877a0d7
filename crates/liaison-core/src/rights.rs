//! The protection of deputies in criminal procedure (G1, 代表法 第三十二条): what a procuratorate must obtain
//! or do before it arrests, tries, or otherwise restricts the personal freedom of a deputy, by level.
//!
//! ```
//! use liaison_core::registry::DeputyLevel;
//! use liaison_core::rights::protection;
//!
//! // A county deputy may be arrested or tried only with the permission of the county congress's presidium
//! // or standing committee …
//! let county = protection(DeputyLevel::parse("县")?);
//! assert!(county.permission_required);
//! assert!(county.authority.starts_with("县人民代表大会主席团"));
//! // … a township deputy's congress is told at once.
//! let township = protection(DeputyLevel::Township);
//! assert!(!township.permission_required);
//! assert!(township.requirement_zh.contains("立即报告"));
//! # Ok::<(), liaison_core::ValueError>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::registry::DeputyLevel;

/// What the law requires for a deputy of a level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Protection {
    /// The level.
    pub level: DeputyLevel,
    /// Permission is required before arrest or trial (county level and above).
    pub permission_required: bool,
    /// Who gives the permission, or whom to notify, in Chinese.
    pub authority: String,
    /// The requirement, in Chinese.
    pub requirement_zh: String,
    /// The requirement, in English.
    pub requirement_en: String,
}

/// The requirement for a deputy of `level`.
pub fn protection(level: DeputyLevel) -> Protection {
    if level.is_county_or_above() {
        let congress = format!("{}人民代表大会", level.zh());
        Protection {
            level,
            permission_required: true,
            authority: format!("{congress}主席团（会议期间）或常务委员会（闭会期间）"),
            requirement_zh: format!(
                "非经{congress}主席团许可（会议期间）或常务委员会许可（闭会期间），不受逮捕或者刑事审判；采取法律规定的其他限制人身自由的措施，亦须经其许可；如因现行犯被拘留，执行拘留的机关应当立即向{congress}主席团或常务委员会报告（代表法第三十二条）。"
            ),
            requirement_en: format!(
                "No arrest or criminal trial without the permission of the presidium of the {level} people's congress (in session) or its standing committee (between sessions); other measures restricting personal freedom need the same permission; a deputy detained in the act must be reported at once to the presidium or standing committee (Law on Deputies, art. 32).",
                level = level.code()
            ),
        }
    } else {
        Protection {
            level,
            permission_required: false,
            authority: "乡、民族乡、镇的人民代表大会".into(),
            requirement_zh: "如被逮捕、受刑事审判或者被采取法律规定的其他限制人身自由的措施，执行机关应当立即报告乡、民族乡、镇的人民代表大会（代表法第三十二条）。".into(),
            requirement_en: "If arrested, tried, or subjected to other measures restricting personal freedom, the executing organ must report at once to the township people's congress (Law on Deputies, art. 32).".into(),
        }
    }
}

/// The duplicate-detection keys that find a person's current deputyships, at every level, by the keyed
/// hash of the ID number.
pub fn id_keys(id_hash: &str) -> Vec<crate::registry::DuplicateKey> {
    DeputyLevel::ALL
        .iter()
        .map(|l| crate::registry::DuplicateKey {
            key: format!("id:{}:{id_hash}", l.code()),
            reason: crate::registry::DuplicateReason::SameIdNumber,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn county_and_above_need_permission_township_deputies_are_reported() {
        for l in DeputyLevel::ALL {
            let p = protection(*l);
            assert_eq!(p.permission_required, *l != DeputyLevel::Township, "{l:?}");
        }
        assert!(protection(DeputyLevel::County).requirement_zh.contains("县人民代表大会主席团"));
        assert!(protection(DeputyLevel::Township).requirement_zh.contains("立即报告"));
        assert_eq!(id_keys("h").len(), 5);
        assert_eq!(id_keys("h")[0].key, "id:national:h");
    }
}
