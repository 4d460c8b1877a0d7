//! Procuratorates in one deployment (多院部署): each tenant is a procuratorate, placed in a tree of levels —
//! the provincial procuratorate (省级院) above the city ones (市级院), each city above its counties (县级院).
//!
//! The tree decides who reports to whom: the figures of every procuratorate below reach the level above
//! (报备), never the other way. [`TenantTree::decide`] checks a change against the whole tree — a parent is
//! exactly one level up, names are unique among siblings, no tenant is its own ancestor — and returns the
//! event; [`TenantTree::apply`] folds it. A tenant made before tenants had levels (the single
//! procuratorate `liaison init` makes) is *unplaced* until it is placed once; a placed tenant stays where it
//! is.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::Localized;
use crate::ids::TenantId;
use crate::registry::ShortText;

/// The level of a procuratorate in the tree (院的层级).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TenantLevel {
    /// A provincial procuratorate (省级人民检察院): the root of a tree.
    Province,
    /// A city (prefecture) procuratorate (市级人民检察院), below a province.
    City,
    /// A county (district) procuratorate (县级人民检察院), below a city.
    County,
}

impl TenantLevel {
    /// Every level, from the top.
    pub const ALL: [TenantLevel; 3] = [Self::Province, Self::City, Self::County];

    /// Parse `province`, `city` or `county` (or 省级, 市级, 县级).
    pub fn parse(s: &str) -> Result<Self, crate::ValueError> {
        match s.trim() {
            "province" | "省级" | "省" => Ok(Self::Province),
            "city" | "市级" | "市" => Ok(Self::City),
            "county" | "县级" | "县" => Ok(Self::County),
            _ => Err(crate::ValueError::OneOf("province/city/county")),
        }
    }
    /// The stable code (`province`, `city`, `county`).
    pub fn code(self) -> &'static str {
        match self {
            Self::Province => "province",
            Self::City => "city",
            Self::County => "county",
        }
    }
    /// The name in Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Province => "省级",
            Self::City => "市级",
            Self::County => "县级",
        }
    }
    /// The level a parent of this level must have; `None` for a province (the root).
    pub fn parent_level(self) -> Option<TenantLevel> {
        match self {
            Self::Province => None,
            Self::City => Some(Self::Province),
            Self::County => Some(Self::City),
        }
    }
}

/// A procuratorate of the deployment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenant {
    /// Its id (`default` for the one `liaison init` makes).
    pub id: TenantId,
    /// Its name (`浙江省人民检察院`).
    pub name: String,
    /// Its level; `None` while unplaced (made before tenants had levels).
    pub level: Option<TenantLevel>,
    /// The procuratorate above it; `None` for a root.
    pub parent: Option<TenantId>,
}

/// A change to the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TenantCommand {
    /// Add a procuratorate at `level`, below `parent` (a province has none; a city or county without one
    /// stands alone, as a deployment for one city does).
    Add {
        /// The new tenant's id.
        id: TenantId,
        /// Its name.
        name: ShortText,
        /// Its level.
        level: TenantLevel,
        /// The procuratorate above it.
        parent: Option<TenantId>,
    },
    /// Place an unplaced tenant (the one `liaison init` made) in the tree, once.
    Place {
        /// The tenant.
        id: TenantId,
        /// Its level.
        level: TenantLevel,
        /// The procuratorate above it.
        parent: Option<TenantId>,
    },
}

/// What happened to the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TenantEvent {
    /// A procuratorate was added (audited as `tenant.created`).
    Added {
        /// The tenant.
        tenant: Tenant,
    },
    /// An unplaced tenant was placed (audited as `tenant.placed`).
    Placed {
        /// The tenant.
        id: TenantId,
        /// Its level.
        level: TenantLevel,
        /// The procuratorate above it.
        parent: Option<TenantId>,
    },
}

impl TenantEvent {
    /// The stable name of its audit record.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Added { .. } => "tenant.created",
            Self::Placed { .. } => "tenant.placed",
        }
    }
}

/// Why a change to the tree was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TenantError {
    /// The id is already a tenant's.
    #[error("a tenant with id {0} already exists")]
    IdTaken(TenantId),
    /// No tenant has this id.
    #[error("no tenant {0}")]
    Unknown(TenantId),
    /// A province is the root of its tree: it has no parent.
    #[error("a provincial procuratorate has no procuratorate above it")]
    ProvinceHasParent,
    /// The parent is not one level up.
    #[error("a {} procuratorate's parent must be {}, not {}", .level.code(), .expected.code(),
        .found.map_or("unplaced", TenantLevel::code))]
    WrongParentLevel {
        /// The level of the tenant placed.
        level: TenantLevel,
        /// The level its parent must have.
        expected: TenantLevel,
        /// The parent's level.
        found: Option<TenantLevel>,
    },
    /// A sibling (same parent, or another root) has this name.
    #[error("a procuratorate named {0} already exists at this place")]
    NameTaken(String),
    /// The tenant would be its own ancestor.
    #[error("tenant {0} would be its own ancestor")]
    Cycle(TenantId),
    /// The tenant is already placed.
    #[error("tenant {0} is already placed")]
    AlreadyPlaced(TenantId),
    /// A transfer (转办) to the procuratorate that has the item.
    #[error("an item cannot be transferred to the procuratorate that has it")]
    TransferToSelf,
    /// A transfer (转办) goes within one province's tree, between placed procuratorates.
    #[error("{0} is not a procuratorate of the same province's tree")]
    OutsideTree(TenantId),
}

impl TenantError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::IdTaken(_) => "tenant.id_taken",
            Self::Unknown(_) => "tenant.unknown",
            Self::ProvinceHasParent => "tenant.province_has_parent",
            Self::WrongParentLevel { .. } => "tenant.wrong_parent_level",
            Self::NameTaken(_) => "tenant.name_taken",
            Self::Cycle(_) => "tenant.cycle",
            Self::AlreadyPlaced(_) => "tenant.already_placed",
            Self::TransferToSelf => "tenant.transfer_to_self",
            Self::OutsideTree(_) => "tenant.outside_tree",
        }
    }
}

impl Localized for TenantError {
    fn zh(&self) -> String {
        match self {
            Self::IdTaken(id) => format!("已有标识为 {id} 的检察院"),
            Self::Unknown(id) => format!("找不到检察院 {id}"),
            Self::ProvinceHasParent => "省级检察院之上没有上级检察院".into(),
            Self::WrongParentLevel { level, expected, found } => format!(
                "{}检察院的上级须为{}检察院，而不是{}",
                level.zh(),
                expected.zh(),
                found.map_or("未定层级的检察院", TenantLevel::zh)
            ),
            Self::NameTaken(name) => format!("同一上级之下已有名为“{name}”的检察院"),
            Self::Cycle(id) => format!("检察院 {id} 不能成为自己的上级"),
            Self::AlreadyPlaced(id) => format!("检察院 {id} 已确定层级和上级，不能再改"),
            Self::TransferToSelf => "不能转办给本院".into(),
            Self::OutsideTree(id) => format!("检察院 {id} 不在本省检察院之列，不能转办"),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

impl crate::DomainError for TenantError {
    fn code(&self) -> &'static str {
        TenantError::code(self)
    }
    /// An unknown parent or a level that does not fit are the caller's input.
    fn is_input(&self) -> bool {
        matches!(
            self,
            Self::Unknown(_)
                | Self::ProvinceHasParent
                | Self::WrongParentLevel { .. }
                | Self::TransferToSelf
                | Self::OutsideTree(_)
        )
    }
}

/// In pinyin order of their names (`collation::sort_key`), then by id.
fn by_name(ts: &mut [&Tenant]) {
    ts.sort_by_cached_key(|t| (crate::collation::sort_key(&t.name), t.id.as_str().to_owned()));
}

/// Every procuratorate of the deployment, by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TenantTree {
    tenants: BTreeMap<TenantId, Tenant>,
}

impl TenantTree {
    /// The tree of these tenants (as stored).
    pub fn new(tenants: impl IntoIterator<Item = Tenant>) -> Self {
        Self { tenants: tenants.into_iter().map(|t| (t.id.clone(), t)).collect() }
    }

    /// One tenant.
    pub fn get(&self, id: &TenantId) -> Option<&Tenant> {
        self.tenants.get(id)
    }

    /// The tenants directly below `parent` (`None`: the roots), by name in pinyin order.
    pub fn children(&self, parent: Option<&TenantId>) -> Vec<&Tenant> {
        let mut out: Vec<&Tenant> = self.tenants.values().filter(|t| t.parent.as_ref() == parent).collect();
        by_name(&mut out);
        out
    }

    /// The whole tree in order, each tenant with its depth: a root, then its subtree depth first, children
    /// by name. A tenant whose parent is missing is shown as a root; every tenant is shown once.
    pub fn walk(&self) -> Vec<(usize, &Tenant)> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        let roots =
            self.tenants.values().filter(|t| t.parent.as_ref().is_none_or(|p| !self.tenants.contains_key(p)));
        let mut roots: Vec<&Tenant> = roots.collect();
        by_name(&mut roots);
        for r in roots {
            self.walk_from(r, 0, &mut seen, &mut out);
        }
        // Rows in a loop (edited by hand: the rules never make one) have no root: shown from the first.
        for t in self.tenants.values() {
            self.walk_from(t, 0, &mut seen, &mut out);
        }
        out
    }

    fn walk_from<'a>(
        &'a self,
        t: &'a Tenant,
        depth: usize,
        seen: &mut BTreeSet<TenantId>,
        out: &mut Vec<(usize, &'a Tenant)>,
    ) {
        if !seen.insert(t.id.clone()) {
            return;
        }
        out.push((depth, t));
        for c in self.children(Some(&t.id)) {
            self.walk_from(c, depth + 1, seen, out);
        }
    }

    /// `id` and every procuratorate below it, depth first (children by name), each with its depth below
    /// `id` (0 for `id` itself); empty when `id` is unknown.
    pub fn subtree(&self, id: &TenantId) -> Vec<(usize, &Tenant)> {
        let mut out = Vec::new();
        if let Some(t) = self.tenants.get(id) {
            self.walk_from(t, 0, &mut BTreeSet::new(), &mut out);
        }
        out
    }

    /// Whether `upper` is `lower` or above it.
    pub fn is_at_or_above(&self, upper: &TenantId, lower: &TenantId) -> bool {
        let mut seen = BTreeSet::new();
        let mut at = Some(lower.clone());
        while let Some(id) = at {
            if &id == upper {
                return true;
            }
            if !seen.insert(id.clone()) {
                return false;
            }
            at = self.tenants.get(&id).and_then(|t| t.parent.clone());
        }
        false
    }

    /// The root of a tenant's tree (the province above it, or itself); `None` for an unknown tenant.
    pub fn root_of(&self, id: &TenantId) -> Option<&Tenant> {
        let mut seen = BTreeSet::new();
        let mut at = self.tenants.get(id)?;
        while let Some(parent) = at.parent.as_ref().and_then(|p| self.tenants.get(p)) {
            if !seen.insert(at.id.clone()) {
                return None;
            }
            at = parent;
        }
        Some(at)
    }

    /// Whether an item of `from` may be transferred (转办) to `to`: another placed procuratorate of the same
    /// tree — any level, up, down or across (a county's item that belongs to the city, a province's item
    /// that belongs to a county, one county's item that belongs to its neighbour).
    pub fn check_transfer(&self, from: &TenantId, to: &TenantId) -> Result<&Tenant, TenantError> {
        if from == to {
            return Err(TenantError::TransferToSelf);
        }
        let target = self.tenants.get(to).ok_or_else(|| TenantError::Unknown(to.clone()))?;
        let placed = |t: &Tenant| t.level.is_some();
        let same_tree = match (self.root_of(from), self.root_of(to)) {
            (Some(a), Some(b)) => a.id == b.id,
            _ => false,
        };
        if !same_tree || !placed(target) || !self.tenants.get(from).is_some_and(placed) {
            return Err(TenantError::OutsideTree(to.clone()));
        }
        Ok(target)
    }

    /// Check a change; the event it makes or why it is refused.
    pub fn decide(&self, cmd: TenantCommand) -> Result<Vec<TenantEvent>, TenantError> {
        match cmd {
            TenantCommand::Add { id, name, level, parent } => {
                if self.tenants.contains_key(&id) {
                    return Err(TenantError::IdTaken(id));
                }
                self.check_place(&id, level, parent.as_ref())?;
                let name = name.as_str().to_owned();
                if self.children(parent.as_ref()).iter().any(|s| s.name == name) {
                    return Err(TenantError::NameTaken(name));
                }
                Ok(vec![TenantEvent::Added { tenant: Tenant { id, name, level: Some(level), parent } }])
            }
            TenantCommand::Place { id, level, parent } => {
                let t = self.tenants.get(&id).ok_or_else(|| TenantError::Unknown(id.clone()))?;
                if t.level.is_some() {
                    return Err(TenantError::AlreadyPlaced(id));
                }
                self.check_place(&id, level, parent.as_ref())?;
                if self.children(parent.as_ref()).iter().any(|s| s.id != id && s.name == t.name) {
                    return Err(TenantError::NameTaken(t.name.clone()));
                }
                Ok(vec![TenantEvent::Placed { id, level, parent }])
            }
        }
    }

    /// A tenant `id` at `level` below `parent`: the parent exists, is one level up, and is not `id` nor
    /// below it.
    fn check_place(
        &self,
        id: &TenantId,
        level: TenantLevel,
        parent: Option<&TenantId>,
    ) -> Result<(), TenantError> {
        let Some(parent) = parent else { return Ok(()) };
        let expected = level.parent_level().ok_or(TenantError::ProvinceHasParent)?;
        let p = self.tenants.get(parent).ok_or_else(|| TenantError::Unknown(parent.clone()))?;
        if self.is_at_or_above(id, parent) {
            return Err(TenantError::Cycle(id.clone()));
        }
        if p.level != Some(expected) {
            return Err(TenantError::WrongParentLevel { level, expected, found: p.level });
        }
        Ok(())
    }

    /// Fold an event.
    pub fn apply(&mut self, e: &TenantEvent) {
        match e {
            TenantEvent::Added { tenant } => {
                self.tenants.insert(tenant.id.clone(), tenant.clone());
            }
            TenantEvent::Placed { id, level, parent } => {
                if let Some(t) = self.tenants.get_mut(id) {
                    t.level = Some(*level);
                    t.parent = parent.clone();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
