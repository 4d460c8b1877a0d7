//! Labels for what the CLI prints for people (issue 14 item 12): every field name, coded value and event
//! kind in the user's language — never `answer.count`, `in_office` or `deputy.registered`. Chinese comes
//! from the core where it already names a thing (its input fields' names, its enums' words) and from the
//! tables here otherwise; English is the key in words (`term_start` → "term start") unless a table says
//! better. A key without a label is shown in those words: the CLI tests walk every command's tables and
//! fail on any that reaches a Chinese table.

use super::lang::en;

mod events;
mod fields;
mod values;

use events::EVENTS;
use fields::{FIELDS, FIELDS_EN, IN_CONTEXT};
use values::{BY_FIELD, NEVER, VALUES, core_word};

/// A field's label (in English, the key in words when no better one is known).
pub(crate) fn field(key: &str) -> String {
    field_in("", key)
}

/// A field's label inside `parent` (`to` is 止 in a period but 去向 in a route).
pub(crate) fn field_in(parent: &str, key: &str) -> String {
    field_label(parent, key).unwrap_or_else(|| words(key))
}

/// A field's label inside `parent`, when one is known.
pub(crate) fn field_label(parent: &str, key: &str) -> Option<String> {
    if let Some((_, _, zh, e)) = IN_CONTEXT.iter().find(|(p, k, _, _)| *p == parent && *k == key) {
        return Some(if en() { (*e).to_owned() } else { (*zh).to_owned() });
    }
    if en() {
        return Some(
            FIELDS_EN.iter().find(|(k, _)| *k == key).map_or_else(|| words(key), |(_, e)| (*e).to_owned()),
        );
    }
    if let Some((_, zh)) = FIELDS.iter().find(|(k, _)| *k == key) {
        return Some((*zh).to_owned());
    }
    match liaison_core::error::field_zh(key) {
        "字段" => None,
        zh => Some(zh.to_owned()),
    }
}

/// The label of a coded value (`in_office` → 在任), when `code` is one; `key` is the field it is in.
pub(crate) fn value(key: &str, code: &str) -> Option<String> {
    if NEVER.contains(&key) || code.is_empty() || !code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
        return None;
    }
    let zh = BY_FIELD
        .iter()
        .find(|(k, c, _)| *k == key && *c == code)
        .map(|(_, _, zh)| *zh)
        .or_else(|| VALUES.iter().find(|(c, _)| *c == code).map(|(_, zh)| *zh))
        .or_else(|| core_word(code))?;
    Some(if en() { words(code) } else { zh.to_owned() })
}

/// An event kind (`deputy.registered` → 代表登记).
pub(crate) fn event(kind: &str) -> String {
    if en() {
        return words(&kind.replacen('.', ": ", 1));
    }
    match EVENTS.iter().find(|(k, _)| *k == kind) {
        Some((_, zh)) => (*zh).to_owned(),
        None => {
            let (noun, verb) = kind.split_once('.').unwrap_or(("", kind));
            format!("{}：{}", field(noun), words(verb))
        }
    }
}

/// A record named by its kind and number or id (`suggestion 2026-0001`, `suggestion:<id>`), the kind in
/// words.
pub(crate) fn reference(r: &str) -> String {
    match r.split_once([' ', ':']) {
        Some((kind, rest)) => match value("", kind) {
            Some(word) => format!("{word} {rest}"),
            None => r.to_owned(),
        },
        None => r.to_owned(),
    }
}

/// `2026-06-01T01:00:00Z` → `2026-06-01 09:00` (China time); a local `2026-06-01T09:00:00` likewise;
/// anything else as it is.
pub(crate) fn moment(s: &str) -> String {
    let parsed = || {
        if s.len() < 16 || s.as_bytes().get(10) != Some(&b'T') {
            return None;
        }
        if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
            let china = liaison_core::dates::china_time(t.with_timezone(&chrono::Utc));
            return Some(china.format("%Y-%m-%d %H:%M").to_string());
        }
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
            .ok()
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
    };
    parsed().unwrap_or_else(|| s.to_owned())
}

/// 是 / 否.
pub(crate) fn yes_no(b: bool) -> &'static str {
    match (en(), b) {
        (true, true) => "yes",
        (true, false) => "no",
        (false, true) => "是",
        (false, false) => "否",
    }
}

/// `term_start` → "term start".
fn words(key: &str) -> String {
    key.replace('_', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each table names a key once, and its Chinese is Chinese (no key slipped in as a label).
    #[test]
    fn the_tables_have_each_key_once_and_chinese_labels() {
        let latin = |s: &str| s.chars().any(|c| c.is_ascii_lowercase());
        for (name, keys) in [
            ("FIELDS", FIELDS.iter().map(|(k, zh)| (*k, *zh)).collect::<Vec<_>>()),
            ("VALUES", VALUES.to_vec()),
            ("EVENTS", EVENTS.to_vec()),
        ] {
            let mut seen = std::collections::BTreeSet::new();
            for (k, zh) in keys {
                assert!(seen.insert(k), "{name}: {k} twice");
                assert!(!latin(zh), "{name}: {k} is labelled {zh}");
            }
        }
        assert_eq!(words("term_start"), "term start");
        assert_eq!(reference("suggestion 2026-0001"), "建议 2026-0001");
        assert_eq!(moment("2026-06-01T01:00:00Z"), "2026-06-01 09:00");
        assert_eq!(event("deputy.term_ended"), "代表任期结束");
        assert_eq!(value("login", "office"), None, "a login is shown as typed");
        assert_eq!(value("roles", "office").as_deref(), Some("联络室"));
    }
}
