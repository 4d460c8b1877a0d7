//! A deputy of two congresses (issue 20, part 2): a county deputy who is also a city deputy is one record on
//! the county procuratorate's register and one on the city's. The register knows a person by the keyed hash
//! of the ID number, under one key for the whole deployment, so the same person is found on another
//! register of the tree without reading it: when a deputy is registered or imported, and by the console's
//! sweep (`liaison tenant link-deputies`) for records made before or changed since. Each link is decided by
//! the core (`registry::link`: different procuratorates of one tree, different congress levels, one link per
//! record into each other register), stored as one row per side in that side's tenant, and audited as
//! `deputy.linked` in both procuratorates' chains.
//!
//! What a side shows of the other is the other congress's level and the other procuratorate's name
//! ([`OtherRegisterView`]): no id, name, number or contact of the other record.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use liaison_core::ids::{DeputyId, TenantId};
use liaison_core::registry::DeputyLevel;
use liaison_core::registry::link::{DeputyLink, LinkBasis, LinkEvent, RegisterEntry, RegisterLinks};
use liaison_core::tenant::{TenantLevel, TenantTree};
use liaison_core::{Actor, Meta};
use liaison_store::{DeputyLinkRecord, Queries, WriteTx, system_user};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::tenants::tree_of;
use crate::{App, AppError, record};

/// The other register a deputy's record is linked to, as the record's own procuratorate shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OtherRegisterView {
    /// The level of the other congress: `national`, `provincial`, `city`, `county`, `township`.
    pub level: String,
    /// The level in Chinese (市).
    pub level_zh: String,
    /// The other procuratorate's name (杭州市人民检察院).
    pub procuratorate: String,
    /// The line the record shows: 同时是杭州市人大代表（杭州市人民检察院名册）.
    pub text: String,
}

/// What the console's sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkSweep {
    /// The procuratorates swept.
    pub procuratorates: usize,
    /// The links made.
    pub linked: usize,
}

/// The tenant level that matches a congress level: a city procuratorate's own congress is the city's.
fn same_place(tenant: Option<TenantLevel>, deputy: DeputyLevel) -> bool {
    matches!(
        (tenant, deputy),
        (Some(TenantLevel::Province), DeputyLevel::Provincial)
            | (Some(TenantLevel::City), DeputyLevel::City)
            | (Some(TenantLevel::County), DeputyLevel::County)
    )
}

/// The view of the other side of a stored link.
fn view(tree: &TenantTree, l: &DeputyLinkRecord) -> OtherRegisterView {
    let other = tree.get(&l.other_tenant);
    let procuratorate = other.map_or_else(|| l.other_tenant.to_string(), |t| t.name.clone());
    // The congress of the other procuratorate's own place when the level is that place's (杭州市人民检察院,
    // 市: 杭州市人大代表); otherwise the level alone (市级人大代表, 全国人大代表).
    let congress = match (other, procuratorate.strip_suffix("人民检察院")) {
        (Some(t), Some(place)) if !place.is_empty() && same_place(t.level, l.other_level) => place.to_owned(),
        _ if l.other_level == DeputyLevel::National => "全国".to_owned(),
        _ => format!("{}级", l.other_level.zh()),
    };
    OtherRegisterView {
        level: l.other_level.code().to_owned(),
        level_zh: l.other_level.zh().to_owned(),
        text: format!("同时是{congress}人大代表（{procuratorate}名册）"),
        procuratorate,
    }
}

/// The other registers a record is linked to, as its procuratorate shows them.
pub(crate) fn other_registers(
    q: &dyn Queries,
    tenant: &TenantId,
    deputy: DeputyId,
) -> Result<Vec<OtherRegisterView>, liaison_store::StoreError> {
    other_registers_of(q, &q.deputy_links(tenant, Some(deputy))?)
}

/// [`other_registers`] of links already read.
pub(crate) fn other_registers_of(
    q: &dyn Queries,
    links: &[DeputyLinkRecord],
) -> Result<Vec<OtherRegisterView>, liaison_store::StoreError> {
    if links.is_empty() {
        return Ok(Vec::new());
    }
    let tree = tree_of(q)?;
    Ok(links.iter().map(|l| view(&tree, l)).collect())
}

/// A stored side as the core's link.
fn as_link(r: &DeputyLinkRecord) -> DeputyLink {
    let basis = LinkBasis::SameIdNumber;
    let mine = RegisterEntry { tenant: r.tenant.clone(), deputy: r.deputy, level: r.level };
    let other =
        RegisterEntry { tenant: r.other_tenant.clone(), deputy: r.other_deputy, level: r.other_level };
    if mine.tenant <= other.tenant {
        DeputyLink { first: mine, second: other, basis }
    } else {
        DeputyLink { first: other, second: mine, basis }
    }
}

/// The meta of a link's record in the other side's chain: the system's, naming the procuratorate where it
/// was found (its own chain has the person or the console that caused it).
fn other_side_meta(meta: &Meta, from: &TenantId) -> Meta {
    Meta {
        actor: Actor { user: system_user(), name: "system".into(), via: Some(format!("deputy.link:{from}")) },
        at: meta.at,
        reason: Some("同一身份证号的代表在上下级检察院名册中各有一条记录".into()),
    }
}

/// Store both sides of a link and audit it in both chains (`deputy.linked`: the record's own id, the other
/// procuratorate and the two levels — not the other record's id).
fn persist(
    tx: &mut dyn WriteTx,
    tree: &TenantTree,
    meta: &Meta,
    from: &TenantId,
    link: &DeputyLink,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    for (mine, other) in [(&link.first, &link.second), (&link.second, &link.first)] {
        tx.insert_deputy_link(&DeputyLinkRecord {
            tenant: mine.tenant.clone(),
            deputy: mine.deputy,
            level: mine.level,
            other_tenant: other.tenant.clone(),
            other_deputy: other.deputy,
            other_level: other.level,
            basis: link.basis.code().to_owned(),
            linked_at: at,
        })?;
        let payload = serde_json::json!({
            "level": mine.level.code(),
            "other_procuratorate": other.tenant,
            "other_procuratorate_name": tree.get(&other.tenant).map(|t| t.name.clone()),
            "other_level": other.level.code(),
            "basis": link.basis.code(),
        });
        let m = if &mine.tenant == from { meta.clone() } else { other_side_meta(meta, from) };
        tx.append(&mine.tenant, record(&m, "deputy.linked", "deputy", mine.deputy.to_string(), payload))?;
    }
    Ok(())
}

/// Link the current records of `tenant` (one record when `deputy` is given) with the same person's current
/// records on the other registers of its tree, inside the caller's transaction. A pair the core refuses
/// (the same level, another tree, a record already linked into that register) is no link to make, not an
/// error of the registration. Returns how many links were made.
pub(crate) fn link_same_person(
    tx: &mut dyn WriteTx,
    tenant: &TenantId,
    deputy: Option<DeputyId>,
    meta: &Meta,
) -> Result<usize, AppError> {
    let found = tx.same_id_elsewhere(tenant, deputy)?;
    link_found(tx, tenant, deputy, meta, found)
}

/// [`link_same_person`] with the records of the same person already looked up (`same_id_elsewhere`).
pub(crate) fn link_found(
    tx: &mut dyn WriteTx,
    tenant: &TenantId,
    deputy: Option<DeputyId>,
    meta: &Meta,
    found: Vec<liaison_store::SameIdElsewhere>,
) -> Result<usize, AppError> {
    if found.is_empty() {
        return Ok(0);
    }
    let tree = tree_of(tx)?;
    // The links each record of this register holds, those made here included.
    let mut mine: HashMap<DeputyId, Vec<DeputyLink>> = HashMap::new();
    for r in tx.deputy_links(tenant, deputy)? {
        mine.entry(r.deputy).or_default().push(as_link(&r));
    }
    let mut made = 0;
    for f in found {
        let a = RegisterEntry { tenant: tenant.clone(), deputy: f.deputy, level: f.level };
        let b =
            RegisterEntry { tenant: f.other_tenant.clone(), deputy: f.other_deputy, level: f.other_level };
        // Already linked into that register (the sweep run again): the core would refuse; skip the read.
        let linked_there = |l: &DeputyLink| l.sides(tenant).is_some_and(|(_, o)| o.tenant == b.tenant);
        if mine.get(&a.deputy).is_some_and(|ls| ls.iter().any(linked_there)) {
            continue;
        }
        // The other record's links (its own register's rows of that one record).
        let theirs = tx.deputy_links(&b.tenant, Some(b.deputy))?;
        let held = mine.get(&a.deputy).into_iter().flatten().cloned().chain(theirs.iter().map(as_link));
        let Ok(events) = RegisterLinks::new(held).decide(&tree, a, b, LinkBasis::SameIdNumber) else {
            continue;
        };
        for e in &events {
            let LinkEvent::Linked { link } = e else { continue };
            persist(tx, &tree, meta, tenant, link, meta.at)?;
            mine.entry(f.deputy).or_default().push(link.clone());
            made += 1;
        }
    }
    Ok(made)
}

impl App {
    /// The console's sweep: link every current record of `tenant` (every procuratorate when `None`) with
    /// the same person's records on the other registers of its tree, one transaction per procuratorate,
    /// audited as the console's in the procuratorate swept and as the system's in the other. For records
    /// made before links existed, or given their ID number since; running it again makes nothing new.
    pub async fn link_registers(
        &self,
        tenant: Option<&str>,
        os_user: Option<&str>,
    ) -> Result<LinkSweep, AppError> {
        let tenants: Vec<TenantId> = match tenant.map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => vec![self.sign_in_tenant(Some(t))?.id],
            None => self.read(|q| tree_of(q))?.walk().into_iter().map(|(_, t)| t.id.clone()).collect(),
        };
        let meta = crate::tenants::console_meta(self.now(), os_user, "deputy link sweep");
        let mut out = LinkSweep::default();
        for t in tenants {
            let m = meta.clone();
            out.linked += self.write(move |tx: &mut dyn WriteTx| link_same_person(tx, &t, None, &m)).await?;
            out.procuratorates += 1;
        }
        Ok(out)
    }

    /// Link the records of the caller's procuratorate after an import (its own transaction, after the
    /// import's): audited as the importer's.
    pub(crate) async fn link_after_import(&self, tenant: &TenantId, meta: Meta) -> Result<usize, AppError> {
        // A link needs another procuratorate's register: with none (one procuratorate), the sweep over every
        // ID-number key of the register (seconds inside a write transaction at national scale) is skipped.
        // A procuratorate created after this read has nothing yet; its own import links what it brings.
        if !self.read(|q| q.tenants())?.iter().any(|t| t.tenant.id != *tenant) {
            return Ok(0);
        }
        let t = tenant.clone();
        self.write(move |tx: &mut dyn WriteTx| link_same_person(tx, &t, None, &meta)).await
    }
}
