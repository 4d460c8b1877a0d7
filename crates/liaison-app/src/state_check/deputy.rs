//! A deputy replayed from the register's events (`Deputy::from_registered`, then `Deputy::apply`) and
//! compared with its row: every column the store derives from the aggregate (name, sort and search keys,
//! level, status, region, delegation, officer, department, the state without personal data), the sealed
//! personal data (it opens under the key and this row's binding; the fields set are the ones the events
//! set, where no later change left it open whether a field was set or cleared), the masked copy (it masks
//! what is sealed) and the duplicate keys (those of the replayed deputy with its sealed ID number).

use std::collections::BTreeSet;

use liaison_core::ids::{DeputyId, TenantId};
use liaison_core::registry::{Deputy, DeputyEvent};
use liaison_store::state::{AggregateState, DeputyColumns, Stored, StoredDeputy, open_personal};
use liaison_store::{Keys, MaskedPersonal};
use serde::Deserialize;

use super::{ABSENT, Found, diff};

/// The deputies' aggregate type in the audit chain.
pub(crate) const KIND: &str = "deputy";

/// Audit records of a deputy that are not events of the aggregate: a full view, and a link of its record
/// to the same person's record on another register (issue 20; the link is its own row, `deputy_links`).
const NOT_EVENTS: &[&str] = &["access.personal_data_viewed", "deputy.linked"];

/// The personal fields, as the events' `personal_fields` name them.
const PERSONAL: [&str; 5] = ["id_number", "mobile", "landline", "address", "email"];

/// A deputy's audit payload: the event without personal data, and the personal fields it set or changed.
#[derive(Deserialize)]
struct Payload {
    event: DeputyEvent,
    #[serde(default)]
    personal_fields: Vec<String>,
}

/// What the events say of the personal fields: set at registration, and touched (set or cleared) later.
#[derive(Default)]
struct PersonalHistory {
    registered: BTreeSet<String>,
    touched: BTreeSet<String>,
}

/// The `birth_year` an audit payload states (`Some(None)`: stated as cleared), wherever in the event it is.
fn stated_birth_year(payload: &str) -> Option<Option<i32>> {
    fn find(v: &serde_json::Value) -> Option<Option<i32>> {
        match v {
            serde_json::Value::Object(m) => match m.get("birth_year") {
                Some(y) => Some(y.as_i64().and_then(|y| i32::try_from(y).ok())),
                None => m.values().find_map(find),
            },
            serde_json::Value::Array(a) => a.iter().find_map(find),
            _ => None,
        }
    }
    find(&serde_json::from_str(payload).ok()?)
}

/// A payload written before `patch_format` 2, with its patch's `null`s dropped: then a `null` meant "no
/// change" (a cleared field was written the same way, so the chain cannot say it was cleared). `None` for a
/// payload of the current format or no patch at all.
fn legacy_patch(payload: &str) -> Option<serde_json::Value> {
    fn drop_nulls(v: &mut serde_json::Value) {
        if let serde_json::Value::Object(m) = v {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(drop_nulls);
        }
    }
    let mut v: serde_json::Value = serde_json::from_str(payload).ok()?;
    if v.get("patch_format").is_some() {
        return None;
    }
    drop_nulls(v.get_mut("event")?.get_mut("patch")?);
    Some(v)
}

fn set_or_not(set: bool) -> &'static str {
    if set { "set" } else { "not set" }
}

pub(crate) fn check(f: &mut Found<'_>, keys: &Keys, a: &AggregateState) {
    let Ok(id) = DeputyId::parse(&a.id) else {
        f.differs("id", a.id.clone(), "a deputy id (uuid)");
        return;
    };
    let mut deputy: Option<Deputy> = None;
    let mut personal = PersonalHistory::default();
    // The chain keeps a birth date as its year only (issue 12 item 2): the last year an event stated.
    let mut birth_year: Option<Option<i32>> = None;
    for r in &a.events {
        if NOT_EVENTS.contains(&r.kind.as_str()) {
            continue;
        }
        if let Some(y) = stated_birth_year(&r.payload) {
            birth_year = Some(y);
        }
        let p = match legacy_patch(&r.payload)
            .map_or_else(|| serde_json::from_str::<Payload>(&r.payload), serde_json::from_value::<Payload>)
        {
            Ok(p) if p.event.kind() == r.kind => p,
            Ok(p) => {
                f.bad_event(r, &format!("payload is a {} event", p.event.kind()));
                continue;
            }
            Err(e) => {
                f.bad_event(r, &format!("not a deputy event: {e}"));
                continue;
            }
        };
        match &mut deputy {
            None => match Deputy::from_registered(id, &p.event) {
                Some(d) => {
                    personal.registered.extend(p.personal_fields);
                    deputy = Some(d);
                }
                None => f.bad_event(r, "the first event is not a registration"),
            },
            Some(d) => {
                if matches!(p.event, DeputyEvent::Registered { .. }) {
                    f.bad_event(r, "registered again");
                    continue;
                }
                personal.touched.extend(p.personal_fields);
                d.apply(&p.event);
            }
        }
    }
    let Some(mut replayed) = deputy else {
        if a.stored.is_some() {
            f.differs("events", "stored", "no registration");
        }
        return;
    };
    let stored = match &a.stored {
        Some(Stored::Deputy(d)) => d,
        _ => {
            f.differs("row", ABSENT, format!("deputy {} (version {})", replayed.data.name, replayed.version));
            return;
        }
    };
    // A stored birth date in the year the events state is what they say (its day is not in the chain).
    if let Some(year) = birth_year
        && replayed.data.birth_date.is_none()
        && let Ok(d) = serde_json::from_str::<Deputy>(&stored.data)
        && d.data.birth_date.map(|b| chrono::Datelike::year(&b)) == year
    {
        replayed.data.birth_date = d.data.birth_date;
    }
    compare_columns(f, stored, &replayed);
    let tenant = match TenantId::parse(&a.tenant) {
        Ok(t) => t,
        Err(e) => return f.differs("tenant", a.tenant.clone(), format!("a tenant id ({e})")),
    };
    match open_personal(keys, &tenant, id, &stored.sealed) {
        Err(e) => {
            f.differs("sealed", format!("does not open ({e})"), "opens under the key, bound to this deputy")
        }
        Ok((id_number, contact)) => {
            let set = [
                id_number.is_some(),
                contact.mobile.is_some(),
                contact.landline.is_some(),
                contact.address.is_some(),
                contact.email.is_some(),
            ];
            for (name, is_set) in PERSONAL.into_iter().zip(set) {
                if personal.touched.contains(name) {
                    continue;
                }
                let expected = personal.registered.contains(name);
                if is_set != expected {
                    f.differs(format!("sealed.{name}"), set_or_not(is_set), set_or_not(expected));
                }
            }
            let masked = MaskedPersonal::of(id_number.as_ref(), &contact);
            match serde_json::from_str::<MaskedPersonal>(&stored.masked) {
                Ok(m) => diff::values(
                    f,
                    "masked",
                    &serde_json::to_value(&m).unwrap_or_default(),
                    &serde_json::to_value(&masked).unwrap_or_default(),
                ),
                Err(e) => f.differs("masked", format!("unreadable: {e}"), "the masked sealed data"),
            }
            let mut full = replayed.data.clone();
            full.id_number = id_number;
            full.contact = contact;
            compare_keys(f, &a.keys, &crate::registry::deputy_keys(keys, &full));
        }
    }
}

fn compare_columns(f: &mut Found<'_>, s: &StoredDeputy, replayed: &Deputy) {
    let c = match DeputyColumns::of(replayed) {
        Ok(c) => c,
        Err(e) => return f.differs("state", ABSENT, format!("cannot be written: {e}")),
    };
    f.column("version", &s.version, &c.version);
    f.column("name", &s.name, &c.name);
    f.column("name_key", &s.name_key, &c.name_key);
    f.column("pinyin", &s.pinyin, &c.pinyin);
    f.column("initials", &s.initials, &c.initials);
    f.column("level", &s.level, &c.level);
    f.column("status", &s.status, &c.status);
    f.column("region", &s.region, &c.region);
    f.column("delegation", &s.delegation, &c.delegation);
    f.column("officer_id", &s.officer, &c.officer);
    f.column("department_id", &s.department, &c.department);
    // The stored state read as the aggregate and written again, so both sides have one form.
    let stored = serde_json::from_str::<Deputy>(&s.data)
        .map_err(|e| e.to_string())
        .and_then(|d| DeputyColumns::of(&d).map_err(|e| e.to_string()));
    match stored {
        Ok(d) => diff::values(f, "state", &diff::json(&d.data), &diff::json(&c.data)),
        Err(e) => f.differs("state", format!("unreadable: {e}"), diff::clip(&c.data)),
    }
}

fn compare_keys(
    f: &mut Found<'_>,
    stored: &[(String, Option<String>)],
    expected: &liaison_store::DeputyKeys,
) {
    let stored: BTreeSet<(String, Option<String>)> = stored.iter().cloned().collect();
    let expected: BTreeSet<(String, Option<String>)> =
        expected.keys.iter().map(|k| (k.key.clone(), expected.id_hash.clone())).collect();
    let show = |(k, h): &(String, Option<String>)| match h {
        Some(h) => format!("{k} (ID hash {h})"),
        None => k.clone(),
    };
    for k in stored.difference(&expected) {
        f.differs("keys", diff::clip(&show(k)), ABSENT);
    }
    for k in expected.difference(&stored) {
        f.differs("keys", ABSENT, diff::clip(&show(k)));
    }
}

#[cfg(test)]
mod tests {
    use super::legacy_patch;

    #[test]
    fn an_older_patch_reads_its_nulls_as_no_change_and_a_current_one_as_cleared() {
        let old = r#"{"event":{"type":"updated","patch":{"position":null,"work_unit":"某局","contact":{"mobile":null}}},"personal_fields":[]}"#;
        let read = legacy_patch(old).expect("an older payload is rewritten");
        assert_eq!(read["event"]["patch"], serde_json::json!({"work_unit": "某局", "contact": {}}));
        let current =
            r#"{"event":{"type":"updated","patch":{"position":null}},"personal_fields":[],"patch_format":2}"#;
        assert_eq!(legacy_patch(current), None, "a current payload is read as written: null clears");
        let registered = r#"{"event":{"type":"registered","draft":{}},"personal_fields":[]}"#;
        assert_eq!(legacy_patch(registered), None, "no patch, nothing to rewrite");
    }
}
