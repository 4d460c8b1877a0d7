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
use liaison_core::suggestion::SuggestionPolicy;
use liaison_core::{Aggregate, DomainEvent, Meta};
use liaison_store::{Queries, RecordRow, WriteTx};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{App, AppError, Principal, record};

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
}

impl<'r> Runner<'r> {
    /// A runner over a transaction.
    pub(crate) fn new(
        tx: &'r mut dyn WriteTx,
        tenant: &'r TenantId,
        meta: &'r Meta,
        calendar: &'r WorkCalendar,
    ) -> Self {
        Self { tx, tenant, meta, calendar, policy: None }
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
        match expected {
            Some(e) if e != state.version() => {
                Err(AppError::Stale { what: A::KIND, id: state.key(), actual: state.version(), expected: e })
            }
            _ => Ok(state),
        }
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
        if let Some(expected) = expected
            && expected != seen
        {
            return Err(AppError::Stale { what: A::KIND, id: state.key(), actual: seen, expected });
        }
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
        updated_at: at,
    })
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
        let calendar = self.calendar.clone();
        self.write(move |tx: &mut dyn WriteTx| f(&mut Runner::new(tx, &tenant, &meta, &calendar))).await
    }
}
