//! What the state check (`liaison audit verify --state`) reads: each aggregate's stored state beside its
//! events, one aggregate at a time, from one consistent snapshot.
//!
//! Six ordered reads — the audit records of the aggregate types asked for, the deputies, their duplicate
//! keys, the organisations, the workflow records and their parties — are merged on (tenant, kind, id), so
//! memory holds one aggregate at a time whatever the size of the register. SQLite runs them on one
//! connection inside one read transaction; PostgreSQL as cursors inside one repeatable-read transaction.
//! Every value is read as far as it can be (a damaged column is shown with replacement characters, never
//! an abort), so the check names what differs and goes on to the end. The replay and the comparison
//! belong to `liaison-app`, which knows how each aggregate is rebuilt from its events.

use liaison_core::ids::{DeputyId, TenantId};
use liaison_core::registry::{ContactCard, Deputy, IdNumber};

use crate::audit::Damaged;
use crate::rows::{Personal, RowLike, VISIBLE, aad, audit_entry};
use crate::{AuditRecord, Keys, StoreError};

/// A deputy's row as stored, every column read as far as readable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredDeputy {
    /// `version`.
    pub version: i64,
    /// `name`.
    pub name: String,
    /// `name_key` (pinyin sort key).
    pub name_key: String,
    /// `pinyin` (search key).
    pub pinyin: String,
    /// `initials` (search key).
    pub initials: String,
    /// `level`.
    pub level: String,
    /// `status`.
    pub status: String,
    /// `region`.
    pub region: String,
    /// `delegation`.
    pub delegation: Option<String>,
    /// `officer_id`.
    pub officer: Option<String>,
    /// `department_id`.
    pub department: Option<String>,
    /// `data`: the record without personal data (JSON).
    pub data: String,
    /// `masked`: the masked personal data (JSON).
    pub masked: String,
    /// `sealed`: the personal data, SM4-GCM.
    pub sealed: Vec<u8>,
}

/// The columns of a deputy's row that follow from the aggregate alone (everything but the sealed personal
/// data, its masked copy and the time of writing): what the store writes, and what the state check
/// recomputes from the replayed aggregate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeputyColumns {
    /// `version`.
    pub version: i64,
    /// `name`.
    pub name: String,
    /// `name_key`.
    pub name_key: String,
    /// `pinyin`.
    pub pinyin: String,
    /// `initials`.
    pub initials: String,
    /// `level`.
    pub level: String,
    /// `status`.
    pub status: String,
    /// `region`.
    pub region: String,
    /// `delegation`.
    pub delegation: Option<String>,
    /// `officer_id`.
    pub officer: Option<String>,
    /// `department_id`.
    pub department: Option<String>,
    /// `data`: the aggregate without its personal data, as JSON.
    pub data: String,
}

impl DeputyColumns {
    /// The columns of `d` (its personal data left out of `data`).
    pub fn of(d: &Deputy) -> Result<Self, StoreError> {
        let mut public = d.clone();
        public.data.id_number = None;
        public.data.contact = ContactCard::default();
        let name = d.data.name.as_str();
        let syllables = liaison_core::collation::name_pinyin(name);
        Ok(Self {
            version: d.version as i64,
            name: name.to_owned(),
            name_key: liaison_core::collation::sort_key(name),
            pinyin: syllables.iter().flat_map(|s| s.chars().filter(char::is_ascii_alphabetic)).collect(),
            initials: syllables.iter().filter_map(|s| s.chars().next()).collect(),
            level: d.data.level.code().to_owned(),
            status: d.status.code().to_owned(),
            region: d.data.region.to_string(),
            delegation: d.data.delegation.as_ref().map(ToString::to_string),
            officer: d.responsibility.officer.map(|o| o.to_string()),
            department: d.responsibility.department.map(|o| o.to_string()),
            data: serde_json::to_string(&public)?,
        })
    }
}

/// Open a deputy's sealed personal data (bound to its tenant and id: a value moved from another row does not
/// open): the ID number and the contact card.
pub fn open_personal(
    keys: &Keys,
    tenant: &TenantId,
    id: DeputyId,
    sealed: &[u8],
) -> Result<(Option<IdNumber>, ContactCard), StoreError> {
    let p: Personal = serde_json::from_slice(&keys.open(&aad(tenant, id), sealed)?)?;
    Ok((p.id_number, p.contact))
}

/// A workflow record's row as stored, with the parties it concerns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredRow {
    /// `version`.
    pub version: i64,
    /// `number`.
    pub number: Option<String>,
    /// `status`.
    pub status: String,
    /// `department_id`.
    pub department: Option<String>,
    /// `handler_id`.
    pub handler: Option<String>,
    /// `due_on`.
    pub due_on: Option<String>,
    /// `opened_on`.
    pub opened_on: String,
    /// `data`: the state (JSON).
    pub data: String,
    /// `summary` (absent on records saved before schema v3).
    pub summary: Option<String>,
    /// Its line in `record_lines` (absent on records saved before schema v12, and for kinds without one).
    pub line: Option<String>,
}

/// What is stored for an aggregate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// A row of `deputies`.
    Deputy(Box<StoredDeputy>),
    /// A row of `organisations`: version and data.
    Organisation {
        /// `version`.
        version: i64,
        /// `data`.
        data: String,
    },
    /// A row of `records`.
    Record(Box<StoredRow>),
}

/// One aggregate as the state check sees it: what is stored for it and its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AggregateState {
    /// Tenant.
    pub tenant: String,
    /// The aggregate's kind: `deputy`, `organisation`, or a record kind (the audit records' aggregate type).
    pub kind: String,
    /// Its id (the audit records' aggregate id; a record's id; the tenant for the organisation).
    pub id: String,
    /// The stored state, if any.
    pub stored: Option<Stored>,
    /// A deputy's duplicate-detection keys as stored: (key, keyed hash of the ID number).
    pub keys: Vec<(String, Option<String>)>,
    /// A record's parties as stored in `record_parties`: (role, party), in order.
    pub parties: Vec<(String, String)>,
    /// Its audit records, in chain order.
    pub events: Vec<AuditRecord>,
    /// Its audit records that could not be read.
    pub unreadable: Vec<Damaged>,
}

type Key = (String, String, String);

/// One row of one of the six reads.
pub(crate) enum Item {
    Event(Box<Result<AuditRecord, Box<Damaged>>>),
    Deputy(Box<StoredDeputy>),
    Key(String, Option<String>),
    Organisation(i64, String),
    Record(Box<StoredRow>),
    Party(String, String),
}

/// An ordered read: rows with their merge key, in key order.
pub(crate) trait Source {
    fn next_item(&mut self) -> Result<Option<(Key, Item)>, StoreError>;
}

/// A deputy's record of an import batch not published (being written, or abandoned: its row is a
/// tombstone): neither the record nor the row is part of the state (`batch` module).
const UNPUBLISHED_EVENT: &str = "(aggregate_type = 'deputy' AND EXISTS (SELECT 1 FROM deputies d
    JOIN import_batches b ON b.id = d.batch
    WHERE d.tenant_id = audit_log.tenant_id AND d.id = audit_log.aggregate_id AND b.state <> 'published'))";
/// The duplicate keys of a deputy of an unpublished import batch.
const UNPUBLISHED_KEY: &str = "EXISTS (SELECT 1 FROM deputies d JOIN import_batches b ON b.id = d.batch
    WHERE d.tenant_id = k.tenant_id AND d.id = k.deputy_id AND b.state <> 'published')";

/// The six reads' SQL (SQLite and PostgreSQL alike), in merge-key order; `order` gives a column's ordering
/// text (`COLLATE "C"` on PostgreSQL, so text sorts by bytes as in SQLite and in Rust).
pub(crate) fn queries(kinds: &[&str], order: fn(&str) -> String) -> Result<[String; 6], StoreError> {
    if let Some(bad) =
        kinds.iter().find(|k| k.is_empty() || !k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
    {
        return Err(StoreError::Corrupt(format!("not an aggregate kind: {bad}")));
    }
    let list = kinds.iter().map(|k| format!("'{k}'")).collect::<Vec<_>>().join(", ");
    let o = |cols: &[&str]| cols.iter().map(|c| order(c)).collect::<Vec<_>>().join(", ");
    Ok([
        format!(
            "SELECT {} FROM audit_log WHERE aggregate_type IN ({list}) AND NOT {UNPUBLISHED_EVENT} ORDER BY {}, seq",
            crate::rows::AUDIT_COLUMNS,
            o(&["tenant_id", "aggregate_type", "aggregate_id"])
        ),
        format!(
            "SELECT tenant_id, id, version, name, name_key, pinyin, initials, level, status, region, delegation,
             officer_id, department_id, data, masked, sealed FROM deputies WHERE {VISIBLE} ORDER BY {}",
            o(&["tenant_id", "id"])
        ),
        format!(
            "SELECT tenant_id, deputy_id, key, id_hash FROM deputy_keys k WHERE NOT {UNPUBLISHED_KEY} ORDER BY {}",
            o(&["tenant_id", "deputy_id", "key"])
        ),
        format!("SELECT tenant_id, version, data FROM organisations ORDER BY {}", o(&["tenant_id"])),
        format!(
            "SELECT tenant_id, kind, id, version, number, status, department_id, handler_id, due_on, opened_on,
             data, summary, (SELECT l.line FROM record_lines l WHERE l.tenant_id = records.tenant_id
             AND l.kind = records.kind AND l.id = records.id) FROM records ORDER BY {}",
            o(&["tenant_id", "kind", "id"])
        ),
        format!(
            "SELECT tenant_id, kind, record_id, role, party FROM record_parties ORDER BY {}",
            o(&["tenant_id", "kind", "record_id", "role", "party"])
        ),
    ])
}

/// Read the `i`-th of the six reads' rows (see [`queries`]).
pub(crate) fn item(i: usize, r: &impl RowLike) -> (Key, Item) {
    let s = |c| r.lossy(c);
    let o = |c| r.lossy_opt(c);
    let n = |c| r.int(c).unwrap_or(-1);
    match i {
        0 => ((s(0), s(7), s(8)), Item::Event(Box::new(audit_entry(r)))),
        1 => (
            (s(0), "deputy".into(), s(1)),
            Item::Deputy(Box::new(StoredDeputy {
                version: n(2),
                name: s(3),
                name_key: s(4),
                pinyin: s(5),
                initials: s(6),
                level: s(7),
                status: s(8),
                region: s(9),
                delegation: o(10),
                officer: o(11),
                department: o(12),
                data: s(13),
                masked: s(14),
                sealed: r.bytes(15),
            })),
        ),
        2 => ((s(0), "deputy".into(), s(1)), Item::Key(s(2), o(3))),
        3 => ((s(0), "organisation".into(), s(0)), Item::Organisation(n(1), s(2))),
        4 => (
            (s(0), s(1), s(2)),
            Item::Record(Box::new(StoredRow {
                version: n(3),
                number: o(4),
                status: s(5),
                department: o(6),
                handler: o(7),
                due_on: o(8),
                opened_on: s(9),
                data: s(10),
                summary: o(11),
                line: o(12),
            })),
        ),
        _ => ((s(0), s(1), s(2)), Item::Party(s(3), s(4))),
    }
}

/// Merge the ordered reads and hand each aggregate to `visit`, in (tenant, kind, id) order.
pub(crate) fn merge(
    sources: &mut [&mut dyn Source],
    visit: &mut dyn FnMut(AggregateState) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut heads: Vec<Option<(Key, Item)>> =
        sources.iter_mut().map(|s| s.next_item()).collect::<Result<_, _>>()?;
    while let Some(key) = heads.iter().flatten().map(|(k, _)| k).min().cloned() {
        let mut a = AggregateState {
            tenant: key.0.clone(),
            kind: key.1.clone(),
            id: key.2.clone(),
            stored: None,
            keys: Vec::new(),
            parties: Vec::new(),
            events: Vec::new(),
            unreadable: Vec::new(),
        };
        for (head, source) in heads.iter_mut().zip(sources.iter_mut()) {
            while head.as_ref().is_some_and(|(k, _)| *k == key) {
                if let Some((_, it)) = head.take() {
                    match it {
                        Item::Event(e) => match *e {
                            Ok(e) => a.events.push(e),
                            Err(d) => a.unreadable.push(*d),
                        },
                        Item::Deputy(d) => a.stored = Some(Stored::Deputy(d)),
                        Item::Key(k, h) => a.keys.push((k, h)),
                        Item::Organisation(version, data) => {
                            a.stored = Some(Stored::Organisation { version, data })
                        }
                        Item::Record(r) => a.stored = Some(Stored::Record(r)),
                        Item::Party(role, party) => a.parties.push((role, party)),
                    }
                }
                *head = source.next_item()?;
            }
        }
        visit(a)?;
    }
    Ok(())
}
