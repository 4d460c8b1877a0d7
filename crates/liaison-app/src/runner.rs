//! The one writer of workflow records (issue 15): every use case that creates or changes a record of the
//! generic records table does it here — load the record, check the version the caller saw, let the core's
//! [`Aggregate`] decide, fold the events, write the new state and append one audit record per event, all in
//! the caller's transaction. Nothing else calls `insert_record` or `update_record` (a test greps for it).
//!
//! A use case builds its command from the request (parsing with [`crate::input`], looking up the people it
//! names) inside [`App::change`], then calls [`Runner::create`] or [`Runner::execute`]. How a record is
//! stored — its id and the columns the store indexes (status, dates, deputies, departments) — is its
//! [`Stored`] implementation, next to the use cases of that workflow.
//!
//! The deputies, the accounts and the organisation live in tables of their own, with the store's own
//! versioned writes (`save_deputy`, `save_account`, `save_organisation`): they are not records.

use chrono::NaiveDate;
use liaison_core::calendar::WorkCalendar;
use liaison_core::ids::TenantId;
use liaison_core::organisation::{OrgCommand, Organisation};
use liaison_core::suggestion::SuggestionPolicy;
use liaison_core::{Aggregate, DomainEvent, Meta, ValueError};
use liaison_store::{Queries, RecordRow, WriteTx};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{App, AppError, Principal, record};

/// The longest reason a change records (characters).
pub(crate) const REASON_MAX_CHARS: usize = 500;

/// What the store indexes of a record besides its kind, id, version and state: the columns lists filter
/// and sort by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Columns {
    /// Status code.
    pub status: String,
    /// The day it was received or opened.
    pub opened_on: NaiveDate,
    /// Its number, unique per tenant and kind (`2026-0001`).
    pub number: Option<String>,
    /// The owning (lead) department.
    pub department: Option<String>,
    /// The handler (a user id).
    pub handler: Option<String>,
    /// The next deadline.
    pub due_on: Option<NaiveDate>,
    /// The deputies it concerns.
    pub deputies: Vec<String>,
    /// The departments it concerns.
    pub departments: Vec<String>,
    /// Tags (`published`).
    pub tags: Vec<String>,
    /// A JSON summary the lists read without decoding the state.
    pub summary: Option<String>,
    /// Its line in the report's tables, as JSON (`record_lines`).
    pub line: Option<String>,
}

impl Columns {
    /// A record with a status and an opening day, nothing else indexed.
    pub(crate) fn new(status: impl Into<String>, opened_on: NaiveDate) -> Self {
        Self {
            status: status.into(),
            opened_on,
            number: None,
            department: None,
            handler: None,
            due_on: None,
            deputies: vec![],
            departments: vec![],
            tags: vec![],
            summary: None,
            line: None,
        }
    }
}

/// What a record's columns may depend on besides its state: the working-day calendar and the suggestion
/// policy (a suggestion's next deadline).
pub(crate) struct RowEnv<'a> {
    /// The working-day calendar.
    pub calendar: &'a WorkCalendar,
    /// The suggestion policy (the default when the row does not need it).
    pub policy: &'a SuggestionPolicy,
}

/// How an aggregate is kept in the records table.
pub(crate) trait Stored: Aggregate<Event: Serialize> + Serialize + DeserializeOwned {
    /// Whether [`columns`](Stored::columns) reads the suggestion policy (loaded once per transaction).
    const NEEDS_POLICY: bool = false;

    /// The id the store knows it by.
    fn key(&self) -> String;

    /// The columns the store indexes.
    fn columns(&self, env: &RowEnv<'_>) -> Result<Columns, AppError>;

    /// What the audit record of an event holds, `self` being the state after the command: the event.
    /// The channels' records and visits were audited with their whole state (snapshots) and solicitations
    /// with a summary from the start; they keep that form, which the state check replays.
    fn payload(&self, event: &Self::Event) -> Result<serde_json::Value, AppError> {
        serde_json::to_value(event).map_err(json_err)
    }
}

/// The payload of a record audited with its whole state after each change.
pub(crate) fn snapshot<A: Serialize>(state: &A) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(state).map_err(json_err)
}

/// The writer of one transaction: the tenant, who acts and when, and the transaction.
pub(crate) struct Runner<'r> {
    tx: &'r mut dyn WriteTx,
    tenant: &'r TenantId,
    meta: &'r Meta,
    calendar: &'r WorkCalendar,
    policy: Option<(SuggestionPolicy, u64)>,
    messaging: std::sync::Arc<crate::outgoing::MessageSettings>,
}

impl<'r> Runner<'r> {
    /// A runner over a transaction.
    pub(crate) fn new(
        tx: &'r mut dyn WriteTx,
        tenant: &'r TenantId,
        meta: &'r Meta,
        calendar: &'r WorkCalendar,
    ) -> Self {
        Self { tx, tenant, meta, calendar, policy: None, messaging: Default::default() }
    }

    /// A writer for another procuratorate in the same transaction, acting as the same person (a transfer
    /// 转办 makes the item at the competent procuratorate, audited in that procuratorate's chain).
    pub(crate) fn in_tenant<'s>(&'s mut self, tenant: &'s TenantId) -> Runner<'s> {
        Runner {
            tx: &mut *self.tx,
            tenant,
            meta: self.meta,
            calendar: self.calendar,
            policy: None,
            messaging: self.messaging.clone(),
        }
    }

    /// The deployment's message settings for what this transaction queues.
    pub(crate) fn with_messaging(mut self, m: std::sync::Arc<crate::outgoing::MessageSettings>) -> Self {
        self.messaging = m;
        self
    }

    /// The deployment's message settings.
    pub(crate) fn messaging(&self) -> std::sync::Arc<crate::outgoing::MessageSettings> {
        self.messaging.clone()
    }

    /// The tenant.
    pub(crate) fn tenant(&self) -> &TenantId {
        self.tenant
    }

    /// Who acts, when, and why.
    pub(crate) fn meta(&self) -> &Meta {
        self.meta
    }

    /// Today, in China time.
    pub(crate) fn today(&self) -> NaiveDate {
        self.meta.today()
    }

    /// The working-day calendar.
    pub(crate) fn calendar(&self) -> &'r WorkCalendar {
        self.calendar
    }

    /// Reads inside the transaction (they see its own writes).
    pub(crate) fn q(&self) -> &dyn Queries {
        &*self.tx
    }

    /// The transaction, for writes that are not records (numbers, links, the register, the audit of
    /// facts that are no record's event).
    pub(crate) fn tx(&mut self) -> &mut dyn WriteTx {
        &mut *self.tx
    }

    /// The suggestion policy and its version, read once per transaction.
    pub(crate) fn policy(&mut self) -> Result<&SuggestionPolicy, AppError> {
        Ok(&self.policy_versioned()?.0)
    }

    /// The suggestion policy with the version of its settings record (0: never set).
    pub(crate) fn policy_versioned(&mut self) -> Result<&(SuggestionPolicy, u64), AppError> {
        if self.policy.is_none() {
            self.policy = Some(crate::suggestion::load_policy(&*self.tx, self.tenant)?);
        }
        self.policy.as_ref().ok_or(AppError::Contract("the policy was just loaded"))
    }

    /// A record by id, or `NotFound` naming its kind.
    pub(crate) fn load<A: Stored>(&self, id: &str) -> Result<A, AppError> {
        let id = id.trim();
        self.find(id)?.ok_or_else(|| AppError::NotFound { what: A::KIND, id: id.to_owned() })
    }

    /// A record by id, refused as stale when the caller saw another version (`expected`): for commands
    /// whose building writes (a suggestion filed from an opinion), checked before anything is written.
    pub(crate) fn load_seen<A: Stored>(&self, id: &str, expected: Option<u64>) -> Result<A, AppError> {
        let state: A = self.load(id)?;
        expect_version(A::KIND, &state.key(), state.version(), expected)?;
        Ok(state)
    }

    /// A record by id, if there is one.
    pub(crate) fn find<A: Stored>(&self, id: &str) -> Result<Option<A>, AppError> {
        self.tx.record(self.tenant, A::KIND, id.trim())?.map(|r| decode(&r.data)).transpose()
    }

    /// Create a record: decide the creation, write the state and one audit record per event.
    pub(crate) fn create<A: Stored>(
        &mut self,
        id: A::Id,
        command: A::Create,
        cx: A::CreateContext<'_>,
    ) -> Result<A, AppError> {
        let events = A::create(&id, command, cx).map_err(AppError::rule)?;
        let (first, rest) = events.split_first().ok_or(AppError::Contract("a creation decided no event"))?;
        let mut state = A::created(&id, first)
            .ok_or(AppError::Contract("the first event of a creation created nothing"))?;
        for e in rest {
            state.apply(e);
        }
        let row = self.row(&state)?;
        self.tx.insert_record(self.tenant, &row)?;
        self.audit(&state, &events)?;
        Ok(state)
    }

    /// Run a command on a loaded record: refuse it when the caller saw another version (`expected`), decide
    /// it, and write the new state and one audit record per event. A command that decides nothing writes
    /// nothing.
    pub(crate) fn execute<A: Stored>(
        &mut self,
        state: A,
        expected: Option<u64>,
        command: A::Command,
        cx: A::Context<'_>,
    ) -> Result<A, AppError> {
        Ok(self.execute_events(state, expected, command, cx)?.0)
    }

    /// [`execute`](Runner::execute), returning the events too.
    pub(crate) fn execute_events<A: Stored>(
        &mut self,
        mut state: A,
        expected: Option<u64>,
        command: A::Command,
        cx: A::Context<'_>,
    ) -> Result<(A, Vec<A::Event>), AppError> {
        let seen = state.version();
        expect_version(A::KIND, &state.key(), seen, expected)?;
        let events = state.decide(command, cx).map_err(AppError::rule)?;
        if events.is_empty() {
            return Ok((state, events));
        }
        for e in &events {
            state.apply(e);
        }
        let row = self.row(&state)?;
        self.tx.update_record(self.tenant, &row, seen)?;
        self.audit(&state, &events)?;
        Ok((state, events))
    }

    /// Run a command on a record that has no creation of its own (a period's plan, a year's budget): its
    /// first command creates it. `expected` 0 names one not created yet.
    pub(crate) fn upsert<A: Stored>(
        &mut self,
        id: A::Id,
        expected: Option<u64>,
        command: A::Command,
        cx: A::Context<'_>,
        create: impl FnOnce(A::Command) -> (A::Create, A::CreateContext<'static>),
    ) -> Result<A, AppError> {
        match self.find::<A>(&id.to_string())? {
            Some(state) => self.execute(state, expected, command, cx),
            None => {
                expect_version(A::KIND, &id.to_string(), 0, expected)?;
                let (c, ccx) = create(command);
                self.create(id, c, ccx)
            }
        }
    }

    /// Run a command on the tenant's organisation (kept in a table of its own): refused when the caller saw
    /// another version, one audit record per event, saved with the version read.
    pub(crate) fn execute_organisation(
        &mut self,
        expected: Option<u64>,
        command: impl FnOnce(&Organisation) -> Result<OrgCommand, AppError>,
    ) -> Result<Organisation, AppError> {
        let mut org = self.tx.organisation(self.tenant)?;
        let seen = org.version;
        expect_version("organisation", &self.tenant.to_string(), seen, expected)?;
        let events = org.decide(command(&org)?)?;
        for e in &events {
            org.apply(e);
            let r = record(self.meta, e.kind(), "organisation", self.tenant.to_string(), e);
            self.tx.append(self.tenant, r)?;
        }
        self.tx.save_organisation(self.tenant, &org, seen)?;
        Ok(org)
    }

    /// Save a settings record of the deployment (the suggestion policy, the commendation weights, the token
    /// policy): versioned, refused as stale when it is no longer at `version` (the one read; 0: never
    /// set), with one audit record `kind` holding the new value. Returns the new version.
    pub(crate) fn save_settings<T: Serialize>(
        &mut self,
        id: &str,
        version: u64,
        kind: &str,
        value: &T,
    ) -> Result<u64, AppError> {
        let data = serde_json::to_string(value).map_err(json_err)?;
        let row = settings_row(id, version + 1, data, self.today(), self.meta.at);
        if version == 0 {
            self.tx.insert_record(self.tenant, &row)?
        } else {
            self.tx.update_record(self.tenant, &row, version)?
        }
        self.tx.append(self.tenant, record(self.meta, kind, SETTINGS, id, value))?;
        if id == crate::suggestion::POLICY_ID {
            self.policy = None;
        }
        Ok(version + 1)
    }

    /// One audit record per event; `state` is the state after all of them (the records audited with
    /// snapshots decide one event per command).
    fn audit<A: Stored>(&mut self, state: &A, events: &[A::Event]) -> Result<(), AppError> {
        let id = state.key();
        for e in events {
            let r = record(self.meta, e.kind(), A::KIND, &id, state.payload(e)?);
            self.tx.append(self.tenant, r)?;
        }
        Ok(())
    }

    fn row<A: Stored>(&mut self, state: &A) -> Result<RecordRow, AppError> {
        let default;
        let policy = if A::NEEDS_POLICY {
            self.policy()?.clone()
        } else {
            default = SuggestionPolicy::default();
            default
        };
        row_of(state, &RowEnv { calendar: self.calendar, policy: &policy }, self.meta.at)
    }
}

/// Write a record that is no aggregate of the core's contract — a mobile number's code-login limiter
/// (`login::deputy`), whose events are audited by its use case — at the version read (`seen`; 0: none
/// yet). Here so that every record write stays in this file.
pub(crate) fn write_plain_record(
    tx: &mut dyn WriteTx,
    tenant: &TenantId,
    row: &RecordRow,
    seen: u64,
) -> Result<(), AppError> {
    if seen == 0 {
        tx.insert_record(tenant, row)?
    } else {
        tx.update_record(tenant, row, seen)?
    }
    Ok(())
}

/// The row a record is stored as at a time (the runner's writes; the state check's rebuilt rows).
pub(crate) fn row_of<A: Stored>(
    state: &A,
    env: &RowEnv<'_>,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<RecordRow, AppError> {
    let c = state.columns(env)?;
    Ok(RecordRow {
        kind: A::KIND,
        id: state.key(),
        version: state.version(),
        number: c.number,
        status: c.status,
        department: c.department,
        handler: c.handler,
        due_on: c.due_on.map(|d| d.to_string()),
        opened_on: c.opened_on.to_string(),
        data: serde_json::to_string(state).map_err(json_err)?,
        deputies: c.deputies,
        departments: c.departments,
        tags: c.tags,
        summary: c.summary,
        line: c.line,
        updated_at: at,
    })
}

/// Refuse a change when the caller saw another version than `actual` (HTTP 412): the one version check
/// of the app, for the runner's records and for the tables kept apart (deputies, the organisation).
pub(crate) fn expect_version(
    what: &'static str,
    id: &str,
    actual: u64,
    expected: Option<u64>,
) -> Result<(), AppError> {
    match expected {
        Some(e) if e != actual => Err(AppError::Stale { what, id: id.to_owned(), actual, expected: e }),
        _ => Ok(()),
    }
}

/// The kind of the deployment's settings records.
pub(crate) const SETTINGS: &str = "settings";

/// A settings record's row (`active`, dated the day it was last written).
pub(crate) fn settings_row(
    id: &str,
    version: u64,
    data: String,
    on: NaiveDate,
    at: chrono::DateTime<chrono::Utc>,
) -> RecordRow {
    RecordRow::plain(SETTINGS, id, version, "active", on, data, at)
}

/// A stored state or payload that does not decode: the database holds what this version cannot read.
pub(crate) fn json_err(e: serde_json::Error) -> AppError {
    AppError::Store(e.into())
}

/// Decode a stored state.
pub(crate) fn decode<T: DeserializeOwned>(data: &str) -> Result<T, AppError> {
    serde_json::from_str(data).map_err(json_err)
}

impl App {
    /// Run a change in one write transaction with a [`Runner`]: who acts is `p`, with an optional reason
    /// recorded on every audit record.
    pub(crate) async fn change<R, F>(
        &self,
        p: &Principal,
        reason: Option<String>,
        f: F,
    ) -> Result<R, AppError>
    where
        F: FnOnce(&mut Runner<'_>) -> Result<R, AppError> + Send + 'static,
        R: Send + 'static,
    {
        let meta = self.meta(p, reason);
        self.change_as(p.tenant.clone(), meta, f).await
    }

    /// [`change`](App::change) with the tenant and the audit's metadata given (a feedback link acts as its
    /// deputy, the system as itself).
    pub(crate) async fn change_as<R, F>(&self, tenant: TenantId, meta: Meta, f: F) -> Result<R, AppError>
    where
        F: FnOnce(&mut Runner<'_>) -> Result<R, AppError> + Send + 'static,
        R: Send + 'static,
    {
        // A reason is a sentence or two for the audit trail, not a document: refused past the limit, before
        // anything is read or written.
        if meta.reason.as_ref().is_some_and(|r| r.chars().count() > REASON_MAX_CHARS) {
            return Err(AppError::invalid("reason", &ValueError::TooLong { max: REASON_MAX_CHARS }));
        }
        let (calendar, messaging) = (self.calendar.clone(), self.messaging.clone());
        self.write(move |tx: &mut dyn WriteTx| {
            f(&mut Runner::new(tx, &tenant, &meta, &calendar).with_messaging(messaging))
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    /// The runner is the only writer of records: no other source file of the app calls the store's record
    /// writes or compares a version by hand (tests may seed damaged rows).
    #[test]
    fn the_runner_is_the_only_writer_of_records() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut offenders = Vec::new();
        let mut dirs = vec![src.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("the source folder") {
                let path = entry.expect("an entry").path();
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
                if path.is_dir() {
                    if !name.ends_with("_tests") {
                        dirs.push(path);
                    }
                    continue;
                }
                if !name.ends_with(".rs")
                    || name == "runner.rs"
                    || name == "tests.rs"
                    || name.ends_with("_tests.rs")
                {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("a source file");
                for pattern in
                    [".insert_record(", ".update_record(", ".save_organisation(", "AppError::Stale { what"]
                {
                    if text.contains(pattern) {
                        offenders.push(format!(
                            "{}: {pattern}",
                            path.strip_prefix(&src).unwrap_or(&path).display()
                        ));
                    }
                }
            }
        }
        assert!(offenders.is_empty(), "records written outside the runner:\n{}", offenders.join("\n"));
    }
}
