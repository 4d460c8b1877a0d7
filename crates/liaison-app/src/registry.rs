//! Registry use cases (C1, P1.1): register, show, list, change and end deputies; each change one
//! transaction with its audit records; each full view of personal data itself audited.

use chrono::NaiveDate;
use liaison_core::access::Action;
use liaison_core::ids::{DeputyId, OfficerId, TenantId};
use liaison_core::registry::*;
use liaison_core::{FieldError, Meta, ValueError};
use liaison_store::{DeputyKeys, DeputyQuery, Keys, NewRecord, WriteTx};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::views::{DeputyFullView, DeputyView, HistoryEntry};
use crate::{App, AppError, Principal, record};

/// The audit kind of a full view of a deputy's personal data.
pub(crate) const VIEWED: &str = "access.personal_data_viewed";
/// The audit kind of the security alert raised when an account views too many full cards in a window.
pub(crate) const BULK_ALERT: &str = "alert.bulk_personal_data";

/// An idempotency key and the hash of the request it came with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Idempotency {
    /// The client's key.
    pub key: String,
    /// A hash of the request body, so a reused key with another body is refused.
    pub request_hash: String,
}

impl Idempotency {
    /// The key as stored: the client's key for one account and one operation (the tenant is a column of
    /// its own). A key is the caller's promise about its own retries: another account, or the same key
    /// on another operation, is another request (issue 12: an officer replaying the office's key got the
    /// office's response).
    pub(crate) fn scoped(self, p: &Principal, operation: &str) -> Self {
        Self { key: format!("{}/{operation}/{}", p.user, self.key), request_hash: self.request_hash }
    }
}

/// List filters, as text from a query string or CLI flags.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeputyFilter {
    /// Level code or Chinese word.
    pub level: Option<String>,
    /// Status code.
    pub status: Option<String>,
    /// Region.
    pub region: Option<String>,
    /// Officer id.
    pub officer: Option<String>,
    /// Name prefix, or pinyin / initials prefix.
    pub q: Option<String>,
}

/// A page of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
    /// Stored records of this page that could not be read: reported apart (and logged), so that one bad
    /// record never takes the whole list down.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unreadable: Vec<crate::Unreadable>,
}

/// A change to a deputy, as text: absent leaves a field, an empty string clears an optional one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeputyPatchInput {
    /// 姓名.
    pub name: Option<String>,
    /// 民族.
    pub ethnicity: Option<String>,
    /// 代表团/选区.
    pub delegation: Option<String>,
    /// 所属区域.
    pub region: Option<String>,
    /// 工作单位.
    pub work_unit: Option<String>,
    /// 职务.
    pub position: Option<String>,
    /// 手机.
    pub mobile: Option<String>,
    /// 固定电话.
    pub landline: Option<String>,
    /// 通讯地址.
    pub address: Option<String>,
    /// 电子邮箱.
    pub email: Option<String>,
    /// 特殊身份 (separated by `、` or `,`).
    pub special_roles: Option<String>,
    /// 任期结束.
    pub term_end: Option<String>,
}

struct PatchParser(Vec<FieldError>);

impl PatchParser {
    fn required<T>(
        &mut self,
        field: &str,
        v: &Option<String>,
        p: impl Fn(&str) -> Result<T, ValueError>,
    ) -> Option<T> {
        v.as_deref().and_then(|s| p(s).map_err(|e| self.0.push(FieldError::new(field, &e))).ok())
    }
    fn optional<T>(
        &mut self,
        field: &str,
        v: &Option<String>,
        p: impl Fn(&str) -> Result<T, ValueError>,
    ) -> Option<Option<T>> {
        match v.as_deref() {
            None => None,
            Some(s) if s.trim().is_empty() => Some(None),
            Some(s) => p(s).map(Some).map_err(|e| self.0.push(FieldError::new(field, &e))).ok(),
        }
    }
}

impl DeputyPatchInput {
    /// Validate into a patch; every bad field is reported.
    pub fn parse(&self) -> Result<DeputyPatch, AppError> {
        let mut p = PatchParser(Vec::new());
        let roles = |s: &str| -> Result<std::collections::BTreeSet<SpecialRole>, ValueError> {
            s.split(['、', ',', '，', ';', '；', '|'])
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(SpecialRole::parse)
                .collect()
        };
        let patch = DeputyPatch {
            name: p.required("name", &self.name, PersonName::parse),
            ethnicity: p.optional("ethnicity", &self.ethnicity, ShortText::parse),
            delegation: p.optional("delegation", &self.delegation, ShortText::parse),
            region: p.required("region", &self.region, ShortText::parse),
            work_unit: p.optional("work_unit", &self.work_unit, ShortText::parse),
            position: p.optional("position", &self.position, ShortText::parse),
            contact: ContactPatch {
                mobile: p.optional("mobile", &self.mobile, MobileNumber::parse),
                landline: p.optional("landline", &self.landline, Landline::parse),
                address: p.optional("address", &self.address, Address::parse),
                email: p.optional("email", &self.email, Email::parse),
            },
            special_roles: p
                .optional("special_roles", &self.special_roles, roles)
                .map(Option::unwrap_or_default),
            term_end: p.optional("term_end", &self.term_end, parse_date),
        };
        if p.0.is_empty() { Ok(patch) } else { Err(AppError::Invalid(p.0)) }
    }
}

pub(crate) fn deputy_keys(keys: &Keys, d: &DeputyDraft) -> DeputyKeys {
    let id_hash = d.id_number.as_ref().map(|n| keys.lookup_hash("id_number", n.as_str()));
    DeputyKeys { keys: duplicate_keys(d, id_hash.as_deref()), id_hash }
}

pub(crate) fn append_deputy_events(
    tx: &mut dyn WriteTx,
    tenant: &TenantId,
    meta: &Meta,
    id: DeputyId,
    events: &[DeputyEvent],
) -> Result<(), AppError> {
    for r in deputy_event_records(meta, id, events) {
        tx.append(tenant, r)?;
    }
    Ok(())
}

/// The audit records of a deputy's events: personal values removed, the names of the personal fields that
/// changed kept (a bulk import makes them before its transaction).
pub(crate) fn deputy_event_records(meta: &Meta, id: DeputyId, events: &[DeputyEvent]) -> Vec<NewRecord> {
    #[derive(serde::Serialize)]
    struct Payload<'a> {
        event: &'a DeputyEvent,
        personal_fields: &'a [&'static str],
        /// 2: a patch's `null` clears the field (before, absent and cleared were both `null`).
        patch_format: u8,
    }
    events
        .iter()
        .map(|e| {
            let (redacted, personal) = e.without_personal_data();
            let mut payload = serde_json::to_value(Payload {
                event: &redacted,
                personal_fields: &personal,
                patch_format: 2,
            })
            .unwrap_or_default();
            birth_year_only(&mut payload);
            record(meta, e.kind(), "deputy", id.to_string(), payload)
        })
        .collect()
}

/// Replace every `birth_date` in an audit payload by its year (`birth_year`): with the ID number's last
/// four, a birth date in the history would rebuild most of the number (issue 12). New records are written
/// this way; older ones are shown this way.
pub(crate) fn birth_year_only(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            if let Some(b) = m.remove("birth_date") {
                let year = b.as_str().and_then(|s| s.get(..4)).and_then(|y| y.parse::<i64>().ok());
                m.insert("birth_year".into(), year.map_or(serde_json::Value::Null, Into::into));
            }
            m.values_mut().for_each(birth_year_only);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(birth_year_only),
        _ => {}
    }
}

/// A registration made ready before its job reaches the writer (issue 19): the duplicate keys (HMAC-SM3)
/// and, assuming the writer finds no duplicate (almost always), the deputy, its row (sealed, masked, JSON,
/// pinyin), its audit record and its masked view — the CPU work the single writer did for every request.
/// The writer still looks for duplicates, in the transaction; when it finds one the registration is decided
/// there again from the draft, as before.
pub(crate) struct PreparedRegistration {
    draft: DeputyDraft,
    keys: DeputyKeys,
    ready: Option<Ready>,
}

struct Ready {
    deputy: Deputy,
    row: liaison_store::PreparedDeputy,
    records: Vec<NewRecord>,
    view: DeputyView,
}

impl PreparedRegistration {
    pub(crate) fn new(keys: &Keys, tenant: &TenantId, meta: &Meta, draft: DeputyDraft) -> Self {
        let k = deputy_keys(keys, &draft);
        // A draft the core refuses even without a duplicate is decided (and refused) in the job.
        let ready = Deputy::register(draft.clone(), None, meta.today()).ok().and_then(|event| {
            let id = DeputyId(crate::new_id());
            let deputy = Deputy::from_registered(id, &event)?;
            let row = liaison_store::PreparedDeputy::new(keys, tenant, &deputy).ok()?;
            let records = deputy_event_records(meta, id, &[event]);
            let view = DeputyView::masked(&deputy);
            Some(Ready { deputy, row, records, view })
        });
        Self { draft, keys: k, ready }
    }
}

/// Register a prepared draft in the job's transaction and link it to the same person's records on the
/// other registers of the tree: its masked view. The duplicate check runs here, against the register as
/// this transaction sees it.
pub(crate) fn register_prepared(
    tx: &mut dyn WriteTx,
    tenant: &TenantId,
    meta: &Meta,
    p: PreparedRegistration,
) -> Result<DeputyView, AppError> {
    let dup = same_person(p.keys.id_hash.as_deref(), &tx.key_matches_locked(tenant, &p.keys.keys)?);
    match (dup, p.ready) {
        (None, Some(r)) => {
            let id = r.deputy.id;
            tx.insert_prepared_deputy_with_keys(tenant, &r.row, &p.keys)?;
            // The other registers are looked up before the audit record is appended (the same answer:
            // appending touches only the chain), so that on PostgreSQL the query is not made while the
            // tenant's chain head is locked. Without an ID number there is nothing to link by.
            let found =
                if p.keys.id_hash.is_some() { tx.same_id_elsewhere(tenant, Some(id))? } else { Vec::new() };
            for rec in r.records {
                tx.append(tenant, rec)?;
            }
            crate::deputy_links::link_found(tx, tenant, Some(id), meta, found)?;
            Ok(r.view)
        }
        (dup, _) => {
            let d = insert_registered(tx, tenant, meta, p.draft, &p.keys, dup)?;
            crate::deputy_links::link_same_person(tx, tenant, Some(d.id), meta)?;
            Ok(DeputyView::masked(&d))
        }
    }
}

/// Decide the registration of a draft whose duplicate check is done, then persist it with `keys` (a bulk
/// import passes no keys here and adds them all at the end, in key order) and audit it.
pub(crate) fn insert_registered(
    tx: &mut dyn WriteTx,
    tenant: &TenantId,
    meta: &Meta,
    draft: DeputyDraft,
    keys: &DeputyKeys,
    duplicate: Option<(DeputyId, DuplicateReason)>,
) -> Result<Deputy, AppError> {
    let event = Deputy::register(draft, duplicate, meta.today())?;
    let id = DeputyId(crate::new_id());
    let deputy =
        Deputy::from_registered(id, &event).ok_or(AppError::Contract("a registration created no deputy"))?;
    tx.insert_deputy(tenant, &deputy, keys)?;
    append_deputy_events(tx, tenant, meta, id, &[event])?;
    Ok(deputy)
}

/// Load a deputy, check the version the caller saw, decide a command, persist and audit.
pub(crate) fn command_in(
    tx: &mut dyn WriteTx,
    keys: &Keys,
    tenant: &TenantId,
    meta: &Meta,
    id: DeputyId,
    expected: Option<u64>,
    command: DeputyCommand,
) -> Result<Deputy, AppError> {
    command_in_diff(tx, keys, tenant, meta, id, expected, command).map(|(_, after)| after)
}

/// `command_in`, giving the record before the command as well as after it.
pub(crate) fn command_in_diff(
    tx: &mut dyn WriteTx,
    keys: &Keys,
    tenant: &TenantId,
    meta: &Meta,
    id: DeputyId,
    expected: Option<u64>,
    command: DeputyCommand,
) -> Result<(Deputy, Deputy), AppError> {
    let mut d =
        tx.deputy(tenant, id)?.ok_or_else(|| AppError::NotFound { what: "deputy", id: id.to_string() })?;
    crate::runner::expect_version("deputy", &id.to_string(), d.version, expected)?;
    let before = d.clone();
    let events = d.decide(command)?;
    for e in &events {
        d.apply(e);
    }
    tx.update_deputy(tenant, &d, before.version, &deputy_keys(keys, &d.data))?;
    append_deputy_events(tx, tenant, meta, id, &events)?;
    Ok((before, d))
}

fn encode_cursor(key: &str, id: DeputyId) -> String {
    let mut s = String::with_capacity(key.len() * 2 + 40);
    for b in format!("{key}\u{1f}{id}").bytes() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

fn decode_cursor(c: &str) -> Result<(String, DeputyId), AppError> {
    let bad = || AppError::invalid("cursor", &ValueError::OneOf("a cursor returned by a previous page"));
    if !c.len().is_multiple_of(2) || c.len() > 2000 {
        return Err(bad());
    }
    let bytes: Result<Vec<u8>, _> =
        (0..c.len()).step_by(2).map(|i| u8::from_str_radix(&c[i..i + 2], 16)).collect();
    let text = String::from_utf8(bytes.map_err(|_| bad())?).map_err(|_| bad())?;
    let (key, id) = text.split_once('\u{1f}').ok_or_else(bad)?;
    Ok((key.to_owned(), DeputyId::parse(id).map_err(|_| bad())?))
}

impl DeputyFilter {
    fn query(&self) -> Result<DeputyQuery, AppError> {
        let mut errs = Vec::new();
        let mut q = DeputyQuery::default();
        let nonblank =
            |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        if let Some(l) = nonblank(&self.level) {
            q.level = DeputyLevel::parse(&l).map_err(|e| errs.push(FieldError::new("level", &e))).ok();
        }
        if let Some(s) = nonblank(&self.status) {
            q.status = DeputyStatus::from_code(&s);
            if q.status.is_none() {
                errs.push(FieldError::new(
                    "status",
                    &ValueError::OneOf("registered/in_office/term_ended/removed"),
                ));
            }
        }
        if let Some(o) = nonblank(&self.officer) {
            q.officer = OfficerId::parse(&o)
                .map_err(|_| errs.push(FieldError::new("officer", &ValueError::OneOf("uuid"))))
                .ok();
        }
        q.region = nonblank(&self.region);
        q.search = nonblank(&self.q);
        if errs.is_empty() { Ok(q) } else { Err(AppError::Invalid(errs)) }
    }
}

impl App {
    /// Register a new deputy (refused if the same person is already on the register at that level).
    pub async fn register_deputy(
        &self,
        p: &Principal,
        input: DeputyInput,
        idempotency: Option<Idempotency>,
        reason: Option<String>,
    ) -> Result<DeputyView, AppError> {
        p.require(Action::EditRegistry)?;
        let draft = input.parse().map_err(AppError::Invalid)?;
        let meta = self.meta(p, reason);
        let tenant = p.tenant.clone();
        let idempotency = idempotency.map(|i| i.scoped(p, "deputy.register"));
        // Keys, sealing, JSON and the view on this thread, not the writer's.
        let prepared = PreparedRegistration::new(self.store.keys(), &tenant, &meta, draft);
        self.write(move |tx: &mut dyn WriteTx| {
            if let Some(i) = &idempotency
                && let Some((hash, response)) = tx.idempotent(&tenant, &i.key)?
            {
                return if hash == i.request_hash {
                    serde_json::from_str(&response).map_err(|e| AppError::Store(e.into()))
                } else {
                    Err(AppError::IdempotencyMismatch)
                };
            }
            // The same person on another register of the tree (a deputy of two congresses): linked.
            let view = register_prepared(tx, &tenant, &meta, prepared)?;
            if let Some(i) = &idempotency {
                let body = serde_json::to_string(&view).map_err(|e| AppError::Store(e.into()))?;
                tx.save_idempotent(&tenant, &i.key, &i.request_hash, &body, meta.at)?;
            }
            Ok(view)
        })
        .await
    }

    /// One deputy, personal data masked.
    pub fn deputy(&self, p: &Principal, id: DeputyId) -> Result<DeputyView, AppError> {
        p.require(Action::ReadRegistry)?;
        let s = self
            .read(|q| q.deputy_summary(&p.tenant, id))?
            .ok_or_else(|| AppError::NotFound { what: "deputy", id: id.to_string() })?;
        let d: Deputy = serde_json::from_str(&s.data).map_err(|e| AppError::Store(e.into()))?;
        let mut view = DeputyView::new(&d, s.masked);
        view.other_registers = self.read(|q| crate::deputy_links::other_registers(q, &p.tenant, id))?;
        Ok(view)
    }

    /// [`App::deputy`] for the bearer of `token`, authenticated on the same pooled connection as the read
    /// (`App::read_as`); `allow` is the caller's own check of the principal (the HTTP gate's), run before
    /// the read. Returns who it was.
    pub fn deputy_as(
        &self,
        token: &str,
        id: DeputyId,
        allow: impl FnOnce(&Principal) -> Result<(), AppError>,
    ) -> Result<(Principal, DeputyView), AppError> {
        // The epoch, the deputy and its links read together (one round trip on PostgreSQL); nothing of it
        // is returned before the caller's checks pass.
        let first = |q: &dyn liaison_store::Queries, t: &TenantId| {
            let (epoch, s, links) = q.deputy_with_epoch(t, id)?;
            Ok((epoch, (s, links)))
        };
        let (p, (s, others)) = self.read_as_with(token, first, |p, q, (s, links)| {
            allow(p)?;
            p.require(Action::ReadRegistry)?;
            // The other registers the person is on (a deputy of two congresses), as `deputy` shows them.
            let others = match &s {
                Some(_) => crate::deputy_links::other_registers_of(q, &links)?,
                None => Vec::new(),
            };
            Ok((s, others))
        })?;
        let s = s.ok_or_else(|| AppError::NotFound { what: "deputy", id: id.to_string() })?;
        let d: Deputy = serde_json::from_str(&s.data).map_err(|e| AppError::Store(e.into()))?;
        let mut view = DeputyView::new(&d, s.masked);
        view.other_registers = others;
        Ok((p, view))
    }

    /// One deputy with personal data in full (issue 12, item 7). Only for roles that need it, only for a
    /// deputy within the caller's reach (`Principal::reach`), only with a stated reason (`ViewReason`), and
    /// only `bulk_view_limit().max_views` times per account in a window: the views are counted from the
    /// trail itself, so the limit holds across restarts and servers. Over the limit the view is refused
    /// (`personal_data.bulk_viewing`, with when to retry) and an `alert.bulk_personal_data` record is
    /// appended, once per window. The view is audited, with its reason and basis, before it is shown.
    pub async fn deputy_full(
        &self,
        p: &Principal,
        id: DeputyId,
        reason: Option<String>,
    ) -> Result<DeputyFullView, AppError> {
        p.require(Action::ViewPersonalData)?;
        let reason = liaison_core::scope::ViewReason::parse(reason.as_deref().unwrap_or_default())
            .map_err(|e| AppError::invalid("reason", &e))?;
        let meta = self.meta(p, Some(reason.as_str().to_owned()));
        let (tenant, who, limit) = (p.tenant.clone(), p.clone(), self.bulk_views);
        let outcome = self
            .write(move |tx: &mut dyn WriteTx| {
                let d = tx
                    .deputy(&tenant, id)?
                    .ok_or_else(|| AppError::NotFound { what: "deputy", id: id.to_string() })?;
                let basis = who.reach(&d)?;
                let actor = who.user.to_string();
                let since = limit.since(meta.at);
                let views = tx.audit_times(&tenant, &actor, VIEWED, since, limit.max_views)?;
                if let Err(too) = limit.check(&views, meta.at) {
                    // The refusal is kept (the alert commits); the alert is raised once per window.
                    if tx.audit_times(&tenant, &actor, BULK_ALERT, since, 1)?.is_empty() {
                        let payload = serde_json::json!({
                            "login": who.login,
                            "count": too.count,
                            "max_views": limit.max_views,
                            "window_minutes": limit.window_minutes,
                            "since": too.since,
                            "refused_deputy": id,
                        });
                        let meta = liaison_core::Meta { reason: None, ..meta.clone() };
                        tx.append(&tenant, record(&meta, BULK_ALERT, "user", actor, payload))?;
                    }
                    return Ok(Err(too));
                }
                let payload = serde_json::json!({ "basis": basis.code() });
                tx.append(&tenant, record(&meta, VIEWED, "deputy", id.to_string(), payload))?;
                Ok(Ok(DeputyFullView::new(&d)))
            })
            .await?;
        outcome.map_err(|too| AppError::BulkViewing {
            count: too.count,
            window_minutes: limit.window_minutes,
            retry_after: too.retry_after,
        })
    }

    /// A page of deputies in pinyin order.
    pub fn deputies(
        &self,
        p: &Principal,
        filter: &DeputyFilter,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<DeputyView>, AppError> {
        p.require(Action::ReadRegistry)?;
        let mut q = filter.query()?;
        q.after = cursor.map(decode_cursor).transpose()?;
        q.limit = limit.clamp(1, 1000) + 1;
        let mut rows = self.read(|s| s.list_deputies(&p.tenant, &q))?;
        let more = rows.len() > limit.clamp(1, 1000) as usize;
        rows.truncate(limit.clamp(1, 1000) as usize);
        let next_cursor = if more { rows.last().map(|r| encode_cursor(&r.name_key, r.id)) } else { None };
        let items = rows
            .into_iter()
            .map(|s| {
                let d: Deputy = serde_json::from_str(&s.data).map_err(|e| AppError::Store(e.into()))?;
                Ok(DeputyView::new(&d, s.masked))
            })
            .collect::<Result<_, AppError>>()?;
        Ok(Page { items, next_cursor, unreadable: Vec::new() })
    }

    /// How many deputies match a filter.
    pub fn count_deputies(&self, p: &Principal, filter: &DeputyFilter) -> Result<u64, AppError> {
        p.require(Action::ReadRegistry)?;
        let q = filter.query()?;
        self.read(|s| s.count_deputies(&p.tenant, &q))
    }

    async fn deputy_command(
        &self,
        p: &Principal,
        id: DeputyId,
        expected: Option<u64>,
        reason: Option<String>,
        command: DeputyCommand,
    ) -> Result<DeputyView, AppError> {
        let meta = self.meta(p, reason);
        let (keys, tenant, who) = (self.store.keys().clone(), p.tenant.clone(), p.clone());
        self.write(move |tx: &mut dyn WriteTx| {
            // An officer changes only the deputies within its reach (issue 12, item 7).
            if let Some(d) = tx.deputy(&tenant, id)? {
                who.reach(&d)?;
            }
            let d = command_in(tx, &keys, &tenant, &meta, id, expected, command)?;
            Ok(DeputyView::masked(&d))
        })
        .await
    }

    /// Change a deputy's data.
    pub async fn update_deputy(
        &self,
        p: &Principal,
        id: DeputyId,
        expected: Option<u64>,
        patch: &DeputyPatchInput,
        reason: Option<String>,
    ) -> Result<DeputyView, AppError> {
        p.require(Action::EditRegistry)?;
        let patch = patch.parse()?;
        self.deputy_command(p, id, expected, reason, DeputyCommand::Update(Box::new(patch))).await
    }

    /// The term begins for a registered deputy.
    pub async fn take_office(
        &self,
        p: &Principal,
        id: DeputyId,
        expected: Option<u64>,
        date: NaiveDate,
    ) -> Result<DeputyView, AppError> {
        p.require(Action::EditRegistry)?;
        self.deputy_command(p, id, expected, None, DeputyCommand::TakeOffice { date }).await
    }

    /// End a deputy's term.
    pub async fn end_term(
        &self,
        p: &Principal,
        id: DeputyId,
        expected: Option<u64>,
        date: NaiveDate,
        reason: Option<String>,
    ) -> Result<DeputyView, AppError> {
        p.require(Action::EditRegistry)?;
        self.deputy_command(p, id, expected, reason, DeputyCommand::EndTerm { date }).await
    }

    /// A deputy leaves office early (resignation, recall, death …). A reason text is required.
    pub async fn remove_deputy(
        &self,
        p: &Principal,
        id: DeputyId,
        expected: Option<u64>,
        date: NaiveDate,
        why: RemovalReason,
        reason: Option<String>,
    ) -> Result<DeputyView, AppError> {
        p.require(Action::EditRegistry)?;
        if reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            return Err(AppError::invalid("reason", &ValueError::Required));
        }
        self.deputy_command(p, id, expected, reason, DeputyCommand::Remove { date, reason: why }).await
    }

    /// The audit history of a deputy (without personal data).
    pub fn deputy_history(&self, p: &Principal, id: DeputyId) -> Result<Vec<HistoryEntry>, AppError> {
        p.require(Action::ReadRegistry)?;
        let recs = self.read(|q| q.history(&p.tenant, &id.to_string()))?;
        if recs.is_empty() {
            return Err(AppError::NotFound { what: "deputy", id: id.to_string() });
        }
        Ok(recs
            .into_iter()
            .map(|r| HistoryEntry {
                seq: r.seq,
                at: r.at,
                actor: r.actor_name,
                via: r.actor_via,
                kind: r.kind,
                reason: r.reason,
                payload: {
                    let mut v = serde_json::from_str(&r.payload).unwrap_or_default();
                    birth_year_only(&mut v);
                    v
                },
                concerns: None,
                procuratorate: None,
            })
            .collect())
    }
}
