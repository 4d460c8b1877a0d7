//! 联络组织 (C2 on the pages): the organisation a liaison office sets up in January — the regions of the
//! jurisdiction and the leadership member who answers for each (包片), the leaders, the departments with the
//! delegations they are paired with (对口) and the regions they serve, and the liaison officers with their
//! regions. Each form is one `OrgInput` through `App::change_organisation` (the API's use case, under
//! `manage_organisation`), with the organisation's version the page showed (a stale page is refused).

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::views::OrganisationView;
use liaison_app::{AppError, ErrorKind, OrgInput};
use liaison_core::access::Action;
use serde::Deserialize;

use super::super::suggestions::FormData;
use super::super::{Chrome, Cookies, failed, refusal_text, render, see_other, staff, staff_post};
use crate::AppState;

/// A department as the page lists it.
pub(crate) struct Dept {
    name: String,
    delegations: String,
    regions: String,
}

/// An officer as the page lists it.
pub(crate) struct Officer {
    name: String,
    department: String,
    regions: String,
    active: bool,
}

#[derive(Template)]
#[template(path = "staff/register_organisation.html")]
struct OrgPage {
    chrome: Chrome,
    version: u64,
    /// (region, its leader's name or empty).
    regions: Vec<(String, String)>,
    /// (name, title).
    leaders: Vec<(String, String)>,
    departments: Vec<Dept>,
    officers: Vec<Officer>,
    may_change: bool,
    /// The form that was refused (its `action`), and what it held.
    form: FormData,
    error: Option<String>,
    done: Option<&'static str>,
}

impl OrgPage {
    /// What the refused form held in `field`, when `action` is the form that was refused.
    fn kept(&self, action: &str, field: &str) -> &str {
        if self.form.get("action") == action { self.form.get(field) } else { "" }
    }
}

fn page(
    chrome: Chrome,
    org: OrganisationView,
    may_change: bool,
    form: FormData,
    error: Option<String>,
    done: Option<&'static str>,
) -> OrgPage {
    let dept_name = |id: Option<uuid::Uuid>| {
        id.and_then(|id| org.departments.iter().find(|d| d.id == id))
            .map(|d| d.name.clone())
            .unwrap_or_default()
    };
    OrgPage {
        chrome,
        version: org.version,
        regions: org
            .regions
            .iter()
            .map(|r| (r.name.clone(), r.leader_name.clone().unwrap_or_default()))
            .collect(),
        leaders: org.leaders.iter().map(|l| (l.name.clone(), l.title.clone().unwrap_or_default())).collect(),
        departments: org
            .departments
            .iter()
            .map(|d| Dept {
                name: d.name.clone(),
                delegations: d.delegations.join("、"),
                regions: d.regions.join("、"),
            })
            .collect(),
        officers: org
            .officers
            .iter()
            .map(|o| Officer {
                name: o.name.clone(),
                department: dept_name(o.department),
                regions: o.regions.join("、"),
                active: o.active,
            })
            .collect(),
        may_change,
        form,
        error,
        done,
    }
}

/// `?done=`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Done {
    #[serde(default)]
    done: String,
}

/// `GET /register/organisation`.
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(d): Query<Done>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let p = session.principal.clone();
    match crate::blocking(&s, move |app| app.organisation(&p)).await {
        Ok(org) => {
            let done = (d.done == "1").then_some("已保存。");
            let may = session.principal.may(Action::ManageOrganisation);
            render(
                StatusCode::OK,
                &page(Chrome::of(&session, "register"), org, may, FormData::default(), None, done),
            )
        }
        Err(e) => super::refusal(&e, "/register"),
    }
}

/// The command a form names, from its fields; `None` for a name no form has.
fn input_of(f: &FormData) -> Option<OrgInput> {
    let t = |k: &str| f.get(k).trim().to_owned();
    let opt = |k: &str| Some(t(k)).filter(|v| !v.is_empty());
    Some(match f.get("action") {
        "add_region" => OrgInput::AddRegion { name: t("name") },
        "add_leader" => OrgInput::AddLeader { name: t("name"), title: opt("title") },
        "set_region_leader" => OrgInput::SetRegionLeader { region: t("region"), leader: opt("leader") },
        "add_department" => OrgInput::AddDepartment { name: t("name") },
        "pair_delegation" => {
            OrgInput::PairDelegation { department: t("department"), delegation: t("delegation") }
        }
        "add_department_region" => {
            OrgInput::AddDepartmentRegion { department: t("department"), region: t("region") }
        }
        "add_officer" => OrgInput::AddOfficer {
            name: t("name"),
            department: opt("department"),
            regions: f.all("regions").into_iter().filter(|r| !r.trim().is_empty()).collect(),
        },
        "deactivate_officer" => OrgInput::DeactivateOfficer { officer: t("officer") },
        _ => return None,
    })
}

fn field_zh(f: &str) -> &'static str {
    match f {
        "name" => "名称",
        "title" => "职务",
        "region" | "regions" => "区域",
        "leader" => "院领导",
        "department" => "部门",
        "delegation" => "代表团或选区",
        "officer" => "联络员",
        _ => "",
    }
}

/// `POST /register/organisation`: one change of the organisation.
pub(crate) async fn change(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = FormData::parse(&body);
    let (session, _) = match staff_post(&s, cookies, &headers, f.get("csrf")).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Some(input) = input_of(&f) else {
        return super::refusal(
            &AppError::Invalid(vec![liaison_core::FieldError::new(
                "action",
                &liaison_core::ValueError::OneOf("the forms of this page"),
            )]),
            "/register/organisation",
        );
    };
    // The version the page showed: a form without it is refused like a stale one, never applied blind.
    let expected = f.get("version").trim().parse::<u64>().unwrap_or(u64::MAX);
    let error = match s.app.change_organisation(&session.principal, input, Some(expected), None).await {
        Ok(_) => return see_other("/register/organisation?done=1"),
        Err(e)
            if matches!(e.kind(), ErrorKind::Internal | ErrorKind::Unavailable | ErrorKind::StorageFull) =>
        {
            return failed(&e);
        }
        Err(e) if e.kind() == ErrorKind::Forbidden => return super::refusal(&e, "/register/organisation"),
        Err(AppError::Stale { .. }) => "联络组织已被他人修改：请核对下面的最新内容后再提交。".to_owned(),
        Err(e) => refusal_text(&e, field_zh),
    };
    let p = session.principal.clone();
    match crate::blocking(&s, move |app| app.organisation(&p)).await {
        Ok(org) => {
            let may = session.principal.may(Action::ManageOrganisation);
            let page = page(Chrome::of(&session, "register"), org, may, f, Some(error), None);
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => failed(&e),
    }
}
