//! One object as people read it: a two-column table (CSV: field,value) of its fields by their labels, its
//! codes by their words, and the people and records it names by name — never a key, a dotted path or a
//! bare id (issue 14 item 12). The JSON is the same shape as the API's; only its presentation changes:
//! - a wrapper (`measure` in a measure's view) shows its fields as the view's own;
//! - `status` and `status_zh` are one row (the Chinese word, or the code in words in English);
//! - an id beside a name (`deputy` beside `name`, `officer_id` beside `officer`) is left out, and an id
//!   the output names elsewhere (`people`, an organisation's lists) is shown as that name;
//! - a nested person or record is one cell: `白德（乡，闽清县）`, `第一检察部`, `钱建国（职务：检察长）`;
//! - a nested field's label is its parent's and its own: `答复期限 · 数量`.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::labels::{event, field_in, field_label, moment, reference, value, yes_no};
use super::{Format, csv_out, en, table};

/// Wrappers whose fields are shown as the view's own.
const TRANSPARENT: &[&str] = &[
    "measure",
    "deliberation",
    "notice",
    "suggestion",
    "meeting",
    "inspection",
    "review",
    "activity",
    "nomination",
    "contact",
];

/// Fields that name a thing (a person, a record): with one of these, an object is one cell.
const HANDLES: &[&str] = &["name", "display_name", "title", "number"];

/// Fields shown first, in this order; the rest follow in key order.
const FIRST: &[&str] = &[
    "number",
    "id",
    "name",
    "display_name",
    "login",
    "title",
    "kind",
    "status",
    "level",
    "term",
    "region",
    "delegation",
    "gender",
    "ethnicity",
    "birth_date",
    "birth_year",
    "work_unit",
    "position",
    "mobile",
    "landline",
    "email",
    "address",
    "id_number",
    "special_roles",
    "term_start",
    "term_end",
    "ended_on",
    "officer",
    "department",
    "on",
    "from",
    "to",
    "deadline",
    "owner",
    "description",
    "deputy",
    "deputies",
];

/// Print one object: JSON, or its fields as a two-column table (CSV: field,value). `names` gives the
/// names of ids the object does not name itself (a deputy's officer, from the organisation).
pub(crate) fn object_named<T: Serialize>(
    format: Format,
    value: &T,
    names: &[(String, String)],
) -> anyhow::Result<()> {
    let json = serde_json::to_value(value)?;
    if format == Format::Id {
        return super::ids(std::slice::from_ref(&json));
    }
    if format == Format::Json {
        println!("{}", serde_json::to_string_pretty(&json)?);
        return Ok(());
    }
    let tables = tables(&json, names);
    if format == Format::Csv {
        return csv_out(&["字段", "值"], tables.into_iter().flatten().map(|(k, v)| [k, v]));
    }
    for rows in tables {
        let mut t = table();
        for (k, v) in rows {
            t.add_row(vec![k, v]);
        }
        println!("{t}");
    }
    Ok(())
}

/// Print one object (see [`object_named`]).
pub(crate) fn object<T: Serialize>(format: Format, value: &T) -> anyhow::Result<()> {
    object_named(format, value, &[])
}

/// The rows of a value: one table for an object, one per item of a list.
pub(super) fn tables(v: &Value, names: &[(String, String)]) -> Vec<Vec<(String, String)>> {
    let mut known: HashMap<String, String> = names.iter().cloned().collect();
    collect_names(v, &mut known);
    match v {
        Value::Array(items) if items.iter().all(Value::is_object) => {
            items.iter().map(|i| root_rows(i, &known)).collect()
        }
        v => vec![root_rows(v, &known)],
    }
}

fn root_rows(v: &Value, names: &HashMap<String, String>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match v {
        Value::Object(m) => rows(&[], "", &prepare(m, true, names), names, &mut out),
        v => out.push((String::new(), scalar("", v, names))),
    }
    out
}

fn is_uuid(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok() && s.len() == 36
}

/// The fields that hold an object's own id (`{deputy, level, name}` is a person, `{user, name}` a user).
const OWN_ID: &[&str] = &["id", "deputy", "user"];

/// Ids and the names beside them, anywhere in the value (`{deputy, name}`, `{id, name}`, `people`).
fn collect_names(v: &Value, names: &mut HashMap<String, String>) {
    match v {
        Value::Object(m) => {
            if let Some(name) = handle(m) {
                for k in OWN_ID {
                    if let Some(id) = m.get(*k).and_then(Value::as_str).filter(|s| is_uuid(s)) {
                        names.entry(id.to_owned()).or_insert_with(|| name.to_owned());
                    }
                }
            }
            if let Some(Value::Object(people)) = m.get("people") {
                for (id, p) in people {
                    if let Some(n) = p.get("name").and_then(Value::as_str) {
                        names.insert(id.clone(), n.to_owned());
                    }
                }
            }
            m.values().for_each(|x| collect_names(x, names));
        }
        Value::Array(a) => a.iter().for_each(|x| collect_names(x, names)),
        _ => {}
    }
}

fn handle(m: &Map<String, Value>) -> Option<&str> {
    HANDLES.iter().find_map(|h| m.get(*h).and_then(Value::as_str))
}

/// The object as shown: wrappers opened, `x_zh` folded into `x`, ids beside names left out.
fn prepare(m: &Map<String, Value>, root: bool, names: &HashMap<String, String>) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, v) in m {
        match v {
            Value::Object(inner) if TRANSPARENT.contains(&k.as_str()) => {
                for (ik, iv) in inner {
                    if !m.contains_key(ik) {
                        out.insert(ik.clone(), iv.clone());
                    }
                }
            }
            _ if k == "people" => {}
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    let localised: Vec<String> =
        out.keys().filter(|k| k.ends_with("_zh") || k.ends_with("_en")).cloned().collect();
    for k in localised {
        let (base, lang) = k.split_at(k.len() - 3);
        let v = out.remove(&k).unwrap_or(Value::Null);
        if (lang == "_en") == en() {
            out.insert(base.to_owned(), v);
        }
    }
    // An id is shown as its name; left out when it is the object's own (its name is there) or its name
    // is beside it (`officer_id` beside `officer`, `leader` beside `leader_name`).
    let own = handle(&out).map(str::to_owned);
    let ids: Vec<String> = out
        .iter()
        .filter(|(k, v)| !(root && k.as_str() == "id") && v.as_str().is_some_and(is_uuid))
        .map(|(k, _)| k.clone())
        .collect();
    for k in ids {
        let id = out.get(&k).and_then(Value::as_str).unwrap_or_default().to_owned();
        let base = k.strip_suffix("_id").unwrap_or(&k);
        let beside = (base != k && out.contains_key(base)) || out.contains_key(&format!("{k}_name"));
        match names.get(&id) {
            _ if beside => {
                out.remove(&k);
            }
            Some(name) if Some(name) == own.as_ref() => {
                out.remove(&k);
            }
            Some(name) => {
                out.insert(k, Value::String(name.clone()));
            }
            None => {}
        }
    }
    for v in out.values_mut() {
        match v {
            Value::Object(inner) => *inner = prepare(inner, false, names),
            Value::Array(items) => {
                for i in items.iter_mut() {
                    if let Value::Object(inner) = i {
                        *inner = prepare(inner, false, names);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn ordered(m: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut fields: Vec<(&String, &Value)> = m.iter().collect();
    fields.sort_by_key(|(k, _)| (FIRST.iter().position(|f| f == k).unwrap_or(FIRST.len()), (*k).clone()));
    fields
}

fn label(prefix: &[String], parent: &str, key: &str) -> String {
    let mut parts = prefix.to_vec();
    parts.push(map_key(parent, key));
    parts.join(" · ")
}

/// A key as a label: a field's, or — in a map keyed by values (`by_level`: `county`) — the value's word.
fn map_key(parent: &str, key: &str) -> String {
    if is_uuid(key) {
        return key.to_owned();
    }
    field_label(parent, key).or_else(|| value("", key)).unwrap_or_else(|| field_in(parent, key))
}

fn rows(
    prefix: &[String],
    parent: &str,
    m: &Map<String, Value>,
    names: &HashMap<String, String>,
    out: &mut Vec<(String, String)>,
) {
    for (k, v) in ordered(m) {
        let here = label(prefix, parent, k);
        match v {
            // The record's own id, as commands take it.
            Value::String(id) if prefix.is_empty() && k == "id" => out.push((here, id.clone())),
            Value::Object(inner) if !inner.is_empty() && compact(k, inner, names).is_none() => {
                let mut p = prefix.to_vec();
                p.push(map_key(parent, k));
                rows(&p, k, inner, names, out);
            }
            Value::Object(inner) => out.push((here, compact(k, inner, names).unwrap_or_default())),
            // A deputy's other registers (issue 20): each the one line the pages show.
            Value::Array(items) if k == "other_registers" => {
                let line = |i: &Value| match (en(), i["text"].as_str()) {
                    (true, _) => Some(format!(
                        "{} deputy, on the register of {}",
                        i["level"].as_str().unwrap_or_default(),
                        i["procuratorate"].as_str().unwrap_or_default()
                    )),
                    (false, text) => text.map(str::to_owned),
                };
                let lines: Vec<String> = items.iter().filter_map(line).collect();
                out.push((here, lines.join("\n")));
            }
            Value::Array(items) if items.iter().any(Value::is_object) => {
                let cells: Option<Vec<String>> =
                    items.iter().map(|i| i.as_object().and_then(|o| compact(k, o, names))).collect();
                match cells {
                    Some(cells) => out.push((here, cells.join("\n"))),
                    None => {
                        for (n, i) in items.iter().enumerate() {
                            let mut p = prefix.to_vec();
                            p.push(format!("{}（{}）", map_key(parent, k), n + 1));
                            match i {
                                Value::Object(o) => rows(&p, k, o, names, out),
                                v => out.push((p.join(" · "), scalar(k, v, names))),
                            }
                        }
                    }
                }
            }
            v => out.push((here, scalar(k, v, names))),
        }
    }
}

/// A person or a record in one cell (`白德（乡，闽清县）`), when the object names one.
fn compact(parent: &str, m: &Map<String, Value>, names: &HashMap<String, String>) -> Option<String> {
    // A dated entry (a progress note, a reason given on a day): `2026-06-01：已选址`.
    if let (Some(on), 2) = (m.get("on").and_then(Value::as_str), m.len())
        && let Some(text) = ["value", "text"].iter().find_map(|k| m.get(*k).and_then(Value::as_str))
    {
        return Some(format!("{on}{}{text}", if en() { ": " } else { "：" }));
    }
    let (key, handle) = HANDLES.iter().find_map(|h| m.get(*h).and_then(Value::as_str).map(|v| (*h, v)))?;
    let parts: Vec<String> = ordered(m)
        .into_iter()
        .filter(|(k, v)| k.as_str() != key && !v.is_null())
        .filter(|(k, v)| v.as_object().is_none_or(|o| compact(k, o, names).is_some()))
        .filter(|(_, v)| !v.as_str().is_some_and(|s| s.is_empty() || is_uuid(s)))
        .filter(|(_, v)| !v.as_array().is_some_and(Vec::is_empty))
        .map(|(k, v)| match k.as_str() {
            // What kind of thing it is, where and in what state: the word says it.
            "level" | "region" | "kind" | "from" | "status" => scalar(k, v, names),
            _ => format!("{}{}{}", field_in(parent, k), if en() { ": " } else { "：" }, scalar(k, v, names)),
        })
        .collect();
    Some(if parts.is_empty() {
        handle.to_owned()
    } else if en() {
        format!("{handle} ({})", parts.join(", "))
    } else {
        format!("{handle}（{}）", parts.join("，"))
    })
}

fn scalar(key: &str, v: &Value, names: &HashMap<String, String>) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => yes_no(*b).to_owned(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => text(key, s, names),
        Value::Array(items) => {
            let unnamed = items
                .iter()
                .filter(|i| i.as_str().is_some_and(|s| is_uuid(s) && !names.contains_key(s)))
                .count();
            if unnamed > 0 && unnamed == items.len() {
                return if en() { format!("{unnamed} in all") } else { format!("共 {unnamed} 项") };
            }
            let sep = if en() { ", " } else { "、" };
            items.iter().map(|i| scalar(key, i, names)).collect::<Vec<_>>().join(sep)
        }
        Value::Object(o) => compact(key, o, names).unwrap_or_default(),
    }
}

/// A text value as shown: a code by its word, an id by its name, an event kind by its label, a moment
/// in China time to the minute.
fn text(key: &str, s: &str, names: &HashMap<String, String>) -> String {
    if let Some(name) = names.get(s) {
        return name.clone();
    }
    if let Some(word) = value(key, s) {
        return word;
    }
    if key == "kind" && s.contains('.') && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_' || b == b'.')
    {
        return event(s);
    }
    if let Some((_, id)) = s.split_once(':')
        && is_uuid(id)
    {
        return reference(&s.replace(id, names.get(id).map_or(id, String::as_str)));
    }
    moment(s)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use serde_json::json;

    use super::*;

    fn shown(v: Value) -> Vec<(String, String)> {
        tables(&v, &[]).concat()
    }

    fn row<'a>(rows: &'a [(String, String)], label: &str) -> Option<&'a str> {
        rows.iter().find(|(k, _)| k == label).map(|(_, v)| v.as_str())
    }

    /// What issue 14 saw: `measure.deputies[0].deputy`, `contact.address`, `gender female`, `township`
    /// beside 乡, `in_office`, `answer.count`, a card's `deputy.deputy` and `officer_id`.
    #[test]
    fn issue14_the_keys_seen_are_labels_and_the_people_names() {
        let d = "01a22134-ab28-7519-8884-fe0594c65a02";
        let measure = json!({"measure": {"id": "01a22134-b38e-767d-b292-1471e615867d", "title": "建立联络点",
            "status": "open", "deputies": [{"deputy": d, "level": "township", "name": "白德"}],
            "origin": {"from": "suggestion", "id": "01a22134-b204-70a7-ab34-ea983949fd5c", "number": "2026-0001"}},
            "status_zh": "整改中", "overdue": false});
        let rows = shown(measure);
        assert_eq!(row(&rows, "代表"), Some("白德（乡）"));
        assert_eq!(row(&rows, "状态"), Some("整改中"));
        assert_eq!(row(&rows, "来源"), Some("2026-0001（建议）"));
        assert_eq!(row(&rows, "逾期"), Some("否"));
        assert_eq!(
            row(&rows, "ID"),
            Some("01a22134-b38e-767d-b292-1471e615867d"),
            "the record's own id, for commands"
        );

        let deputy = json!({"id": d, "name": "白德", "gender": "female", "level": "township", "level_zh": "乡",
            "status": "in_office", "contact": {"address": "福建省福州市****", "mobile": null},
            "officer": "01a22134-af31-75f0-a743-7a6f3d1aa4a3"});
        let rows =
            tables(&deputy, &[("01a22134-af31-75f0-a743-7a6f3d1aa4a3".into(), "林晓".into())]).concat();
        assert_eq!(row(&rows, "性别"), Some("女"));
        assert_eq!(row(&rows, "层级"), Some("乡"));
        assert_eq!(rows.iter().filter(|(k, _)| k == "层级").count(), 1, "{rows:?}");
        assert_eq!(row(&rows, "状态"), Some("在任"));
        assert_eq!(row(&rows, "通讯地址"), Some("福建省福州市****"));
        assert_eq!(row(&rows, "联络员"), Some("林晓"));

        let policy = json!({"answer": {"count": 3, "unit": "months"}, "satisfaction": {"rule": "majority"}});
        let rows = shown(policy);
        assert_eq!(row(&rows, "答复期限 · 数量"), Some("3"));
        assert_eq!(row(&rows, "答复期限 · 单位"), Some("个月"));

        let card = json!({"number": "LK-2026-0001", "deputy": {"deputy": d, "level": "township", "name": "白德"},
            "officer": "林晓", "officer_id": "01a22134-af31-75f0-a743-7a6f3d1aa4a3", "revoked": ["2026-06-01", "调整"]});
        let rows = shown(card);
        assert_eq!(row(&rows, "代表"), Some("白德（乡）"));
        assert_eq!(row(&rows, "联络员"), Some("林晓"));
        assert_eq!(rows.iter().filter(|(k, _)| k == "联络员").count(), 1, "officer_id left out: {rows:?}");
        for (k, v) in &rows {
            assert!(!k.contains(['.', '_']) && !v.contains(d), "{k}: {v}");
        }
    }
}
