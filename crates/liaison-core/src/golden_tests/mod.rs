//! Golden tests of the stored form (issue 15, step 4): for every aggregate, a record built by a fixed
//! sequence of commands (fixed ids, fixed dates: no clock, no randomness) pins
//! - the JSON of its final state — what the app writes to `records.data` (a deputy's row keeps the same
//!   shape without its personal values), and
//! - each event's `kind()` and JSON — what the audit chain stores as the record's kind and payload,
//!
//! against a pretty-printed fixture in `crates/liaison-core/tests/golden/<name>.json`. Both directions are
//! checked: what the code writes now must equal the fixture (a renamed field or variant shows as a diff),
//! and the fixture must still read back as the same state and events (old records and the audit trail stay
//! readable); the fixture's events must also replay to its state. JSON is compared as `serde_json::Value`,
//! so key order does not matter.
//!
//! `tests/golden/old/` holds older stored shapes, written by hand and never rewritten: each must still read,
//! with the default the code gives the field that was added later.
//!
//! **Updating a fixture.** When a change of the stored form is intended, rerun with `LIAISON_BLESS=1`
//! (`LIAISON_BLESS=1 cargo test -p liaison-core --lib golden`): the tests rewrite their fixtures instead of
//! failing, and the diff of `tests/golden/` is the change to review. Records already stored keep the old
//! shape, so an intended change also needs its upgrade (ARCHITECTURE.md, "Stored records and their
//! upgrades"): an added field with `#[serde(default)]` and a fixture of the older shape in
//! `tests/golden/old/`; a rename with `#[serde(alias)]`; a reshape with a migration of `records.data`.
//! An event's shape may only grow: audit payloads are never rewritten.

use std::fmt::Debug;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::ids::{DepartmentId, DeputyId, UserId};
use crate::registry::{DeputyLevel, LongText, PersonName, ShortText};
use crate::suggestion::{DepartmentRef, Signer, StaffRef};
use crate::{Aggregate, DomainError, DomainEvent};

mod channels;
mod draws;
mod registry;
mod suggestion;
mod work;

/// The fixture of a golden record: its name and text, read at compile time.
macro_rules! golden {
    ($name:literal) => {
        ($name, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/", $name, ".json")))
    };
}
/// An older stored shape, kept by hand.
macro_rules! old_form {
    ($name:literal) => {
        ($name, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/old/", $name, ".json")))
    };
}
pub(crate) use {golden, old_form};

/// A record built by commands, with every event it took.
pub(crate) struct Record<A: Aggregate> {
    pub(crate) id: A::Id,
    pub(crate) state: A,
    pub(crate) events: Vec<A::Event>,
}

impl<A: Aggregate> Record<A> {
    /// Created by this command (it must be accepted).
    pub(crate) fn create(id: A::Id, command: A::Create, cx: A::CreateContext<'_>) -> Self {
        let events = A::create(&id, command, cx)
            .unwrap_or_else(|e| panic!("golden {}: the creation was refused ({}: {e})", A::KIND, e.code()));
        let state = A::replay(&id, &events)
            .unwrap_or_else(|| panic!("golden {}: the creation's events do not create it", A::KIND));
        Self { id, state, events }
    }

    /// Then this command (it must be accepted).
    pub(crate) fn then(mut self, command: A::Command, cx: A::Context<'_>) -> Self {
        let step = self.events.len();
        let events = self.state.decide(command, cx).unwrap_or_else(|e| {
            panic!("golden {}: the command after event #{step} was refused ({}: {e})", A::KIND, e.code())
        });
        for e in &events {
            self.state.apply(e);
        }
        self.events.extend(events);
        self
    }

    /// The kinds of its events, in order.
    pub(crate) fn kinds(&self) -> Vec<&'static str> {
        self.events.iter().map(DomainEvent::kind).collect()
    }
}

/// Pin a record: its stored state and its events.
pub(crate) fn pin<A>((name, fixture): (&str, &str), r: &Record<A>)
where
    A: Aggregate + Serialize + DeserializeOwned,
    A::Event: Serialize + DeserializeOwned,
{
    assert_eq!(
        A::replay(&r.id, &r.events).as_ref(),
        Some(&r.state),
        "golden {name}: the events do not replay to the state"
    );
    let state = to_value(name, "the state", &r.state);
    round_trip::<A>(name, "the state", &state, &r.state);
    check_fixture::<A>(name, fixture, Some(state), &r.events, |fixture| {
        let stored: A = read(name, "the fixture's state", &fixture["state"]);
        assert_eq!(stored, r.state, "golden {name}: the fixture's state reads as another state");
        let events: Vec<A::Event> = fixture_events(name, fixture);
        assert_eq!(
            A::replay(&r.id, &events).as_ref(),
            Some(&stored),
            "golden {name}: the fixture's events do not replay to its state"
        );
    });
}

/// Pin the events of a record whose state is not stored as JSON (an account is columns of `users`), or a
/// derived form of them (the deputy's events without personal data).
pub(crate) fn pin_events<E>((name, fixture): (&str, &str), kind: &str, events: &[E])
where
    E: DomainEvent + Serialize + DeserializeOwned,
{
    check_fixture_of(name, fixture, kind, None, events, |_| {});
}

fn check_fixture<A>(
    name: &str,
    fixture: &str,
    state: Option<Value>,
    events: &[A::Event],
    reads_back: impl FnOnce(&Value),
) where
    A: Aggregate,
    A::Event: Serialize + DeserializeOwned,
{
    check_fixture_of(name, fixture, A::KIND, state, events, reads_back);
}

fn check_fixture_of<E>(
    name: &str,
    fixture: &str,
    kind: &str,
    state: Option<Value>,
    events: &[E],
    reads_back: impl FnOnce(&Value),
) where
    E: DomainEvent + Serialize + DeserializeOwned,
{
    let mut doc = serde_json::Map::new();
    doc.insert("kind".into(), json!(kind));
    if let Some(state) = state {
        doc.insert("state".into(), state);
    }
    let payloads: Vec<Value> = events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let what = format!("event #{i} ({})", e.kind());
            let payload = to_value(name, &what, e);
            round_trip::<E>(name, &what, &payload, e);
            json!({ "kind": e.kind(), "payload": payload })
        })
        .collect();
    doc.insert("events".into(), Value::Array(payloads));
    let now = Value::Object(doc);

    if bless() {
        write_fixture(name, &now);
        return;
    }
    let old: Value = serde_json::from_str(fixture)
        .unwrap_or_else(|e| panic!("golden {name}: tests/golden/{name}.json is not JSON ({e}); {BLESS}"));
    let mut diffs = Vec::new();
    diff("", &old, &now, &mut diffs);
    if !diffs.is_empty() {
        let shown: Vec<String> = diffs.iter().take(20).map(|d| describe(d, &old, &now)).collect();
        panic!(
            "golden {name}: the stored form differs from tests/golden/{name}.json ({} difference(s)):\n{}\n{BLESS}",
            diffs.len(),
            shown.join("\n")
        );
    }
    // The other direction: what is stored reads back as what the code means.
    let stored: Vec<E> = fixture_events(name, &old);
    for (i, (s, e)) in stored.iter().zip(events).enumerate() {
        assert_eq!(s, e, "golden {name}: the fixture's event #{i} reads as another event");
        assert_eq!(s.kind(), old["events"][i]["kind"], "golden {name}: event #{i}'s kind");
    }
    reads_back(&old);
}

const BLESS: &str = "if the change is intended, rerun with LIAISON_BLESS=1 to rewrite the fixture (`LIAISON_BLESS=1 \
cargo test -p liaison-core --lib golden`) and review its diff — but records and audit payloads already stored keep \
the old shape: an intended change of a stored form needs its upgrade (a `#[serde(default)]` field with a fixture of \
the old shape in tests/golden/old/, a `#[serde(alias)]` for a rename, a migration of records.data for a reshape; \
events may only grow), see ARCHITECTURE.md, \"Stored records and their upgrades\"";

/// One difference: its path and whether it is on the fixture's side, the code's, or both.
struct Diff {
    path: String,
}

fn diff(path: &str, old: &Value, now: &Value, out: &mut Vec<Diff>) {
    match (old, now) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                match (a.get(k), b.get(k)) {
                    (Some(x), Some(y)) => diff(&p, x, y, out),
                    _ => out.push(Diff { path: p }),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                diff(&format!("{path}[{i}]"), x, y, out);
            }
        }
        _ if old == now => {}
        _ => out.push(Diff { path: path.to_owned() }),
    }
}

/// `events[3].payload.assignment.deadline`, with the event's kind, and both sides.
fn describe(d: &Diff, old: &Value, now: &Value) -> String {
    let pointer = pointer_of(&d.path);
    let side = |v: &Value| v.pointer(&pointer).map_or_else(|| "(absent)".to_owned(), compact);
    let event = d
        .path
        .strip_prefix("events[")
        .and_then(|rest| rest.split(']').next())
        .and_then(|i| i.parse::<usize>().ok())
        .map(|i| {
            let kind = |v: &Value| v["events"][i]["kind"].as_str().unwrap_or("?").to_owned();
            format!(" [event #{i}: fixture {}, now {}]", kind(old), kind(now))
        })
        .unwrap_or_default();
    format!("  {}{event}: fixture {}, now {}", d.path, side(old), side(now))
}

fn pointer_of(path: &str) -> String {
    let mut out = String::new();
    for part in path.split('.') {
        let (key, indices) = part.split_once('[').map_or((part, ""), |(k, rest)| (k, rest));
        out.push('/');
        out.push_str(&key.replace('~', "~0").replace('/', "~1"));
        for i in indices.split(['[', ']']).filter(|s| !s.is_empty()) {
            out.push('/');
            out.push_str(i);
        }
    }
    out
}

fn compact(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 120 { format!("{}…", s.chars().take(120).collect::<String>()) } else { s }
}

fn fixture_events<E: DeserializeOwned>(name: &str, fixture: &Value) -> Vec<E> {
    let list = fixture["events"].as_array().cloned().unwrap_or_default();
    list.iter()
        .enumerate()
        .map(|(i, e)| read(name, &format!("the fixture's event #{i} ({})", e["kind"]), &e["payload"]))
        .collect()
}

fn to_value<T: Serialize>(name: &str, what: &str, v: &T) -> Value {
    serde_json::to_value(v).unwrap_or_else(|e| panic!("golden {name}: {what} does not serialise: {e}"))
}

/// Read a stored value, naming what did not read.
pub(crate) fn read<T: DeserializeOwned>(name: &str, what: &str, v: &Value) -> T {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| {
        panic!(
            "golden {name}: {what} no longer reads ({e}): records stored in this shape would be unreadable"
        )
    })
}

/// What the code writes reads back as the same value (a lossy shape would change old records on reading).
fn round_trip<T: DeserializeOwned + PartialEq + Debug>(name: &str, what: &str, v: &Value, expected: &T) {
    let back: T = read(name, what, v);
    assert_eq!(&back, expected, "golden {name}: {what} does not read back as it was written");
}

/// An older stored shape, which must still read.
pub(crate) fn read_old<T: DeserializeOwned>((name, text): (&str, &str)) -> T {
    let v: Value = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("old form {name}: tests/golden/old/{name}.json is not JSON ({e})"));
    read(name, "the old form", &v)
}

/// `LIAISON_BLESS=1`: rewrite the fixtures instead of failing.
// The core reads no environment and does no I/O (clippy.toml); its tests may, to update their fixtures.
#[allow(clippy::disallowed_methods)]
fn bless() -> bool {
    std::env::var_os("LIAISON_BLESS").is_some_and(|v| v == "1")
}

#[allow(clippy::disallowed_methods)]
fn write_fixture(name: &str, v: &Value) {
    let path = format!("{}/tests/golden/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = serde_json::to_string_pretty(v).expect("a JSON value prints") + "\n";
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("golden {name}: cannot write {path}: {e}"));
}

// Fixed values the records are built from.

pub(crate) fn uuid(n: u128) -> Uuid {
    Uuid::from_u128(n)
}
pub(crate) fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
}
pub(crate) fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("a moment")
}
pub(crate) fn short(s: &str) -> ShortText {
    ShortText::parse(s).expect("a short text")
}
pub(crate) fn long(s: &str) -> LongText {
    LongText::parse(s).expect("a long text")
}
pub(crate) fn deputy(n: u128) -> DeputyId {
    DeputyId(uuid(n))
}
/// Deputy `n`: 1 王芳 (city), 2 李强 (county), 3 陈静 (township), 4 林海 (city).
pub(crate) fn signer(n: u128) -> Signer {
    let (name, level) = match n {
        1 => ("王芳", DeputyLevel::City),
        2 => ("李强", DeputyLevel::County),
        3 => ("陈静", DeputyLevel::Township),
        _ => ("林海", DeputyLevel::City),
    };
    Signer { deputy: deputy(n), name: PersonName::parse(name).expect("a name"), level }
}
pub(crate) fn staff(n: u128) -> StaffRef {
    StaffRef { user: UserId(uuid(n)), name: format!("承办人{n}") }
}
pub(crate) fn department(n: u128) -> DepartmentRef {
    DepartmentRef { id: DepartmentId(uuid(n)), name: short(&format!("第{n}检察部")) }
}
