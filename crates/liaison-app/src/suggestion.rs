//! Suggestion use cases (R1, P1.3): file, assign, handle, answer, rate (own account, one-use link, or a
//! transcribed paper form), re-handle, close; improvement measures; due lists; figures; the deployment's
//! policy. Each command is one transaction: load, check permission and scope, let the core decide, save the
//! new state with its next deadline, append the events to the audit chain.

use chrono::NaiveDate;
use liaison_core::access::{Action, Role};
use liaison_core::calendar::{Period, WorkCalendar};
use liaison_core::ids::{DepartmentId, DeputyId, MeasureId, SuggestionId, TenantId, UserId};
use liaison_core::registry::{Deputy, LongText, ShortText, parse_date};
use liaison_core::suggestion::*;
use liaison_core::{Actor, FieldError, Meta, ValueError};
use liaison_store::{LinkRecord, Queries, RecordQuery, RecordRow, StoredRecord, WriteTx};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::registry::Idempotency;
use crate::{App, AppError, Page, Principal, record};

pub(crate) const SUGGESTION: &str = "suggestion";
/// The kind of a one-use link for a deputy of the body rating a published answer.
pub(crate) const BODY_LINK: &str = "suggestion.body";
pub(crate) const MEASURE: &str = "measure";
const SETTINGS: &str = "settings";
pub(crate) const POLICY_ID: &str = "suggestion_policy";

mod wire;

pub use wire::*;

// ---------------------------------------------------------------------------------------------------
// Parsing helpers
// ---------------------------------------------------------------------------------------------------

#[derive(Default)]
pub(crate) struct Fields(pub(crate) Vec<FieldError>);

impl Fields {
    pub(crate) fn take<T>(&mut self, field: &str, r: Result<T, ValueError>) -> Option<T> {
        r.map_err(|e| self.0.push(FieldError::new(field, &e))).ok()
    }
    pub(crate) fn done(self) -> Result<(), AppError> {
        if self.0.is_empty() { Ok(()) } else { Err(AppError::Invalid(self.0)) }
    }
}

pub(crate) fn long(field: &str, s: &str) -> Result<LongText, AppError> {
    LongText::parse(s).map_err(|e| AppError::invalid(field, &e))
}

pub(crate) fn short(field: &str, s: &str) -> Result<ShortText, AppError> {
    ShortText::parse(s).map_err(|e| AppError::invalid(field, &e))
}

fn date(field: &str, s: &str) -> Result<NaiveDate, AppError> {
    parse_date(s).map_err(|e| AppError::invalid(field, &e))
}

pub(crate) fn deputy_id(field: &str, s: &str) -> Result<DeputyId, AppError> {
    DeputyId::parse(s).map_err(|_| AppError::invalid(field, &ValueError::OneOf("a deputy id (uuid)")))
}

pub(crate) fn word<T>(field: &str, s: &str, p: fn(&str) -> Result<T, ValueError>) -> Result<T, AppError> {
    p(s).map_err(|e| AppError::invalid(field, &e))
}

/// `3m` (months) or `20d` (working days).
pub fn parse_period(s: &str) -> Result<Period, ValueError> {
    let s = s.trim();
    let bad = ValueError::OneOf("Nm (months) or Nd (working days), e.g. 3m, 20d");
    let (n, unit) = s.split_at(s.len().saturating_sub(1));
    let n: u32 = n.trim().parse().map_err(|_| bad.clone())?;
    match unit {
        "m" | "M" => Ok(Period::Months(n)),
        "d" | "D" => Ok(Period::WorkingDays(n)),
        _ => Err(bad),
    }
}

/// The text form of a period (`3m`, `20d`).
pub fn period_text(p: Period) -> String {
    match p {
        Period::Months(n) => format!("{n}m"),
        Period::WorkingDays(n) => format!("{n}d"),
    }
}

fn signer_of(d: &Deputy) -> Signer {
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
fn assignment_of(
    tx: &mut dyn WriteTx,
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

// ---------------------------------------------------------------------------------------------------
// Persistence
// ---------------------------------------------------------------------------------------------------

pub(crate) fn json_err(e: serde_json::Error) -> AppError {
    AppError::Store(e.into())
}

pub(crate) fn load_policy(q: &dyn Queries, tenant: &TenantId) -> Result<(SuggestionPolicy, u64), AppError> {
    match q.record(tenant, SETTINGS, POLICY_ID)? {
        Some(r) => Ok((serde_json::from_str(&r.data).map_err(json_err)?, r.version)),
        None => Ok((SuggestionPolicy::default(), 0)),
    }
}

pub(crate) fn parse_suggestion(r: &StoredRecord) -> Result<Suggestion, AppError> {
    serde_json::from_str(&r.data).map_err(json_err)
}

/// Find a suggestion by id or number.
pub(crate) fn find_suggestion(q: &dyn Queries, tenant: &TenantId, key: &str) -> Result<Suggestion, AppError> {
    let key = key.trim();
    let rec = if SuggestionNumber::parse(key).is_ok() {
        q.record_by_number(tenant, SUGGESTION, key)?
    } else {
        q.record(tenant, SUGGESTION, key)?
    };
    rec.as_ref()
        .map(parse_suggestion)
        .transpose()?
        .ok_or_else(|| AppError::NotFound { what: "suggestion", id: key.into() })
}

pub(crate) fn suggestion_row(
    s: &Suggestion,
    policy: &SuggestionPolicy,
    cal: &WorkCalendar,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<RecordRow, AppError> {
    let mut departments: Vec<String> = Vec::new();
    if let Some(a) = &s.assignment {
        departments.push(a.lead.id.to_string());
        departments.extend(a.co_handlers.iter().map(|c| c.department.id.to_string()));
    }
    Ok(RecordRow {
        kind: SUGGESTION,
        id: s.id.to_string(),
        version: s.version,
        number: s.number.map(|n| n.to_string()),
        status: s.status.code().to_owned(),
        department: s.assignment.as_ref().map(|a| a.lead.id.to_string()),
        handler: s.assignment.as_ref().map(|a| a.handler.user.to_string()),
        due_on: s.next_deadline(policy, cal).map(|o| o.due.to_string()),
        opened_on: s.received_on.to_string(),
        data: serde_json::to_string(s).map_err(json_err)?,
        deputies: s
            .proposers
            .iter()
            .chain(&s.withdrawn)
            .chain(&s.panel)
            .map(|p| p.deputy.to_string())
            .collect(),
        departments,
        tags: if s.publications.is_empty() { vec![] } else { vec!["published".into()] },
        summary: Some(serde_json::to_string(&SuggestionFacts::of(s)).map_err(json_err)?),
        updated_at: at,
    })
}

fn append_events(
    tx: &mut dyn WriteTx,
    tenant: &TenantId,
    meta: &Meta,
    id: SuggestionId,
    events: &[SuggestionEvent],
) -> Result<(), AppError> {
    for e in events {
        tx.append(tenant, record(meta, e.kind(), SUGGESTION, id.to_string(), e))?;
    }
    Ok(())
}

/// Receive and register a suggestion inside a transaction, with the year's next number.
pub(crate) fn file_in(
    tx: &mut dyn WriteTx,
    tenant: &TenantId,
    meta: &Meta,
    cal: &WorkCalendar,
    policy: &SuggestionPolicy,
    (title, content, source, received_on): (ShortText, LongText, Source, NaiveDate),
    proposers: Vec<Signer>,
) -> Result<Suggestion, AppError> {
    let received = Suggestion::receive(title, content, source, received_on, proposers)?;
    let id = SuggestionId(crate::new_id());
    let mut s = Suggestion::from_received(id, &received)
        .ok_or(AppError::Store(liaison_store::StoreError::WriterGone))?;
    let year = chrono::Datelike::year(&received_on);
    let seq = tx.next_number(tenant, &format!("suggestion-{year}"))?;
    let number = SuggestionNumber { year, seq: u32::try_from(seq).unwrap_or(u32::MAX) };
    let events =
        s.decide(SuggestionCommand::Register { number }, Ctx { today: meta.today(), policy, calendar: cal })?;
    for e in &events {
        s.apply(e);
    }
    tx.insert_record(tenant, &suggestion_row(&s, policy, cal, meta.at)?)?;
    append_events(tx, tenant, meta, id, &[received])?;
    append_events(tx, tenant, meta, id, &events)?;
    Ok(s)
}

/// Open an improvement measure inside a transaction (linking it to its suggestion, if any).
#[allow(clippy::too_many_arguments)]
pub(crate) fn open_measure_in(
    tx: &mut dyn WriteTx,
    tenant: &TenantId,
    meta: &Meta,
    cal: &WorkCalendar,
    (title, description, deadline): (ShortText, LongText, NaiveDate),
    owner: DepartmentRef,
    origin: MeasureOrigin,
    deputies: Vec<Signer>,
    from: Option<Suggestion>,
) -> Result<Measure, AppError> {
    let opened = Measure::open(title, description, origin, owner, deadline, deputies, meta.today())?;
    let id = MeasureId(crate::new_id());
    let m =
        Measure::from_opened(id, &opened).ok_or(AppError::Store(liaison_store::StoreError::WriterGone))?;
    tx.insert_record(tenant, &measure_row(&m, meta.at)?)?;
    tx.append(tenant, record(meta, opened.kind(), MEASURE, id.to_string(), &opened))?;
    if let Some(s) = from {
        let (policy, _) = load_policy(tx, tenant)?;
        run_command(tx, tenant, meta, cal, &policy, s, None, SuggestionCommand::LinkMeasure { measure: id })?;
    }
    Ok(m)
}

/// Decide a command on a loaded suggestion, save it and audit it.
#[allow(clippy::too_many_arguments)]
pub(crate) fn run_command(
    tx: &mut dyn WriteTx,
    tenant: &TenantId,
    meta: &Meta,
    cal: &WorkCalendar,
    policy: &SuggestionPolicy,
    mut s: Suggestion,
    expected: Option<u64>,
    command: SuggestionCommand,
) -> Result<Suggestion, AppError> {
    if let Some(expected) = expected
        && expected != s.version
    {
        return Err(AppError::Stale {
            what: "suggestion",
            id: s.id.to_string(),
            actual: s.version,
            expected,
        });
    }
    let seen = s.version;
    let events = s.decide(command, Ctx { today: meta.today(), policy, calendar: cal })?;
    if events.is_empty() {
        return Ok(s);
    }
    for e in &events {
        s.apply(e);
    }
    tx.update_record(tenant, &suggestion_row(&s, policy, cal, meta.at)?, seen)?;
    append_events(tx, tenant, meta, s.id, &events)?;
    Ok(s)
}

/// What a reader may see of an item (issue 12): the `[保密]` parts of its answers only the office, the lead
/// department's accounts and the proposers' own accounts; and a deputy (an account or a link) only its own
/// part of what is addressed to many.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shown {
    /// Whether the confidential parts are shown.
    pub(crate) confidential: bool,
    /// The deputy reading, when a deputy reads (through its account or a link).
    pub(crate) deputy: Option<DeputyId>,
}

impl Shown {
    /// Everything: the office's own answer at filing.
    pub(crate) const ALL: Self = Self { confidential: true, deputy: None };

    /// What a caller may see of `s`.
    pub(crate) fn to(p: &Principal, s: &Suggestion) -> Self {
        let lead = s.assignment.as_ref().map(|a| a.lead.id);
        let own_deputy = p.deputy.filter(|_| p.roles.contains(&Role::Deputy));
        let confidential = p.roles.contains(&Role::Office)
            || (p.roles.contains(&Role::Department) && p.department.is_some() && p.department == lead)
            || own_deputy.is_some_and(|d| is_proposer(s, d));
        Self { confidential, deputy: own_deputy.filter(|_| p.roles == [Role::Deputy]) }
    }

    /// What the deputy a link was sent to may see of `s`.
    pub(crate) fn to_deputy(d: DeputyId, s: &Suggestion) -> Self {
        Self { confidential: is_proposer(s, d), deputy: Some(d) }
    }

    fn apply(self, s: &mut Suggestion) {
        if !self.confidential {
            s.withhold_confidential();
        }
        let Some(d) = self.deputy else { return };
        for p in &mut s.publications {
            p.ratings.retain(|k, _| *k == d);
            p.viewed.retain(|k| *k == d);
        }
        if s.proposers.iter().chain(&s.withdrawn).any(|x| x.deputy == d) {
            return;
        }
        // A reader of a publication or a panel member: not the co-signers' ratings, contacts, withdrawals,
        // nor the names of those who asked not to be named.
        let unnamed = std::mem::take(&mut s.anonymous);
        s.proposers.retain(|x| !unnamed.contains(&x.deputy));
        s.withdrawn.clear();
        s.withdrawal_reason = None;
        s.panel.retain(|x| x.deputy == d);
        for r in &mut s.rounds {
            r.ratings.retain(|k, _| *k == d);
        }
        s.contacts.retain(|c| c.deputies.contains(&d));
    }
}

pub(crate) fn is_proposer(s: &Suggestion, d: DeputyId) -> bool {
    s.proposers.iter().any(|x| x.deputy == d)
}

/// Every text of an audit payload that carries confidentiality markers, with its marked parts withheld
/// (for the history of those who may not read them).
pub(crate) fn withhold_in_payload(v: &mut serde_json::Value) {
    const MARKERS: [&str; 4] = ["[保密]", "【保密】", "[/保密]", "【/保密】"];
    match v {
        serde_json::Value::String(t) if MARKERS.iter().any(|m| t.contains(m)) => {
            *t = liaison_core::suggestion::public_text(t);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(withhold_in_payload),
        serde_json::Value::Object(m) => m.values_mut().for_each(withhold_in_payload),
        _ => {}
    }
}

/// The view of an item, as much of it as its reader may see.
pub(crate) fn view(
    mut s: Suggestion,
    policy: &SuggestionPolicy,
    cal: &WorkCalendar,
    today: NaiveDate,
    shown: Shown,
) -> SuggestionView {
    shown.apply(&mut s);
    let obligations =
        s.obligations(policy, cal).into_iter().map(|o| obligation_view(&o, today, cal)).collect();
    let deadline_basis = s.assignment.as_ref().map(|a| match s.extensions.last() {
        Some(e) => format!("经{}于{}批准延期至{}：{}", e.approved_by.name, e.on, e.until, e.reason),
        None => {
            let b = cal.explain(a.assigned_on, policy.answer);
            if b.due == a.deadline {
                b.note_zh()
            } else {
                format!(
                    "期限 {}；按现行节假日安排应为 {}，待重新计算（liaison deadline recompute）：{}",
                    a.deadline,
                    b.due,
                    b.note_zh()
                )
            }
        }
    });
    SuggestionView { status_zh: s.status.zh().to_owned(), obligations, suggestion: s, deadline_basis }
}

fn obligation_view(o: &Obligation, today: NaiveDate, cal: &WorkCalendar) -> ObligationView {
    ObligationView {
        kind: o.kind.code().into(),
        kind_zh: o.kind.zh().into(),
        due: o.due,
        overdue: today > o.due,
        department: o.department.map(|d| d.0),
        provisional: provisional(cal, o.due),
    }
}

/// The note on a due day in a year without a published holiday schedule (issue 11, item 16).
pub(crate) fn provisional(cal: &WorkCalendar, due: NaiveDate) -> Option<String> {
    let year = chrono::Datelike::year(&due);
    (!cal.is_working_day(due).1).then(|| {
        format!(
            "假定{year}年：仅法定节假日，未含调休（assumes {year}: statutory days only, no make-up days）"
        )
    })
}

fn summary(s: &Suggestion, policy: &SuggestionPolicy, cal: &WorkCalendar) -> SuggestionSummary {
    SuggestionSummary {
        id: s.id.0,
        version: s.version,
        number: s.number.map(|n| n.to_string()),
        title: s.title.to_string(),
        status: s.status.code().into(),
        status_zh: s.status.zh().into(),
        received_on: s.received_on,
        deputies: s.proposers.iter().map(|p| p.name.to_string()).collect(),
        lead: s.assignment.as_ref().map(|a| a.lead.name.to_string()),
        handler: s.assignment.as_ref().map(|a| a.handler.name.clone()),
        next_due: s.next_deadline(policy, cal).map(|o| o.due),
    }
}

/// A department account may act only on its own department's items (lead, or co-handler for opinions).
fn in_scope(p: &Principal, department: Option<DepartmentId>) -> Result<(), AppError> {
    if p.roles.contains(&Role::Office) {
        return Ok(());
    }
    match (p.department, department) {
        (Some(mine), Some(theirs)) if mine != theirs => {
            Err(AppError::Forbidden { action: "handle_other_department" })
        }
        // A department account not bound to a department (made before accounts had to be) acts for none.
        (None, _) if p.roles.contains(&Role::Department) => {
            Err(AppError::Forbidden { action: "handle_other_department" })
        }
        _ => Ok(()),
    }
}

/// A deputy account sees only the items it is a party to.
pub(crate) fn visible_to(p: &Principal, s: &Suggestion) -> bool {
    match p.deputy {
        Some(d) if p.roles == [Role::Deputy] => {
            s.proposers.iter().chain(&s.withdrawn).chain(&s.panel).any(|x| x.deputy == d)
        }
        _ => true,
    }
}

/// A settings record's row at `version` (one per change), dated the day it was last written.
pub(crate) fn settings_row(
    id: &str,
    version: u64,
    data: String,
    on: NaiveDate,
    at: chrono::DateTime<chrono::Utc>,
) -> RecordRow {
    RecordRow::plain(SETTINGS, id, version, "active", on, data, at)
}

pub(crate) fn measure_row(m: &Measure, at: chrono::DateTime<chrono::Utc>) -> Result<RecordRow, AppError> {
    Ok(RecordRow {
        kind: MEASURE,
        id: m.id.to_string(),
        version: m.version,
        number: None,
        status: m.status.code().into(),
        department: Some(m.owner.id.to_string()),
        handler: None,
        due_on: (m.status == MeasureStatus::Open).then(|| m.deadline.to_string()),
        opened_on: m.opened_on.to_string(),
        data: serde_json::to_string(m).map_err(json_err)?,
        deputies: m.deputies.iter().map(|d| d.deputy.to_string()).collect(),
        departments: vec![m.owner.id.to_string()],
        tags: vec![],
        summary: None,
        updated_at: at,
    })
}

fn measure_view(m: Measure, today: NaiveDate) -> MeasureView {
    MeasureView { status_zh: m.status.zh().into(), overdue: m.overdue(today), measure: m }
}

pub(crate) fn link_actor(link: &LinkRecord, name: &str) -> Actor {
    Actor {
        user: UserId(uuid::Uuid::nil()),
        name: format!("代表{name}（反馈链接 {}）", link.id),
        via: Some(format!("link:{}", link.id)),
    }
}

// ---------------------------------------------------------------------------------------------------
// Use cases
// ---------------------------------------------------------------------------------------------------

impl App {
    /// The suggestion policy in force.
    pub fn suggestion_policy(&self, p: &Principal) -> Result<SuggestionPolicy, AppError> {
        self.suggestion_policy_versioned(p).map(|(p, _)| p)
    }

    /// The suggestion policy in force and its version (0 while the defaults apply).
    pub fn suggestion_policy_versioned(&self, p: &Principal) -> Result<(SuggestionPolicy, u64), AppError> {
        p.require(Action::ReadSuggestions)?;
        let t = p.tenant.clone();
        let mut out = None;
        self.store.read(&mut |q| {
            out = Some(load_policy(q, &t));
            Ok(())
        })?;
        out.unwrap_or(Ok((SuggestionPolicy::default(), 0)))
    }

    /// Change the suggestion policy (audited; applies to deadlines set from now on). `expected` is the
    /// version the caller saw, when it names one.
    pub async fn set_suggestion_policy(
        &self,
        p: &Principal,
        input: &PolicyInput,
        expected: Option<u64>,
        reason: Option<String>,
    ) -> Result<(SuggestionPolicy, u64), AppError> {
        p.require(Action::ConfigurePolicy)?;
        let meta = self.meta(p, reason);
        let (tenant, input) = (p.tenant.clone(), input.clone());
        self.write(move |tx: &mut dyn WriteTx| {
            let (mut policy, version) = load_policy(tx, &tenant)?;
            if let Some(e) = expected
                && e != version
            {
                return Err(AppError::Stale {
                    what: "settings",
                    id: POLICY_ID.into(),
                    actual: version,
                    expected: e,
                });
            }
            let mut f = Fields::default();
            for (field, v, slot) in [
                ("answer", &input.answer, &mut policy.answer),
                ("extension_max", &input.extension_max, &mut policy.extension_max),
                ("rehandling", &input.rehandling, &mut policy.rehandling),
                ("feedback", &input.feedback, &mut policy.feedback),
                ("return_window", &input.return_window, &mut policy.return_window),
                ("co_handler", &input.co_handler, &mut policy.co_handler),
                ("progress_interval", &input.progress_interval, &mut policy.progress_interval),
                ("assign_within", &input.assign_within, &mut policy.assign_within),
                (
                    "appointment_acknowledge",
                    &input.appointment_acknowledge,
                    &mut policy.appointment_acknowledge,
                ),
                ("appointment_meet", &input.appointment_meet, &mut policy.appointment_meet),
                ("escalation", &input.escalation, &mut policy.escalation),
            ] {
                if let Some(v) = v
                    && let Some(period) = f.take(field, parse_period(v))
                {
                    *slot = period;
                }
            }
            if let Some(d) = input.due_soon_days {
                policy.due_soon_days = d;
            }
            if let Some(b) = input.body_counts {
                policy.body_counts = b;
            }
            if let Some(s) = &input.satisfaction
                && let Some(sp) = f.take("satisfaction", SatisfactionPolicy::parse(s))
            {
                policy.satisfaction = sp;
            }
            f.done()?;
            policy.validate().map_err(|e| {
                AppError::Invalid(vec![FieldError::new(
                    e.field,
                    &ValueError::Mismatch("the other deadlines"),
                )])
            })?;
            let data = serde_json::to_string(&policy).map_err(json_err)?;
            let row = settings_row(POLICY_ID, version + 1, data, meta.today(), meta.at);
            if version == 0 {
                tx.insert_record(&tenant, &row)?
            } else {
                tx.update_record(&tenant, &row, version)?
            }
            tx.append(
                &tenant,
                record(&meta, "settings.suggestion_policy_set", SETTINGS, POLICY_ID, &policy),
            )?;
            Ok((policy, version + 1))
        })
        .await
    }

    /// File a suggestion: received and registered with the next number of its year, in one transaction.
    pub async fn file_suggestion(
        &self,
        p: &Principal,
        input: &SuggestionInput,
        idempotency: Option<Idempotency>,
    ) -> Result<SuggestionView, AppError> {
        p.require(Action::FileSuggestion)?;
        let meta = self.meta(p, None);
        let mut f = Fields::default();
        let title = f.take("title", ShortText::parse(&input.title));
        let content = f.take("content", LongText::parse(&input.content));
        let source = f.take("source", Source::parse(&input.source));
        let received_on = match input.received_on.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(s) => f.take("received_on", parse_date(s)),
            None => Some(meta.today()),
        };
        if let Some(d) = received_on
            && d > meta.today()
        {
            f.0.push(FieldError::new("received_on", &ValueError::Implausible("after today")));
        }
        if input.deputies.iter().all(|d| d.trim().is_empty()) {
            f.0.push(FieldError::new("deputies", &ValueError::Required));
        }
        f.done()?;
        let (Some(title), Some(content), Some(source), Some(received_on)) =
            (title, content, source, received_on)
        else {
            return Err(AppError::Invalid(vec![]));
        };
        let (tenant, ids, cal) = (p.tenant.clone(), input.deputies.clone(), self.calendar.clone());
        let idempotency = idempotency.map(|i| i.scoped(p, "suggestion.file"));
        self.write(move |tx: &mut dyn WriteTx| {
            if let Some(i) = &idempotency
                && let Some((hash, response)) = tx.idempotent(&tenant, &i.key)?
            {
                return if hash == i.request_hash {
                    serde_json::from_str(&response).map_err(json_err)
                } else {
                    Err(AppError::IdempotencyMismatch)
                };
            }
            let (policy, _) = load_policy(tx, &tenant)?;
            let proposers = signers(tx, &tenant, "deputies", &ids)?;
            // Received on or after every proposer's term began (a deputy cannot have proposed it before).
            for id in &proposers {
                if let Some(sum) = tx.deputy_summary(&tenant, id.deputy)? {
                    let d: Deputy = serde_json::from_str(&sum.data).map_err(|e| AppError::Store(e.into()))?;
                    if received_on < d.data.term_start {
                        return Err(AppError::invalid(
                            "received_on",
                            &ValueError::Implausible("before the term"),
                        ));
                    }
                }
            }
            let s =
                file_in(tx, &tenant, &meta, &cal, &policy, (title, content, source, received_on), proposers)?;
            let v = view(s, &policy, &cal, meta.today(), Shown::ALL);
            if let Some(i) = &idempotency {
                let body = serde_json::to_string(&v).map_err(json_err)?;
                tx.save_idempotent(&tenant, &i.key, &i.request_hash, &body, meta.at)?;
            }
            Ok(v)
        })
        .await
    }

    /// Run an action on a suggestion (by id or number), as the caller, checking the version they saw.
    pub async fn suggestion_action(
        &self,
        p: &Principal,
        key: &str,
        expected: Option<u64>,
        action: SuggestionAction,
        reason: Option<String>,
    ) -> Result<SuggestionView, AppError> {
        let needed = match &action {
            SuggestionAction::Assign { .. } | SuggestionAction::Reassign { .. } => Action::AssignSuggestion,
            SuggestionAction::RequestExtension { .. } => Action::HandleSuggestion,
            SuggestionAction::DeclineExtension { .. } => Action::ApproveSuggestion,
            SuggestionAction::RerouteOutcome { .. } | SuggestionAction::RerouteTold { .. } => {
                Action::FileSuggestion
            }
            SuggestionAction::Return { .. }
            | SuggestionAction::Start {}
            | SuggestionAction::Contact { .. }
            | SuggestionAction::Notify { .. }
            | SuggestionAction::CoOpinion { .. }
            | SuggestionAction::CoOverdue { .. }
            | SuggestionAction::Answer { .. }
            | SuggestionAction::Solved { .. } => Action::HandleSuggestion,
            SuggestionAction::Extend { .. } | SuggestionAction::Escalation { .. } => {
                Action::ApproveSuggestion
            }
            SuggestionAction::Rate { form_ref: Some(_), .. } => Action::TranscribeRating,
            SuggestionAction::Rate { .. } => Action::RateAsDeputy,
            SuggestionAction::Withdraw { deputy: None, .. } if p.deputy.is_some() => Action::RateAsDeputy,
            SuggestionAction::Anonymity { deputy: None, .. } if p.deputy.is_some() => Action::RateAsDeputy,
            SuggestionAction::Publish { .. } | SuggestionAction::Anonymity { .. } => Action::FileSuggestion,
            SuggestionAction::Lapse {}
            | SuggestionAction::Merge { .. }
            | SuggestionAction::Withdraw { .. }
            | SuggestionAction::Reroute { .. }
            | SuggestionAction::Panel { .. } => Action::FileSuggestion,
        };
        p.require(needed)?;
        let meta = self.meta(p, reason);
        let (tenant, key, cal, p2) = (p.tenant.clone(), key.to_owned(), self.calendar.clone(), p.clone());
        self.write(move |tx: &mut dyn WriteTx| {
            let (policy, _) = load_policy(tx, &tenant)?;
            let s = find_suggestion(tx, &tenant, &key)?;
            // A deputy account acts on its own items, and rates answers published to it.
            let reader = p2.deputy.map(|d| reader_of(tx, &tenant, d)).transpose()?;
            let in_audience = reader.as_ref().is_some_and(|r| {
                s.publications
                    .last()
                    .is_some_and(|p| p.audience.includes(r.level, &r.region, r.delegation.as_ref()))
            });
            let rates_publication = in_audience && matches!(action, SuggestionAction::Rate { .. });
            if !(visible_to(&p2, &s) || rates_publication) {
                return Err(AppError::NotFound { what: "suggestion", id: key });
            }
            let lead = s.assignment.as_ref().map(|a| a.lead.id);
            let command = match action {
                SuggestionAction::Assign { lead, co_handlers, handler } => {
                    let (lead, co_handlers, handler) =
                        assignment_of(tx, &tenant, &lead, &co_handlers, &handler)?;
                    SuggestionCommand::Assign { lead, co_handlers, handler }
                }
                SuggestionAction::Reassign { lead, co_handlers, handler, reason } => {
                    let (lead, co_handlers, handler) =
                        assignment_of(tx, &tenant, &lead, &co_handlers, &handler)?;
                    SuggestionCommand::Reassign {
                        lead,
                        co_handlers,
                        handler,
                        reason: long("reason", &reason)?,
                    }
                }
                SuggestionAction::RequestExtension { until, reason } => {
                    in_scope(&p2, lead)?;
                    SuggestionCommand::RequestExtension {
                        until: date("until", &until)?,
                        reason: long("reason", &reason)?,
                    }
                }
                SuggestionAction::DeclineExtension { reason } => {
                    SuggestionCommand::DeclineExtension { reason: long("reason", &reason)? }
                }
                SuggestionAction::RerouteOutcome { outcome } => {
                    SuggestionCommand::RecordRerouteOutcome { outcome: long("outcome", &outcome)? }
                }
                SuggestionAction::RerouteTold { notice } => {
                    SuggestionCommand::TellRerouteOutcome { notice: long("notice", &notice)? }
                }
                SuggestionAction::Return { reason } => {
                    in_scope(&p2, lead)?;
                    let department = lead
                        .ok_or(SuggestionError::IllegalTransition { status: s.status, command: "return" })?;
                    SuggestionCommand::Return { department, reason: long("reason", &reason)? }
                }
                SuggestionAction::Start {} => {
                    in_scope(&p2, lead)?;
                    SuggestionCommand::StartHandling
                }
                SuggestionAction::Contact { phase, means, deputies, summary } => {
                    in_scope(&p2, lead)?;
                    let mut f = Fields::default();
                    let phase = f.take("phase", ContactPhase::parse(&phase));
                    let means = f.take("means", ContactMeans::parse(&means));
                    let summary = f.take("summary", LongText::parse(&summary));
                    let deputies: Vec<DeputyId> = deputies
                        .iter()
                        .filter(|d| !d.trim().is_empty())
                        .filter_map(|d| {
                            f.take("deputies", DeputyId::parse(d).map_err(|_| ValueError::OneOf("uuid")))
                        })
                        .collect();
                    f.done()?;
                    let (Some(phase), Some(means), Some(summary)) = (phase, means, summary) else {
                        return Err(AppError::Invalid(vec![]));
                    };
                    SuggestionCommand::LogContact { phase, means, deputies, summary }
                }
                SuggestionAction::Notify { text } => {
                    in_scope(&p2, lead)?;
                    SuggestionCommand::NotifyProgress { text: long("text", &text)? }
                }
                SuggestionAction::CoOpinion { department, text } => {
                    let org = tx.organisation(&tenant)?;
                    let department = match department.filter(|d| !d.trim().is_empty()) {
                        Some(d) => crate::organisation::find_department(&org, &d)?,
                        None => p2
                            .department
                            .ok_or_else(|| AppError::invalid("department", &ValueError::Required))?,
                    };
                    in_scope(&p2, Some(department))?;
                    SuggestionCommand::GiveCoOpinion { department, text: long("text", &text)? }
                }
                SuggestionAction::CoOverdue { department } => {
                    in_scope(&p2, lead)?;
                    let org = tx.organisation(&tenant)?;
                    SuggestionCommand::RecordCoHandlerOverdue {
                        department: crate::organisation::find_department(&org, &department)?,
                    }
                }
                SuggestionAction::Extend { until, reason } => SuggestionCommand::Extend {
                    until: date("until", &until)?,
                    reason: long("reason", &reason)?,
                    approved_by: staff(&p2),
                },
                SuggestionAction::Answer { class, text, promised_on } => {
                    in_scope(&p2, lead)?;
                    let mut f = Fields::default();
                    let class = f.take("class", AnswerClass::parse(&class));
                    let text = f.take("text", LongText::parse(&text));
                    let promised_on = match promised_on.as_deref().filter(|s| !s.trim().is_empty()) {
                        Some(s) => f.take("promised_on", parse_date(s)),
                        None => None,
                    };
                    f.done()?;
                    let (Some(class), Some(text)) = (class, text) else {
                        return Err(AppError::Invalid(vec![]));
                    };
                    SuggestionCommand::Answer { class, text, promised_on }
                }
                SuggestionAction::Rate { rating, comment, deputy, form_ref } => {
                    let rating = word("rating", &rating, Satisfaction::parse)?;
                    let comment =
                        comment.filter(|c| !c.trim().is_empty()).map(|c| long("comment", &c)).transpose()?;
                    let (deputy, channel) = match form_ref {
                        Some(form) => {
                            let d =
                                deputy.ok_or_else(|| AppError::invalid("deputy", &ValueError::Required))?;
                            let channel = RatingChannel::PaperForm {
                                form_ref: short("form_ref", &form)?,
                                transcribed_by: staff(&p2),
                            };
                            (deputy_id("deputy", &d)?, channel)
                        }
                        None => {
                            let own = p2.deputy.ok_or(AppError::Forbidden { action: "rate_as_deputy" })?;
                            if deputy.is_some_and(|d| d.trim() != own.to_string()) {
                                return Err(AppError::Forbidden { action: "rate_for_another_deputy" });
                            }
                            (own, RatingChannel::OwnAccount)
                        }
                    };
                    match reader {
                        // A deputy who is not a co-signer or panel member rates as one of the body.
                        Some(reader)
                            if !s.evaluators().contains(&deputy) && channel == RatingChannel::OwnAccount =>
                        {
                            SuggestionCommand::RateAsBody { reader, rating, comment, channel }
                        }
                        _ => SuggestionCommand::Rate { deputy, rating, comment, channel },
                    }
                }
                SuggestionAction::Publish { scope, values } => {
                    SuggestionCommand::Publish { audience: audience(&scope, &values)? }
                }
                SuggestionAction::Anonymity { deputy, anonymous } => {
                    let d = match (deputy, p2.deputy) {
                        (Some(d), _) if p2.may(Action::FileSuggestion) => deputy_id("deputy", &d)?,
                        (None, Some(own)) => own,
                        (Some(d), Some(own)) if d.trim() == own.to_string() => own,
                        _ => return Err(AppError::invalid("deputy", &ValueError::Required)),
                    };
                    SuggestionCommand::SetAnonymity { deputy: d, anonymous }
                }
                SuggestionAction::Lapse {} => SuggestionCommand::RecordLapse,
                SuggestionAction::Escalation { means, note } => SuggestionCommand::RecordEscalation {
                    means: word("means", &means, EscalationMeans::parse)?,
                    leader: staff(&p2),
                    note: long("note", &note)?,
                },
                SuggestionAction::Solved { text } => {
                    in_scope(&p2, lead)?;
                    SuggestionCommand::RecordSolved { text: long("text", &text)? }
                }
                SuggestionAction::Merge { into } => {
                    let target = find_suggestion(tx, &tenant, &into)?;
                    let signers = s.proposers.clone();
                    let source_id = s.id;
                    // The duplicate first (its checks), then the survivor takes in its co-signers.
                    let merged = run_command(
                        tx,
                        &tenant,
                        &meta,
                        &cal,
                        &policy,
                        s,
                        expected,
                        SuggestionCommand::MergeInto { target: target.id },
                    )?;
                    run_command(
                        tx,
                        &tenant,
                        &meta,
                        &cal,
                        &policy,
                        target,
                        None,
                        SuggestionCommand::Absorb { from: source_id, signers },
                    )?;
                    let shown = Shown::to(&p2, &merged);
                    return Ok(view(merged, &policy, &cal, meta.today(), shown));
                }
                SuggestionAction::Withdraw { deputy, reason } => {
                    let d = match (deputy, p2.deputy) {
                        (Some(d), _) if p2.may(Action::FileSuggestion) => deputy_id("deputy", &d)?,
                        (None, Some(own)) => own,
                        (Some(d), Some(own)) if d.trim() == own.to_string() => own,
                        _ => return Err(AppError::invalid("deputy", &ValueError::Required)),
                    };
                    SuggestionCommand::Withdraw { deputy: d, reason: long("reason", &reason)? }
                }
                SuggestionAction::Reroute { ground, notice } => {
                    let ground = word("ground", &ground, RerouteGround::parse)?;
                    let notice = long("notice", &notice)?;
                    let year = chrono::Datelike::year(&meta.today());
                    let n = tx.next_number(&tenant, &format!("petition-{year}"))?;
                    let petition_ref = short("petition_ref", &format!("XF-{year}-{n:04}"))?;
                    SuggestionCommand::Reroute { ground, petition_ref, notice }
                }
                SuggestionAction::Panel { deputies } => {
                    SuggestionCommand::SetPanel { panel: signers(tx, &tenant, "deputies", &deputies)? }
                }
            };
            let s = run_command(tx, &tenant, &meta, &cal, &policy, s, expected, command)?;
            let shown = Shown::to(&p2, &s);
            Ok(view(s, &policy, &cal, meta.today(), shown))
        })
        .await
    }

    /// One suggestion (by id or number).
    pub fn suggestion(&self, p: &Principal, key: &str) -> Result<SuggestionView, AppError> {
        p.require(Action::ReadSuggestions)?;
        let today = self.meta(p, None).today();
        let (s, policy) = self.read_suggestion(&p.tenant, key)?;
        if !visible_to(p, &s) {
            return Err(AppError::NotFound { what: "suggestion", id: key.into() });
        }
        let shown = Shown::to(p, &s);
        Ok(view(s, &policy, &self.calendar, today, shown))
    }

    fn read_suggestion(
        &self,
        tenant: &TenantId,
        key: &str,
    ) -> Result<(Suggestion, SuggestionPolicy), AppError> {
        let mut out = None;
        self.store.read(&mut |q| {
            out = Some(find_suggestion(q, tenant, key).and_then(|s| Ok((s, load_policy(q, tenant)?.0))));
            Ok(())
        })?;
        out.unwrap_or(Err(AppError::NotFound { what: "suggestion", id: key.into() }))
    }

    fn record_query(&self, p: &Principal, f: &SuggestionFilter) -> Result<RecordQuery, AppError> {
        let mut q = RecordQuery::default();
        let nonblank =
            |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        if let Some(s) = nonblank(&f.status) {
            for code in s.split(',').map(str::trim) {
                if SuggestionStatus::from_code(code).is_none() {
                    return Err(AppError::invalid(
                        "status",
                        &ValueError::OneOf(
                            "received/registered/assigned/in_handling/returned/answered/rehandling/escalated/closed/rerouted/merged/withdrawn",
                        ),
                    ));
                }
                q.statuses.push(code.to_owned());
            }
        }
        if let Some(d) = nonblank(&f.department) {
            let org = self.read(|q| q.organisation(&p.tenant))?;
            q.department = Some(crate::organisation::find_department(&org, &d)?.to_string());
        }
        if let Some(h) = nonblank(&f.handler) {
            let u = self
                .read(|q| q.user_by_login(&p.tenant, &h))?
                .ok_or_else(|| AppError::NotFound { what: "user", id: h.clone() })?;
            q.handler = Some(u.id.to_string());
        }
        if let Some(d) = nonblank(&f.deputy) {
            q.deputy = Some(deputy_id("deputy", &d)?.to_string());
        }
        if let Some(d) = nonblank(&f.from) {
            q.opened_from = Some(date("from", &d)?.to_string());
        }
        if let Some(d) = nonblank(&f.to) {
            q.opened_to = Some(date("to", &d)?.to_string());
        }
        // A deputy account lists only its own items.
        if p.roles == [Role::Deputy] {
            q.deputy = p.deputy.map(|d| d.to_string());
        }
        Ok(q)
    }

    /// A page of suggestions, oldest first.
    pub fn suggestions(
        &self,
        p: &Principal,
        f: &SuggestionFilter,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<SuggestionSummary>, AppError> {
        p.require(Action::ReadSuggestions)?;
        let mut q = self.record_query(p, f)?;
        if let Some(c) = cursor {
            q.after = Some(
                SuggestionId::parse(c)
                    .map_err(|_| {
                        AppError::invalid(
                            "cursor",
                            &ValueError::OneOf("a cursor returned by a previous page"),
                        )
                    })?
                    .to_string(),
            );
        }
        let limit = limit.clamp(1, 1000);
        q.limit = limit + 1;
        let policy = self.suggestion_policy(p)?;
        let mut rows = self.read(|s| s.records(&p.tenant, SUGGESTION, &q))?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let mut items: Vec<SuggestionSummary> = Vec::with_capacity(rows.len());
        let mut unreadable = Vec::new();
        for r in &rows {
            match parse_suggestion(r) {
                Ok(s) => items.push(summary(&s, &policy, &self.calendar)),
                Err(e) => unreadable.push(crate::Unreadable::of(SUGGESTION, &r.id, &e)),
            }
        }
        let next_cursor = if more { rows.last().map(|r| r.id.clone()) } else { None };
        Ok(Page { items, next_cursor, unreadable })
    }

    /// The audit history of a suggestion.
    pub fn suggestion_history(
        &self,
        p: &Principal,
        key: &str,
    ) -> Result<Vec<crate::views::HistoryEntry>, AppError> {
        let v = self.suggestion(p, key)?;
        let recs = self.read(|q| q.history(&p.tenant, &v.suggestion.id.to_string()))?;
        let shown = Shown::to(p, &v.suggestion);
        let mut out: Vec<crate::views::HistoryEntry> = recs
            .into_iter()
            .map(|r| crate::views::HistoryEntry {
                seq: r.seq,
                at: r.at,
                actor: r.actor_name,
                via: r.actor_via,
                kind: r.kind,
                reason: r.reason,
                payload: {
                    let mut v = serde_json::from_str(&r.payload).unwrap_or_default();
                    if !shown.confidential {
                        withhold_in_payload(&mut v);
                    }
                    v
                },
                concerns: None,
            })
            .collect();
        // A deputy's account: not the readers of a publication, their views and ratings.
        if let Some(d) = shown.deputy {
            let own = d.to_string();
            out.retain(|e| {
                !matches!(e.kind.as_str(), "suggestion.viewed" | "suggestion.body_rated")
                    || e.payload.get("deputy").and_then(|x| x.as_str()) == Some(own.as_str())
            });
        }
        // The deputy an event names (a rating, a withdrawal …), by name rather than by id.
        let named = |e: &crate::views::HistoryEntry| {
            e.payload.get("deputy").and_then(|d| d.as_str()).and_then(|d| DeputyId::parse(d).ok())
        };
        let people = self.people(p, out.iter().filter_map(named))?;
        for e in &mut out {
            e.concerns = named(e).map(|d| crate::shown(&people, &d.to_string()));
        }
        Ok(out)
    }

    /// The figures of the suggestions received in `[from, to]`, grouped.
    pub fn suggestion_figures(
        &self,
        p: &Principal,
        from: NaiveDate,
        to: NaiveDate,
        group_by: GroupBy,
    ) -> Result<FiguresView, AppError> {
        p.require(Action::ReadFigures)?;
        if to < from {
            return Err(AppError::invalid("to", &ValueError::Mismatch("from")));
        }
        let today = self.meta(p, None).today();
        let q = RecordQuery {
            opened_from: Some(from.to_string()),
            opened_to: Some(to.to_string()),
            ..RecordQuery::default()
        };
        // The facts stored beside each suggestion (a few hundred bytes), or, for one saved before facts
        // were kept, the facts of its whole record.
        let facts: Vec<SuggestionFacts> = self
            .read(|s| s.record_summaries(&p.tenant, SUGGESTION, &q))?
            .iter()
            .map(|r| match r {
                liaison_store::Summary::Summary(json) => serde_json::from_str(json).map_err(json_err),
                liaison_store::Summary::Data(json) => serde_json::from_str::<Suggestion>(json)
                    .map(|s| SuggestionFacts::of(&s))
                    .map_err(json_err),
            })
            .collect::<Result<_, _>>()?;
        let f = figures_of_facts(&facts, from, to, group_by, today);
        Ok(FiguresView {
            from: f.from,
            to: f.to,
            rows: f.rows.into_iter().map(Into::into).collect(),
            total: f.total.into(),
        })
    }

    /// Issue one-use feedback links for the current answer: one per evaluator who has not rated, each
    /// working until the feedback window closes. The secrets are shown once, never stored. The liaison
    /// office only; each issue revokes the deputy's earlier unused links (recorded, with the issuer).
    pub async fn issue_feedback_links(
        &self,
        p: &Principal,
        key: &str,
    ) -> Result<Vec<FeedbackLink>, AppError> {
        p.require(Action::IssueLinks)?;
        let meta = self.meta(p, None);
        let (tenant, key) = (p.tenant.clone(), key.to_owned());
        self.write(move |tx: &mut dyn WriteTx| {
            let s = find_suggestion(tx, &tenant, &key)?;
            let round = s.round().filter(|_| s.status == SuggestionStatus::Answered);
            let Some(round) = round else {
                return Err(SuggestionError::IllegalTransition { status: s.status, command: "rate" }.into());
            };
            let expires_on = round.answer.as_ref().map_or(meta.today(), |a| a.feedback_due);
            let (mut out, mut revoked) = (Vec::new(), Vec::new());
            for signer in s.proposers.iter().chain(&s.panel).filter(|x| !round.ratings.contains_key(&x.deputy)) {
                // A new link replaces the deputy's earlier unused ones: only the latest works.
                revoked.extend(tx.revoke_deputy_links(&tenant, SUGGESTION, &s.id.to_string(), &signer.deputy.to_string())?);
                let id = liaison_store::crypto::random_hex(8)?;
                let secret = liaison_store::crypto::random_hex(24)?;
                let token = format!("{id}.{secret}");
                let link = LinkRecord {
                    id: id.clone(),
                    tenant: tenant.clone(),
                    kind: SUGGESTION.into(),
                    record_id: s.id.to_string(),
                    deputy_id: signer.deputy.to_string(),
                    round: u32::from(round.n),
                    created_at: meta.at,
                    expires_on: expires_on.to_string(),
                    used_at: None,
                };
                tx.insert_link(&link, &liaison_store::crypto::token_hash(&token))?;
                out.push(FeedbackLink { deputy: signer.deputy.0, name: signer.name.to_string(), path: format!("/feedback/{token}"), expires_on });
            }
            let issued: Vec<_> = out.iter().map(|l| serde_json::json!({ "deputy": l.deputy, "link": l.path.split('/').next_back().and_then(|t| t.split('.').next()) })).collect();
            tx.append(&tenant, record(&meta, "suggestion.feedback_links_issued", SUGGESTION, s.id.to_string(), serde_json::json!({ "round": round.n, "links": issued, "revoked": revoked })))?;
            Ok(out)
        })
        .await
    }

    pub(crate) fn link(&self, token: &str) -> Result<(LinkRecord, Suggestion), AppError> {
        let token = token.trim();
        if token.len() > 80 || !token.contains('.') {
            return Err(AppError::NotFound { what: "feedback link", id: String::new() });
        }
        let hash = liaison_store::crypto::token_hash(token);
        let link = self
            .read(|q| q.link_by_hash(&hash))?
            .ok_or_else(|| AppError::NotFound { what: "feedback link", id: String::new() })?;
        let (s, _) = self.read_suggestion(&link.tenant, &link.record_id)?;
        Ok((link, s))
    }

    /// What the feedback page shows for a link (no login: the link is the credential, for one deputy and
    /// one answer round).
    pub fn feedback_form(&self, token: &str) -> Result<FeedbackForm, AppError> {
        let (link, s) = self.link(token)?;
        let today = liaison_core::meta::china_date(self.now());
        if link.kind == BODY_LINK {
            return crate::publication::body_form(&link, &s, today);
        }
        link_usable(&link, &s, today)?;
        let round = s.round().ok_or(AppError::NotFound { what: "feedback link", id: link.id.clone() })?;
        let a =
            round.answer.as_ref().ok_or(AppError::NotFound { what: "feedback link", id: link.id.clone() })?;
        let name = s
            .proposers
            .iter()
            .chain(&s.panel)
            .find(|x| x.deputy.to_string() == link.deputy_id)
            .map(|x| x.name.to_string())
            .unwrap_or_default();
        // A panel member is not a proposer: the public text only (issue 12).
        let text = if s.proposers.iter().any(|x| x.deputy.to_string() == link.deputy_id) {
            full_text
        } else {
            liaison_core::suggestion::public_text
        };
        Ok(FeedbackForm {
            number: s.number.map(|n| n.to_string()),
            title: s.title.to_string(),
            deputy: name,
            class: a.class.zh().into(),
            answer: text(a.text.as_str()),
            answered_on: a.on,
            promised_on: a.promised_on,
            co_opinions: a
                .co_opinions
                .iter()
                .map(|c| {
                    format!(
                        "{}：{}",
                        c.department.name,
                        c.opinion.as_ref().map_or("（逾期未提交）".to_owned(), |o| text(o.as_str()))
                    )
                })
                .collect(),
            expires_on: NaiveDate::parse_from_str(&link.expires_on, "%Y-%m-%d").unwrap_or(a.feedback_due),
            body: false,
        })
    }

    /// A deputy rates through a one-use link. The link is spent in the same transaction.
    pub async fn rate_by_link(
        &self,
        token: &str,
        rating: &str,
        comment: Option<&str>,
    ) -> Result<SuggestionView, AppError> {
        let (link, s) = self.link(token)?;
        let rating = word("rating", rating, Satisfaction::parse)?;
        let comment = comment.filter(|c| !c.trim().is_empty()).map(|c| long("comment", c)).transpose()?;
        if link.kind == BODY_LINK {
            return crate::publication::rate_body_by_link(self, link, rating, comment).await;
        }
        let name = s
            .proposers
            .iter()
            .chain(&s.panel)
            .find(|x| x.deputy.to_string() == link.deputy_id)
            .map(|x| x.name.to_string())
            .unwrap_or_default();
        let meta = Meta { actor: link_actor(&link, &name), at: self.now(), reason: None };
        let cal = self.calendar.clone();
        self.write(move |tx: &mut dyn WriteTx| {
            let tenant = link.tenant.clone();
            let (policy, _) = load_policy(tx, &tenant)?;
            let s = find_suggestion(tx, &tenant, &link.record_id)?;
            link_usable(&link, &s, meta.today())?;
            if !tx.use_link(&tenant, &link.id, meta.at)? {
                return Err(AppError::BadFile {
                    code: "feedback_link.used",
                    zh: "该反馈链接已使用过".into(),
                    en: "this feedback link was already used".into(),
                });
            }
            let deputy = deputy_id("deputy", &link.deputy_id)?;
            let channel = RatingChannel::FeedbackLink { link: link.id.clone() };
            let s = run_command(
                tx,
                &tenant,
                &meta,
                &cal,
                &policy,
                s,
                None,
                SuggestionCommand::Rate { deputy, rating, comment, channel },
            )?;
            let shown = Shown::to_deputy(deputy, &s);
            Ok(view(s, &policy, &cal, meta.today(), shown))
        })
        .await
    }

    /// Open an improvement measure from a suggestion or from a deputy's opinion.
    pub async fn open_measure(&self, p: &Principal, input: &MeasureInput) -> Result<MeasureView, AppError> {
        p.require(Action::ManageMeasures)?;
        let meta = self.meta(p, None);
        let mut f = Fields::default();
        let title = f.take("title", ShortText::parse(&input.title));
        let description = f.take("description", LongText::parse(&input.description));
        let deadline = f.take("deadline", parse_date(&input.deadline));
        f.done()?;
        let (Some(title), Some(description), Some(deadline)) = (title, description, deadline) else {
            return Err(AppError::Invalid(vec![]));
        };
        let (tenant, input, cal, p2) = (p.tenant.clone(), input.clone(), self.calendar.clone(), p.clone());
        self.write(move |tx: &mut dyn WriteTx| {
            let org = tx.organisation(&tenant)?;
            let owner = department_ref(&org, &input.owner)?;
            // A department opens measures for itself only; the office for any (issue 12).
            in_scope(&p2, Some(owner.id))?;
            let named = signers(tx, &tenant, "deputies", &input.deputies)?;
            let (origin, deputies, from) = match (
                input.suggestion.as_deref().filter(|s| !s.trim().is_empty()),
                input.opinion.as_deref().filter(|s| !s.trim().is_empty()),
            ) {
                (Some(key), None) => {
                    let s = find_suggestion(tx, &tenant, key)?;
                    let deputies = if named.is_empty() { s.proposers.clone() } else { named };
                    (MeasureOrigin::Suggestion { id: s.id, number: s.number }, deputies, Some(s))
                }
                (None, Some(text)) => (MeasureOrigin::Opinion { text: long("opinion", text)? }, named, None),
                _ => {
                    return Err(AppError::invalid(
                        "suggestion",
                        &ValueError::Mismatch("opinion: give exactly one"),
                    ));
                }
            };
            let m = open_measure_in(
                tx,
                &tenant,
                &meta,
                &cal,
                (title, description, deadline),
                owner,
                origin,
                deputies,
                from,
            )?;
            Ok(measure_view(m, meta.today()))
        })
        .await
    }

    /// Progress, completion or report-back of a measure.
    pub async fn measure_action(
        &self,
        p: &Principal,
        id: &str,
        expected: Option<u64>,
        action: MeasureAction,
    ) -> Result<MeasureView, AppError> {
        p.require(Action::ManageMeasures)?;
        let meta = self.meta(p, None);
        let command = match &action {
            MeasureAction::Progress { text } => MeasureCommand::Progress { text: long("text", text)? },
            MeasureAction::Complete { text } => MeasureCommand::Complete { result: long("text", text)? },
            MeasureAction::ReportBack { text } => MeasureCommand::ReportBack { text: long("text", text)? },
        };
        let (tenant, id, p2) = (p.tenant.clone(), id.trim().to_owned(), p.clone());
        self.write(move |tx: &mut dyn WriteTx| {
            let r = tx
                .record(&tenant, MEASURE, &id)?
                .ok_or_else(|| AppError::NotFound { what: "measure", id: id.clone() })?;
            let mut m: Measure = serde_json::from_str(&r.data).map_err(json_err)?;
            in_scope(&p2, Some(m.owner.id))?;
            if let Some(e) = expected
                && e != m.version
            {
                return Err(AppError::Stale { what: "measure", id, actual: m.version, expected: e });
            }
            let seen = m.version;
            let events = m.decide(command, meta.today())?;
            for e in &events {
                m.apply(e);
            }
            tx.update_record(&tenant, &measure_row(&m, meta.at)?, seen)?;
            for e in &events {
                tx.append(&tenant, record(&meta, e.kind(), MEASURE, m.id.to_string(), e))?;
            }
            Ok(measure_view(m, meta.today()))
        })
        .await
    }

    /// One measure.
    pub fn measure(&self, p: &Principal, id: &str) -> Result<MeasureView, AppError> {
        p.require(Action::ReadSuggestions)?;
        let today = self.meta(p, None).today();
        let r = self
            .read(|q| q.record(&p.tenant, MEASURE, id.trim()))?
            .ok_or_else(|| AppError::NotFound { what: "measure", id: id.into() })?;
        let m: Measure = serde_json::from_str(&r.data).map_err(json_err)?;
        if p.roles == [Role::Deputy] && !m.deputies.iter().any(|d| Some(d.deputy) == p.deputy) {
            return Err(AppError::NotFound { what: "measure", id: id.into() });
        }
        Ok(measure_view(m, today))
    }

    /// Measures, optionally of one department or status.
    pub fn measures(
        &self,
        p: &Principal,
        department: Option<&str>,
        status: Option<&str>,
    ) -> Result<Vec<MeasureView>, AppError> {
        p.require(Action::ReadSuggestions)?;
        let today = self.meta(p, None).today();
        let mut q = RecordQuery::default();
        if let Some(d) = department.map(str::trim).filter(|s| !s.is_empty()) {
            let org = self.read(|q| q.organisation(&p.tenant))?;
            q.department = Some(crate::organisation::find_department(&org, d)?.to_string());
        }
        if let Some(s) = status.map(str::trim).filter(|s| !s.is_empty()) {
            MeasureStatus::from_code(s)
                .ok_or_else(|| AppError::invalid("status", &ValueError::OneOf("open/done/reported_back")))?;
            q.statuses = vec![s.to_owned()];
        }
        if p.roles == [Role::Deputy] {
            q.deputy = p.deputy.map(|d| d.to_string());
        }
        let rows = self.read(|s| s.records(&p.tenant, MEASURE, &q))?;
        rows.iter()
            .map(|r| {
                serde_json::from_str::<Measure>(&r.data).map_err(json_err).map(|m| measure_view(m, today))
            })
            .collect()
    }
}

/// A deputy as a reader of publications: level, region and delegation from the register.
pub(crate) fn reader_of(q: &dyn Queries, tenant: &TenantId, d: DeputyId) -> Result<Reader, AppError> {
    let sum = q
        .deputy_summary(tenant, d)?
        .ok_or_else(|| AppError::NotFound { what: "deputy", id: d.to_string() })?;
    let dep: Deputy = serde_json::from_str(&sum.data).map_err(json_err)?;
    Ok(Reader { deputy: d, level: dep.data.level, region: dep.data.region, delegation: dep.data.delegation })
}

/// An audience from its scope and values.
pub(crate) fn audience(scope: &str, values: &[String]) -> Result<Audience, AppError> {
    use std::collections::BTreeSet;
    let vals = values.iter().map(|v| v.trim()).filter(|v| !v.is_empty());
    let texts =
        |field| -> Result<BTreeSet<ShortText>, AppError> { vals.clone().map(|v| short(field, v)).collect() };
    let a = match scope.trim() {
        "all" | "全体" => Audience::All,
        "level" | "层级" => Audience::Levels(
            vals.clone()
                .map(|v| word("values", v, liaison_core::registry::DeputyLevel::parse))
                .collect::<Result<_, _>>()?,
        ),
        "region" | "区域" => Audience::Regions(texts("values")?),
        "delegation" | "代表团" => Audience::Delegations(texts("values")?),
        _ => return Err(AppError::invalid("scope", &ValueError::OneOf("all/level/region/delegation"))),
    };
    if a.is_empty() {
        return Err(AppError::invalid("values", &ValueError::Required));
    }
    Ok(a)
}

pub(crate) fn link_usable(link: &LinkRecord, s: &Suggestion, today: NaiveDate) -> Result<(), AppError> {
    let gone = |code: &'static str, zh: &str, en: &str| {
        Err(AppError::BadFile { code, zh: zh.into(), en: en.into() })
    };
    if link.used_at.is_some() {
        return gone("feedback_link.used", "该反馈链接已使用过", "this feedback link was already used");
    }
    if NaiveDate::parse_from_str(&link.expires_on, "%Y-%m-%d").is_ok_and(|d| today > d) {
        return gone("feedback_link.expired", "该反馈链接已过期", "this feedback link has expired");
    }
    let current =
        s.status == SuggestionStatus::Answered && s.round().is_some_and(|r| u32::from(r.n) == link.round);
    if !current {
        return gone(
            "feedback_link.stale",
            "该答复已不在征询意见阶段",
            "this answer is no longer open for feedback",
        );
    }
    Ok(())
}
