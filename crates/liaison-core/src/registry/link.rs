//! A deputy of two congresses (issue 20, part 2): a county deputy who is also a city deputy is one person on
//! each procuratorate's register — two records, each its procuratorate's own — joined by a link that each
//! side shows ("同时是杭州市人大代表（杭州市人民检察院名册）") and nothing more of the other record.
//!
//! [`RegisterLinks::decide`] checks a link against the tree of procuratorates and the links the two records
//! already hold: the two records are in different procuratorates of one tree, at different congress levels,
//! and neither already has a link into the other's register (one person is one record per register).

use serde::{Deserialize, Serialize};

use crate::Localized;
use crate::ids::{DeputyId, TenantId};
use crate::registry::DeputyLevel;
use crate::tenant::TenantTree;

/// One side of a link: a record on a procuratorate's register, with the level of its congress.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RegisterEntry {
    /// The procuratorate whose register holds it.
    pub tenant: TenantId,
    /// The record.
    pub deputy: DeputyId,
    /// The level of the congress the person sits in as this record says.
    pub level: DeputyLevel,
}

/// How the two records were found to be one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LinkBasis {
    /// The same ID number (compared by its keyed hash, one key for the deployment): linked automatically
    /// when a deputy is registered or imported, or by the console's sweep.
    SameIdNumber,
}

impl LinkBasis {
    /// The stable code (`same_id_number`).
    pub fn code(self) -> &'static str {
        match self {
            Self::SameIdNumber => "same_id_number",
        }
    }
    /// In Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            Self::SameIdNumber => "身份证号相同",
        }
    }
}

/// A link: two records of one person, the sides in a fixed order (by procuratorate id), so a pair is
/// written one way only.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DeputyLink {
    /// The side whose procuratorate id sorts first.
    pub first: RegisterEntry,
    /// The other side.
    pub second: RegisterEntry,
    /// How they were found to be one person.
    pub basis: LinkBasis,
}

impl DeputyLink {
    /// The side of `tenant`, and the other one; `None` when neither is of `tenant`.
    pub fn sides(&self, tenant: &TenantId) -> Option<(&RegisterEntry, &RegisterEntry)> {
        if &self.first.tenant == tenant {
            Some((&self.first, &self.second))
        } else if &self.second.tenant == tenant {
            Some((&self.second, &self.first))
        } else {
            None
        }
    }
    /// Whether the record is one of its sides.
    pub fn holds(&self, e: &RegisterEntry) -> bool {
        (self.first.tenant == e.tenant && self.first.deputy == e.deputy)
            || (self.second.tenant == e.tenant && self.second.deputy == e.deputy)
    }
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum LinkEvent {
    /// Two records were linked (audited as `deputy.linked` in both procuratorates' chains).
    Linked {
        /// The link.
        link: DeputyLink,
    },
}

impl LinkEvent {
    /// The stable name of its audit record.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Linked { .. } => "deputy.linked",
        }
    }
}

/// Why a link was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LinkError {
    /// Both records are on one register: one person is one record per register (a duplicate, not a link).
    #[error("both records are on the register of {0}: one person has one record per register")]
    SameTenant(TenantId),
    /// Both records say the same congress level: one person sits in one congress per level.
    #[error("both records are deputies to a {} congress: a link joins records of different levels", .0.code())]
    SameLevel(DeputyLevel),
    /// No procuratorate has this id.
    #[error("no procuratorate {0}")]
    UnknownTenant(TenantId),
    /// The two procuratorates are in different trees (different provinces' deployments).
    #[error("{0} and {1} are not in one tree of procuratorates")]
    OtherTree(TenantId, TenantId),
    /// One of the records already has a link into the other's register.
    #[error("the record in {0} is already linked to a record of {1}")]
    AlreadyLinked(TenantId, TenantId),
}

impl LinkError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::SameTenant(_) => "deputy_link.same_tenant",
            Self::SameLevel(_) => "deputy_link.same_level",
            Self::UnknownTenant(_) => "deputy_link.unknown_tenant",
            Self::OtherTree(..) => "deputy_link.other_tree",
            Self::AlreadyLinked(..) => "deputy_link.already_linked",
        }
    }
    /// The caller's input is at fault (an id that names nothing); the others are the records' state.
    pub fn is_input(&self) -> bool {
        matches!(self, Self::UnknownTenant(_))
    }
}

impl Localized for LinkError {
    fn zh(&self) -> String {
        match self {
            Self::SameTenant(t) => format!("两条记录都在 {t} 的名册上：同一人在一本名册上只有一条记录"),
            Self::SameLevel(l) => format!("两条记录都是{}人大代表：只能关联不同层级人大的代表记录", l.zh()),
            Self::UnknownTenant(t) => format!("找不到检察院 {t}"),
            Self::OtherTree(a, b) => format!("检察院 {a} 和 {b} 不在同一上下级体系中"),
            Self::AlreadyLinked(a, b) => format!("{a} 名册上的这条记录已与 {b} 名册上的记录关联"),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

crate::aggregate::domain_error!(LinkError);
crate::aggregate::domain_event!(LinkEvent);

/// The root of `id`'s tree (itself when it has no parent); `None` when `id` is unknown.
fn root_of(tree: &TenantTree, id: &TenantId) -> Option<TenantId> {
    let mut at = tree.get(id)?;
    let mut steps = 0;
    while let Some(p) = at.parent.as_ref().and_then(|p| tree.get(p)) {
        at = p;
        steps += 1;
        // A loop only rows edited by hand could make: no tree.
        if steps > 16 {
            return None;
        }
    }
    Some(at.id.clone())
}

/// The links the records concerned already hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterLinks {
    links: Vec<DeputyLink>,
}

impl RegisterLinks {
    /// The links as stored (those of the records a command names suffice).
    pub fn new(links: impl IntoIterator<Item = DeputyLink>) -> Self {
        Self { links: links.into_iter().collect() }
    }

    /// The links, in the order held.
    pub fn links(&self) -> &[DeputyLink] {
        &self.links
    }

    /// Check a link of `a` and `b` as one person found by `basis`; the event, or why not.
    pub fn decide(
        &self,
        tree: &TenantTree,
        a: RegisterEntry,
        b: RegisterEntry,
        basis: LinkBasis,
    ) -> Result<Vec<LinkEvent>, LinkError> {
        if a.tenant == b.tenant {
            return Err(LinkError::SameTenant(a.tenant));
        }
        let ra = root_of(tree, &a.tenant).ok_or_else(|| LinkError::UnknownTenant(a.tenant.clone()))?;
        let rb = root_of(tree, &b.tenant).ok_or_else(|| LinkError::UnknownTenant(b.tenant.clone()))?;
        if ra != rb {
            return Err(LinkError::OtherTree(a.tenant, b.tenant));
        }
        if a.level == b.level {
            return Err(LinkError::SameLevel(a.level));
        }
        for (mine, other) in [(&a, &b), (&b, &a)] {
            let taken = self.links.iter().any(|l| {
                l.sides(&mine.tenant)
                    .is_some_and(|(m, o)| m.deputy == mine.deputy && o.tenant == other.tenant)
            });
            if taken {
                return Err(LinkError::AlreadyLinked(mine.tenant.clone(), other.tenant.clone()));
            }
        }
        let (first, second) = if a.tenant <= b.tenant { (a, b) } else { (b, a) };
        Ok(vec![LinkEvent::Linked { link: DeputyLink { first, second, basis } }])
    }

    /// Fold an event.
    pub fn apply(&mut self, e: &LinkEvent) {
        match e {
            LinkEvent::Linked { link } => self.links.push(link.clone()),
        }
    }
}

#[cfg(test)]
mod tests;
