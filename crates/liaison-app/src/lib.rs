//! `liaison-app`: the use-case façade. Every interface (CLI, HTTP) calls these use cases; none of them
//! talks SQL or re-implements a rule. A use case checks the caller's permission, loads, lets the core
//! decide, and persists the events, the new state and the audit records in one transaction.
//!
//! Architecture invariant: time and ids enter here (`Clock`, UUID v7) and are passed to the core.

mod accounts;
mod activity;
mod activity_answer;
mod agenda;
mod appointment;
mod budget;
pub mod calendar;
mod channels;
mod commendation;
mod contacts;
mod deadlines;
mod deliberation;
mod delivery;
pub mod demo;
mod drafts;
mod draw;
mod due;
mod error;
mod identity;
pub mod import;
mod input;
mod inspection;
pub mod login;
mod meeting;
mod messages;
mod notice;
mod notice_deliveries;
mod notice_links;
mod organisation;
mod outgoing;
mod people;
pub mod people_csv;
pub mod portal;
mod publication;
pub mod refresh;
mod refs;
mod registry;
mod reminders;
pub mod report;
mod review;
mod rights;
mod rollup;
mod runner;
pub mod secrets;
mod senders;
mod state_check;
mod suggestion;
mod supervisor;
pub mod templates;
mod tenants;
// issue 20: a deputy of two congresses, linked across registers
mod deputy_links;
mod timeline;
mod token_cache;
pub mod trail;
pub mod views;

/// Inputs of the registry use cases.
pub mod registry_input {
    pub use crate::registry::DeputyPatchInput;
}

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use liaison_core::access::{Action, Role, any_allows};
use liaison_core::ids::{TenantId, UserId};
use liaison_core::{Actor, Meta};
use liaison_store::postgres::{PgOptions, PgStore};
use liaison_store::sqlite::{SqliteOptions, SqliteStore};
use liaison_store::{Keys, NewRecord, Store, WriteTx};

pub use accounts::{AccountStep, NewUser, RoleChange};
pub use activity::{ActivityAction, ActivityInput, ActivityView};
pub use activity_answer::{ActivityAnswerInput, MyActivity, MyDraw, PORTAL_PATH};
pub use agenda::CalendarEntry;
pub use appointment::{AppointmentAction, AppointmentInput};
pub use budget::{BudgetAction, BudgetView};
pub use channels::{CallInput, CardInput, ServiceInput, SolicitationInput};
pub use commendation::{NominationAction, NominationInput};
pub use contacts::{ContactInput, ContactView};
pub use deadlines::{DeadlineChange, DeadlineExplanation, explain_deadline};
pub use deliberation::{DeliberationAction, DeliberationInput, DeliberationView, OpinionLine};
pub use delivery::{Channel, Channels, DeliveryRound, InboxChannel, LEASE, Sending};
pub use deputy_links::{LinkSweep, OtherRegisterView};
pub use drafts::{Candidate, CoSignerView, DraftAction, DraftInput, DraftView, SignerView};
pub use draw::{DrawProblem, DrawVerification, verify_published, verify_record};
pub use due::{AMBER_WORKING_DAYS, DueFilter, Light, escalated};
pub use error::{AppError, ErrorKind};
pub use identity::{AccountUpgrade, ActivationCode, Bootstrap, TokenCreated};
pub use input::{parse_period, period_text};
pub use inspection::{InspectionAction, InspectionInput, InspectionView};
pub use liaison_store::MessageRecord;
pub use liaison_store::default_tenant;
pub use liaison_store::{Outage, Readiness, ReplicationStatus, StandbyLag, StoreError, audit};
pub use meeting::{MeetingAction, MeetingInput, MeetingView, OpinionInput, PlanInput, PlanView, VisitInput};
pub use messages::{InboxItem, MessageFilter, MessageView};
pub use notice::{NoticeAction, NoticeInput, NoticeView};
pub use notice_deliveries::{NoticeDeliveryRow, NoticeMessage, channel_zh};
pub use notice_links::{NOTICE_LINK_DAYS, NoticeAckForm};
pub use organisation::OrgInput;
pub use outgoing::{MessageSettings, SETTINGS_VARS};
pub use people::{People, PersonLabel, shown};
pub use publication::{BodyLinksQueued, PublicationFigures, PublicationView};
pub use registry::{DeputyFilter, Idempotency, Page};
pub use review::{ReviewAction, ReviewInput, ReviewPool, ReviewView};
pub use rights::{Deputyship, RightsAnswer, RightsQuery};
pub use rollup::{Rollup, RollupEntry, RollupLevel};
use runner::json_err;
pub use senders::{
    EmailChannel, Mail, Mailer, Sms, SmsChannel, SmsGateway, TITLE_PARAM, mask_address, mask_number,
};
pub use state_check::{StateDifference, StateReport};
pub use suggestion::*;
pub use supervisor::{SupervisorAppointment, SupervisorInput};
pub use tenants::{NewTenant, TenantAdded, TenantView};
pub use timeline::{DeputyCard, TimelineEntry};

/// The source of the current time (a parameter, so tests can fix it).
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// A file is about to be written at `path`: its folder must exist (a mistyped folder is refused, naming it,
/// rather than failing deep in the store as an internal error — or being created).
fn folder_exists(path: &Path) -> Result<(), AppError> {
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) if !dir.is_dir() => Err(AppError::BadFile {
            code: "file.no_folder",
            zh: format!(
                "目录 {} 不存在：请先创建它（mkdir -p {}），或另选目录",
                dir.display(),
                dir.display()
            ),
            en: format!(
                "the folder {} does not exist: create it first (mkdir -p {}) or choose another",
                dir.display(),
                dir.display()
            ),
        }),
        _ => Ok(()),
    }
}

/// The moment `LIAISON_NOW` names, for rehearsals: RFC 3339, or a date (`2026-03-02`), taken at 09:00
/// China time (01:00 UTC). Both binaries honour it: the CLI runs its command as of that moment, the
/// server's clock starts there.
pub fn rehearsal_moment(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s.trim()) {
        return Some(t.with_timezone(&Utc));
    }
    let t = liaison_core::registry::parse_date(s).ok()?.and_hms_opt(1, 0, 0)?;
    Some(DateTime::from_naive_utc_and_offset(t, Utc))
}

/// Where the master key comes from.
#[derive(Debug, Clone)]
pub enum KeySource {
    /// 64 hex digits given in configuration (`LIAISON_KEY`).
    Hex(String),
    /// A key file, created with mode 0600 on first start.
    File(PathBuf),
}

/// How to open the store.
#[derive(Debug, Clone)]
pub struct Config {
    /// The SQLite file (used when `database_url` is absent).
    pub db: PathBuf,
    /// A PostgreSQL URL (`postgres://user@host:5432/db`): use PostgreSQL instead of the SQLite file.
    pub database_url: Option<String>,
    /// A PostgreSQL standby for the reads where staleness is harmless (reports, dashboards, public
    /// figures: [`App::for_reports`]); only with `database_url`.
    pub read_replica_url: Option<String>,
    /// The master key.
    pub key: KeySource,
    /// Store tuning.
    pub sqlite: SqliteOptions,
}

impl Config {
    /// The defaults for a database file: the key file `liaison.key` beside it.
    pub fn for_db(db: &Path) -> Self {
        let key = db.with_file_name("liaison.key");
        Self {
            db: db.to_owned(),
            database_url: None,
            read_replica_url: None,
            key: KeySource::File(key),
            sqlite: SqliteOptions::default(),
        }
    }

    /// The defaults for a PostgreSQL database: the key file `liaison.key` in the working folder.
    pub fn for_url(url: &str) -> Self {
        Self {
            db: PathBuf::from("liaison.db"),
            database_url: Some(url.to_owned()),
            read_replica_url: None,
            key: KeySource::File(PathBuf::from("liaison.key")),
            sqlite: SqliteOptions::default(),
        }
    }

    /// Where the database is, for messages.
    pub fn describe(&self) -> String {
        match &self.database_url {
            Some(u) => u.split('@').next_back().map(|h| format!("postgres://…@{h}")).unwrap_or_default(),
            None => self.db.display().to_string(),
        }
    }
}

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// Tenant.
    pub tenant: TenantId,
    /// User id.
    pub user: UserId,
    /// Login.
    pub login: String,
    /// Display name.
    pub name: String,
    /// Roles.
    pub roles: Vec<Role>,
    /// The deputy this account belongs to (role `deputy`).
    pub deputy: Option<liaison_core::ids::DeputyId>,
    /// The department this account works in (role `department`), if set.
    pub department: Option<liaison_core::ids::DepartmentId>,
    /// The credential this call came through (`token:<id>`, `console:<os user>` …): every audit record
    /// names it beside the account.
    pub via: String,
    /// What an officer's account reaches (its liaison officer, regions): `liaison_core::scope`.
    pub grant: liaison_core::scope::Grant,
}

impl Principal {
    /// Refuse unless one of the caller's roles allows `action`.
    pub fn require(&self, action: Action) -> Result<(), AppError> {
        if any_allows(&self.roles, action) {
            Ok(())
        } else {
            Err(AppError::Forbidden { action: action.code() })
        }
    }
    /// Whether one of the caller's roles allows `action`.
    pub fn may(&self, action: Action) -> bool {
        any_allows(&self.roles, action)
    }
    /// Refuse unless the caller reaches `deputy` (issue 12, item 7): the office and leadership reach every
    /// deputy, an officer those assigned to it and those of the regions granted to its account.
    pub(crate) fn reach(
        &self,
        deputy: &liaison_core::registry::Deputy,
    ) -> Result<liaison_core::scope::Basis, AppError> {
        liaison_core::scope::decide(&self.roles, &self.grant, deputy).map_err(AppError::Scope)
    }
    pub(crate) fn actor(&self) -> Actor {
        Actor {
            user: self.user,
            name: format!("{} ({})", self.name, self.login),
            via: Some(self.via.clone()),
        }
    }
}

/// The application: a store, a clock and the working-day calendar.
#[derive(Clone)]
pub struct App {
    store: Arc<dyn Store>,
    clock: Clock,
    calendar: Arc<liaison_core::calendar::WorkCalendar>,
    /// One file is read at a time: reading a large upload is work on the caller's thread, and several at
    /// once would hold every thread of a server (issue 12).
    imports: Arc<tokio::sync::Semaphore>,
    /// How many full views an account may make in a window (issue 12, item 7).
    bulk_views: liaison_core::scope::BulkViewLimit,
    /// The staff login's limits: lockout, session idle and absolute lifetimes (issue 16).
    login_policy: liaison_core::login::LoginPolicy,
    /// The delivery worker's retries (issue 17).
    retry: liaison_core::message::RetryPolicy,
    /// What is sent, when, in which language (issue 17).
    messaging: Arc<outgoing::MessageSettings>,
    /// Whether this handle's reads may be stale ([`App::for_reports`]).
    stale_reads: bool,
    /// The principals of bearer tokens seen, under the tenant's authentication epoch (`token_cache`).
    tokens: Arc<token_cache::TokenCache>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "App({})", self.store.describe())
    }
}

impl App {
    /// An app over a store, with the system clock.
    pub fn new(store: Arc<dyn Store>) -> Self {
        // The built-in schedule is checked by a test; an empty calendar (weekends and the statutory holidays of
        // every year) is the fallback.
        let calendar = calendar::official().unwrap_or_default();
        Self {
            store,
            clock: Arc::new(Utc::now),
            calendar: Arc::new(calendar),
            imports: Arc::new(tokio::sync::Semaphore::new(1)),
            bulk_views: liaison_core::scope::BulkViewLimit::default(),
            login_policy: liaison_core::login::LoginPolicy::default(),
            retry: liaison_core::message::RetryPolicy::default(),
            messaging: Arc::default(),
            stale_reads: false,
            tokens: Arc::default(),
        }
    }

    /// Replace the limit of full views per account and window (`LIAISON_FULL_VIEWS`,
    /// `LIAISON_FULL_VIEW_WINDOW`).
    pub fn with_bulk_view_limit(mut self, limit: liaison_core::scope::BulkViewLimit) -> Self {
        self.bulk_views = limit;
        self
    }

    /// Replace the staff login's limits (failures before a lock, the lock, the session's idle and absolute
    /// lifetimes).
    pub fn with_login_policy(mut self, policy: liaison_core::login::LoginPolicy) -> Self {
        self.login_policy = policy;
        self
    }

    /// The staff login's limits in force.
    pub fn login_policy(&self) -> liaison_core::login::LoginPolicy {
        self.login_policy
    }

    /// The limit of full views per account and window in force.
    pub fn bulk_view_limit(&self) -> liaison_core::scope::BulkViewLimit {
        self.bulk_views
    }

    /// Replace the working-day calendar (a deployment's newer schedule, see `calendar::from_toml`).
    pub fn with_calendar(mut self, calendar: liaison_core::calendar::WorkCalendar) -> Self {
        self.calendar = Arc::new(calendar);
        self
    }

    /// The working-day calendar in use.
    pub fn calendar(&self) -> &liaison_core::calendar::WorkCalendar {
        &self.calendar
    }

    /// Replace the clock.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Open the store (PostgreSQL when a URL is configured, else the SQLite file), creating the database
    /// and the key file on first start, and applying migrations.
    ///
    /// Refuses to create a new key for a database that already holds data: data sealed with a lost key
    /// could never be read again, so the missing key is reported instead.
    pub fn open(config: &Config) -> Result<Self, AppError> {
        let sqlite_existed = config.database_url.is_none() && config.db.exists();
        let (keys, created) = match &config.key {
            KeySource::Hex(h) => (Keys::from_hex(h)?, None),
            KeySource::File(path) => {
                let (keys, created) = Keys::load_or_create(path)?;
                (keys, created.then_some(path.clone()))
            }
        };
        let key_missing = |path: &Path| {
            let _ = std::fs::remove_file(path);
            AppError::BadFile {
                code: "key.missing",
                zh: format!(
                    "数据库 {} 已有数据，但找不到其密钥文件 {}；请恢复密钥文件或设置 LIAISON_KEY",
                    config.describe(),
                    path.display()
                ),
                en: format!(
                    "the database {} holds data but its key file {} is missing: restore the key file or set LIAISON_KEY",
                    config.describe(),
                    path.display()
                ),
            }
        };
        if let Some(path) = &created
            && sqlite_existed
        {
            return Err(key_missing(path));
        }
        let store: Arc<dyn Store> = match &config.database_url {
            Some(url) => Arc::new(PgStore::open(
                url,
                keys,
                PgOptions { read_replica_url: config.read_replica_url.clone(), ..PgOptions::default() },
            )?),
            None => Arc::new(SqliteStore::open(&config.db, keys, config.sqlite.clone())?),
        };
        if let Some(path) = &created
            && liaison_store::read(&*store, |q| q.tenant(&default_tenant()))?.is_some()
        {
            return Err(key_missing(path));
        }
        Ok(Self::new(store))
    }

    /// The store.
    pub fn store(&self) -> &dyn Store {
        &*self.store
    }

    /// The current time.
    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    fn meta(&self, p: &Principal, reason: Option<String>) -> Meta {
        Meta { actor: p.actor(), at: self.now(), reason: reason.filter(|r| !r.trim().is_empty()) }
    }

    async fn write<R, F>(&self, f: F) -> Result<R, AppError>
    where
        F: FnOnce(&mut dyn WriteTx) -> Result<R, AppError> + Send + 'static,
        R: Send + 'static,
    {
        liaison_store::write_async(&*self.store, f).await
    }

    fn read<R>(
        &self,
        f: impl FnOnce(&dyn liaison_store::Queries) -> Result<R, StoreError>,
    ) -> Result<R, AppError> {
        if self.stale_reads {
            return Ok(liaison_store::read_stale(&*self.store, f)?);
        }
        Ok(liaison_store::read(&*self.store, f)?)
    }

    /// This app for a report, a dashboard or the public figures: its reads may go to a standby
    /// (`Config::read_replica_url`) and be a moment behind the primary. Only for use cases that write
    /// nothing they read (their writes, such as an access record, still go to the primary), never for a
    /// command, never for authentication.
    pub fn for_reports(&self) -> App {
        App { stale_reads: true, ..self.clone() }
    }

    /// Every record of `kind` matching `query`, decoded from its stored state.
    fn decoded<T: serde::de::DeserializeOwned>(
        &self,
        p: &Principal,
        kind: &str,
        query: &liaison_store::RecordQuery,
    ) -> Result<Vec<T>, AppError> {
        let rows = self.read(|q| q.records(&p.tenant, kind, query))?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                serde_json::from_str(&r.data).map_err(|e| Unreadable::of(kind, &r.id, &json_err(e))).ok()
            })
            .collect())
    }
}

/// A stored record a list could not read (damaged, or written by a newer version): the list serves the
/// rest, names this one apart, and the log says which it is (issue 11, item 9).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Unreadable {
    /// The record's kind.
    pub kind: String,
    /// Its id.
    pub id: String,
    /// Why it could not be read.
    pub reason: String,
}

impl Unreadable {
    /// Name an unreadable record, and log it.
    pub(crate) fn of(kind: &str, id: &str, e: &AppError) -> Self {
        tracing::error!(kind, id, error = %e, "stored record could not be read; left out of the list");
        Self { kind: kind.to_owned(), id: id.to_owned(), reason: e.to_string() }
    }
}

/// A new audit record for an event; the payload is serialized straight to JSON text.
pub(crate) fn record(
    meta: &Meta,
    kind: &str,
    aggregate_type: &'static str,
    aggregate_id: impl std::fmt::Display,
    payload: impl serde::Serialize,
) -> NewRecord {
    let aggregate_id = aggregate_id.to_string();
    let payload = serde_json::to_string(&payload).unwrap_or_else(|_| "null".to_owned());
    NewRecord {
        id: uuid::Uuid::now_v7(),
        at: meta.at,
        actor: meta.actor.clone(),
        kind: kind.to_owned(),
        aggregate_type,
        aggregate_id,
        reason: meta.reason.clone(),
        payload,
    }
}

pub(crate) fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}

#[cfg(test)]
mod accounts_tests;
#[cfg(test)]
mod deputy_links_tests;
#[cfg(test)]
mod deputy_login_tests;
#[cfg(test)]
mod fuzz_tests;
#[cfg(test)]
mod login_tests;
#[cfg(test)]
mod scope_tests;
#[cfg(test)]
mod suggestion_tests;
#[cfg(test)]
mod tenants_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod token_cache_tests;

impl App {
    /// Verify the audit chain of every tenant. Reveals no personal data; the HTTP API requires the
    /// auditor's permission, the CLI requires access to the database file and its key.
    pub fn verify_audit(&self) -> Result<liaison_store::audit::VerifyReport, AppError> {
        Ok(self.store.verify_audit()?)
    }

    /// Back the database up to `dest` while it is in use (operators with access to the database only):
    /// one consistent snapshot, private (0600), never left partial under `dest`. SQLite: the copy's
    /// integrity and audit chain were checked, and the chain report is returned (PostgreSQL: `None`).
    pub fn backup(&self, dest: &Path) -> Result<Option<liaison_store::audit::VerifyReport>, AppError> {
        folder_exists(dest)?;
        Ok(self.store.backup(dest)?)
    }

    /// The applied schema version.
    pub fn schema_version(&self) -> Result<u32, AppError> {
        Ok(self.store.schema_version()?)
    }

    /// Restore a backup as the configured database (which must be new: an absent SQLite file, or an empty
    /// PostgreSQL database), then open it and verify its audit chain under the configured key.
    pub fn restore(
        config: &Config,
        src: &Path,
    ) -> Result<(Self, liaison_store::audit::VerifyReport), AppError> {
        match &config.database_url {
            Some(url) => PgStore::restore(src, url)?,
            None => {
                folder_exists(&config.db)?;
                SqliteStore::restore(src, &config.db)?
            }
        }
        // Opened under the configured key, or nothing is left behind: a wrong or missing key must not leave a
        // restored file that a retry with the right `--key-file` would then refuse to overwrite.
        let opened = Self::open(config).and_then(|app| app.verify_audit().map(|report| (app, report)));
        if opened.is_err() && config.database_url.is_none() {
            for suffix in ["", "-wal", "-shm"] {
                let mut p = config.db.clone().into_os_string();
                p.push(suffix);
                let _ = std::fs::remove_file(std::path::PathBuf::from(p));
            }
        }
        opened
    }

    /// Verify the audit chain, as a user with the `verify_audit` permission.
    pub fn verify_audit_as(&self, p: &Principal) -> Result<liaison_store::audit::VerifyReport, AppError> {
        p.require(Action::VerifyAudit)?;
        self.verify_audit()
    }
}

/// The SM3 fingerprint of a request body or file, as hex.
pub fn fingerprint(bytes: &[u8]) -> String {
    liaison_store::crypto::sm3_hex(bytes)
}
