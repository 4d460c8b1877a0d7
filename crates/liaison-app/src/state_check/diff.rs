//! Naming where two JSON states differ: the path of every differing value (`state.data.work_unit`,
//! `state.rounds[1].answer`), with both values shown short.

use serde_json::Value;

use super::{ABSENT, Found};

/// The longest value a difference shows, in characters.
const SHOWN: usize = 200;

/// A value shortened for a report.
pub(crate) fn clip(s: &str) -> String {
    if s.chars().count() <= SHOWN {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(SHOWN).collect();
        out.push('…');
        out
    }
}

/// JSON text as a value (text that is not JSON as a string, so it still compares).
pub(crate) fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

fn show(v: Option<&Value>) -> String {
    match v {
        None => ABSENT.to_owned(),
        Some(Value::String(s)) => clip(s),
        Some(v) => clip(&v.to_string()),
    }
}

/// Name every path where `stored` and `replayed` differ, under `path`.
pub(crate) fn values(f: &mut Found<'_>, path: &str, stored: &Value, replayed: &Value) {
    walk(f, path, Some(stored), Some(replayed));
}

fn walk(f: &mut Found<'_>, path: &str, stored: Option<&Value>, replayed: Option<&Value>) {
    if stored == replayed {
        return;
    }
    match (stored, replayed) {
        (Some(Value::Object(s)), Some(Value::Object(r))) => {
            let keys: std::collections::BTreeSet<&String> = s.keys().chain(r.keys()).collect();
            for k in keys {
                walk(f, &format!("{path}.{k}"), s.get(k), r.get(k));
            }
        }
        (Some(Value::Array(s)), Some(Value::Array(r))) => {
            for i in 0..s.len().max(r.len()) {
                walk(f, &format!("{path}[{i}]"), s.get(i), r.get(i));
            }
        }
        _ => f.differs(path, show(stored), show(replayed)),
    }
}
