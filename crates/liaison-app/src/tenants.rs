//! Procuratorates in one deployment (issue 20, part 2): add one to the tree with its own first
//! administrator, place the one `liaison init` made, and show the tree by name.
//!
//! These are operations of whoever runs the deployment at the console (as `liaison init` is): they need
//! the database and its key, not an account of any one procuratorate — no procuratorate's administrator
//! may make or move another. Each change is decided by the core's `TenantTree` and audited in the chain of
//! the tenant it makes or places (`tenant.created`, `tenant.placed`), and in the chain of the procuratorate
//! above it (`tenant.child_added`): what reaches a procuratorate's roll-up is a change to that
//! procuratorate's reach, so its own auditor sees it in its own chain.

use chrono::{DateTime, Utc};
use liaison_core::ids::TenantId;
use liaison_core::registry::ShortText;
use liaison_core::tenant::{Tenant, TenantCommand, TenantError, TenantEvent, TenantLevel, TenantTree};
use liaison_core::{Actor, Meta};
use liaison_store::{Queries, TenantRecord, WriteTx, default_tenant, system_user};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::identity::{TokenCreated, open_first_admin};
use crate::input::Fields;
use crate::{App, AppError, record};

/// A procuratorate to add (`liaison tenant add`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewTenant {
    /// Its id (`a-z`, `0-9`, `-`; 1–40); made up when absent.
    pub id: Option<String>,
    /// Its name (`杭州市人民检察院`).
    pub name: String,
    /// `province`, `city` or `county`.
    pub level: String,
    /// The id of the procuratorate above it.
    pub parent: Option<String>,
}

/// A procuratorate as lists show it: by name, with its level and the name of the one above it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TenantView {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// `province`, `city` or `county`; absent while unplaced.
    pub level: Option<String>,
    /// The level in Chinese (省级, 市级, 县级; 未定 while unplaced).
    pub level_name: String,
    /// The id of the procuratorate above it.
    pub parent: Option<String>,
    /// The name of the procuratorate above it.
    pub parent_name: Option<String>,
    /// How deep in the tree (0: a root) or below the procuratorate asking (0: itself).
    pub depth: usize,
}

impl TenantView {
    pub(crate) fn of(tree: &TenantTree, t: &Tenant, depth: usize) -> Self {
        Self {
            id: t.id.to_string(),
            name: t.name.clone(),
            level: t.level.map(|l| l.code().to_owned()),
            level_name: t.level.map_or("未定", TenantLevel::zh).to_owned(),
            parent: t.parent.as_ref().map(ToString::to_string),
            parent_name: t.parent.as_ref().and_then(|p| tree.get(p)).map(|p| p.name.clone()),
            depth,
        }
    }
}

/// What `tenant add` made: the procuratorate and its system administrator's first token, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantAdded {
    /// The procuratorate.
    pub tenant: TenantView,
    /// The token of its administrator `admin` (shown once).
    pub admin_token: TokenCreated,
}

/// The tree as stored.
pub(crate) fn tree_of(q: &dyn Queries) -> Result<TenantTree, liaison_store::StoreError> {
    Ok(TenantTree::new(q.tenants()?.into_iter().map(|r| r.tenant)))
}

fn tenant_id(field: &str, s: &str) -> Result<TenantId, AppError> {
    TenantId::parse(s.trim()).map_err(|e| AppError::invalid(field, &e))
}

/// The console's actor: the deployment's operator, not an account of any procuratorate.
pub(crate) fn console_meta(at: DateTime<Utc>, os_user: Option<&str>, reason: &str) -> Meta {
    let via = match os_user.map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => format!("console:{u}"),
        None => "console".to_owned(),
    };
    Meta {
        actor: Actor { user: system_user(), name: "system".into(), via: Some(via) },
        at,
        reason: Some(reason.into()),
    }
}

/// Audit a tree event in the chain of the tenant it concerns and, when it has one, of its parent.
fn audit(tx: &mut dyn WriteTx, meta: &Meta, e: &TenantEvent) -> Result<(), AppError> {
    let (id, parent, payload) = match e {
        TenantEvent::Added { tenant } => (
            &tenant.id,
            tenant.parent.as_ref(),
            serde_json::json!({ "name": tenant.name, "level": tenant.level.map(TenantLevel::code),
                "parent": tenant.parent }),
        ),
        TenantEvent::Placed { id, level, parent } => {
            (id, parent.as_ref(), serde_json::json!({ "level": level.code(), "parent": parent }))
        }
        _ => return Ok(()),
    };
    tx.append(id, record(meta, e.kind(), "tenant", id, &payload))?;
    if let Some(parent) = parent {
        tx.append(parent, record(meta, "tenant.child_added", "tenant", id, &payload))?;
    }
    Ok(())
}

impl App {
    /// Add a procuratorate below `parent` with its own system administrator `admin`, whose first token is
    /// returned (shown once, as `liaison init` shows the default tenant's). Refused, naming the field, for a
    /// bad id, name or level, an unknown parent, a parent not one level up, or a sibling of the same name.
    pub async fn add_tenant(&self, input: NewTenant, os_user: Option<&str>) -> Result<TenantAdded, AppError> {
        let mut f = Fields(Vec::new());
        let id = match input.id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(id) => f.take("id", TenantId::parse(id)),
            None => TenantId::parse(&format!("t-{}", &crate::new_id().simple().to_string()[20..])).ok(),
        };
        let name = f.take("name", ShortText::parse(&input.name));
        let level = f.take("level", TenantLevel::parse(&input.level));
        let parent = match input.parent.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(p) => f.take("parent", TenantId::parse(p)).map(Some),
            None => Some(None),
        };
        f.done()?;
        let (Some(id), Some(name), Some(level), Some(parent)) = (id, name, level, parent) else {
            return Err(AppError::Contract("tenant input checked"));
        };
        let meta = console_meta(self.now(), os_user, "tenant add");
        self.write(move |tx: &mut dyn WriteTx| {
            let mut tree = tree_of(tx)?;
            let events = tree.decide(TenantCommand::Add { id: id.clone(), name, level, parent })?;
            for e in &events {
                if let TenantEvent::Added { tenant } = e {
                    tx.insert_tenant_record(&TenantRecord { tenant: tenant.clone(), created_at: meta.at })?;
                }
                audit(tx, &meta, e)?;
                tree.apply(e);
            }
            let token = open_first_admin(tx, &id, &meta)?;
            let t = tree.get(&id).ok_or_else(|| AppError::Contract("the tenant just added"))?;
            Ok(TenantAdded { tenant: TenantView::of(&tree, t, 0), admin_token: token })
        })
        .await
    }

    /// Place a tenant made before tenants had levels (the one `liaison init` made) in the tree, once.
    pub async fn place_tenant(
        &self,
        id: &str,
        level: &str,
        parent: Option<&str>,
        os_user: Option<&str>,
    ) -> Result<TenantView, AppError> {
        let id = tenant_id("id", id)?;
        let level = crate::input::word("level", level, TenantLevel::parse)?;
        let parent =
            parent.map(str::trim).filter(|p| !p.is_empty()).map(|p| tenant_id("parent", p)).transpose()?;
        let meta = console_meta(self.now(), os_user, "tenant place");
        self.write(move |tx: &mut dyn WriteTx| {
            let mut tree = tree_of(tx)?;
            for e in tree.decide(TenantCommand::Place { id: id.clone(), level, parent: parent.clone() })? {
                tx.place_tenant(&id, level, parent.as_ref())?;
                audit(tx, &meta, &e)?;
                tree.apply(&e);
            }
            let t = tree.get(&id).ok_or_else(|| AppError::Contract("the tenant just placed"))?;
            Ok(TenantView::of(&tree, t, 0))
        })
        .await
    }

    /// Every procuratorate of the deployment as a tree: each root, then what is below it, by name.
    pub fn tenant_tree(&self) -> Result<Vec<TenantView>, AppError> {
        let tree = self.read(|q| tree_of(q))?;
        Ok(tree.walk().into_iter().map(|(depth, t)| TenantView::of(&tree, t, depth)).collect())
    }

    /// The procuratorate a sign-in is for (the staff login, the deputy's SMS code, an activation code, the
    /// public figures): the one `requested` names, or — when none is named — the deployment's only one.
    /// Refused, naming the field `tenant`, for a malformed id, and when none is named in a deployment of
    /// several (the caller must choose); an id that is no procuratorate's is `tenant.unknown`, never a
    /// silent fall-back to another.
    pub fn sign_in_tenant(&self, requested: Option<&str>) -> Result<Tenant, AppError> {
        let tree = self.read(|q| tree_of(q))?;
        if let Some(s) = requested.map(str::trim).filter(|s| !s.is_empty()) {
            let id = tenant_id("tenant", s)?;
            return tree.get(&id).cloned().ok_or_else(|| TenantError::Unknown(id).into());
        }
        match tree.walk().as_slice() {
            [(_, only)] => Ok((*only).clone()),
            // Not yet started: the default tenant, as before there were several.
            [] => Ok(Tenant { id: default_tenant(), name: String::new(), level: None, parent: None }),
            _ => Err(AppError::invalid("tenant", &liaison_core::ValueError::Required)),
        }
    }
}
