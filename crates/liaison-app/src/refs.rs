//! Looking up what a command names — deputies, departments, handlers, the acting officer — and making
//! the core's references to them, refusing what is not on the register or in the organisation.

use liaison_core::ids::{DeputyId, TenantId};
use liaison_core::registry::Deputy;
use liaison_core::suggestion::*;
use liaison_core::{FieldError, ValueError};
use liaison_store::Queries;

use crate::input::deputy_id;
use crate::runner::json_err;
use crate::{AppError, Principal};

pub(crate) fn signer_of(d: &Deputy) -> Signer {
    Signer { deputy: d.id, name: d.data.name.clone(), level: d.data.level }
}

/// Look deputies up on the register: every id must be a current deputy, each listed once.
pub(crate) fn signers(
    q: &dyn Queries,
    tenant: &TenantId,
    field: &str,
    ids: &[String],
) -> Result<Vec<Signer>, AppError> {
    let mut out: Vec<Signer> = Vec::new();
    for s in ids.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let id = deputy_id(field, s)?;
        let sum = q
            .deputy_summary(tenant, id)?
            .ok_or_else(|| AppError::NotFound { what: "deputy", id: s.into() })?;
        if !sum.status.is_current() {
            return Err(AppError::Invalid(vec![FieldError::new(field, &ValueError::Mismatch("in_office"))]));
        }
        let d: Deputy = serde_json::from_str(&sum.data).map_err(|e| AppError::Store(e.into()))?;
        if out.iter().any(|x| x.deputy == id) {
            return Err(AppError::Invalid(vec![FieldError::new(
                field,
                &ValueError::Mismatch("each deputy once"),
            )]));
        }
        out.push(signer_of(&d));
    }
    Ok(out)
}

/// The lead department, co-handlers and handler of an assignment, from their names: the handler is an
/// active account of the lead department (issue 11, item 8: a handler of another department was accepted,
/// then refused at every step, and the item was stuck).
pub(crate) fn assignment_of(
    tx: &dyn Queries,
    tenant: &TenantId,
    lead: &str,
    co_handlers: &[String],
    handler: &str,
) -> Result<(DepartmentRef, Vec<DepartmentRef>, StaffRef), AppError> {
    let org = tx.organisation(tenant)?;
    let lead = department_ref(&org, lead)?;
    let co_handlers = co_handlers
        .iter()
        .filter(|c| !c.trim().is_empty())
        .map(|c| department_ref(&org, c))
        .collect::<Result<Vec<_>, _>>()?;
    let u = tx
        .user_by_login(tenant, handler.trim())?
        .filter(|u| u.active)
        .ok_or_else(|| AppError::NotFound { what: "user", id: handler.to_owned() })?;
    if u.department != Some(lead.id) {
        return Err(AppError::invalid(
            "handler",
            &ValueError::OneOf("主办部门的账号（an account of the lead department）"),
        ));
    }
    Ok((lead, co_handlers, StaffRef { user: u.id, name: u.display_name }))
}

pub(crate) fn department_ref(
    org: &liaison_core::organisation::Organisation,
    s: &str,
) -> Result<DepartmentRef, AppError> {
    let id = crate::organisation::find_department(org, s)?;
    let name = org
        .departments
        .get(&id)
        .map(|d| d.name.clone())
        .ok_or_else(|| AppError::NotFound { what: "department", id: s.to_owned() })?;
    Ok(DepartmentRef { id, name })
}

pub(crate) fn staff(p: &Principal) -> StaffRef {
    StaffRef { user: p.user, name: p.name.clone() }
}

/// A deputy as a reader of publications: level, region and delegation from the register.
pub(crate) fn reader_of(q: &dyn Queries, tenant: &TenantId, d: DeputyId) -> Result<Reader, AppError> {
    let sum = q
        .deputy_summary(tenant, d)?
        .ok_or_else(|| AppError::NotFound { what: "deputy", id: d.to_string() })?;
    let dep: Deputy = serde_json::from_str(&sum.data).map_err(json_err)?;
    Ok(Reader { deputy: d, level: dep.data.level, region: dep.data.region, delegation: dep.data.delegation })
}
