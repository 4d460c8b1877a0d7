//! The English catalogue of the staff pages: Chinese source phrase → English (gettext-style: the Chinese
//! text of the templates stays the key), read once from `templates/staff/en.tsv`, and the two ways it is
//! used — phrases inside a template's own text (longest match first, never inside a value), and a value
//! translated whole (a status, a done message, `还有 5 天`, a date) or not at all.
//!
//! The file, one entry a line: `中文<TAB>English`; `{}` stands for a value (in a template's text: one
//! `{{ … }}`; in a whole value: any text, itself translated whole when it can be); a line starting with `=`
//! is for whole values only (short words such as a level's `市`, which must never match inside a longer
//! phrase); `#` starts a comment.

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

/// Where a value stands in a segment's skeleton (see [`Catalogue::segment`]).
pub(super) const HOLE: char = '\u{E002}';
/// Opens a value in the rendered HTML (English rendering only).
pub(super) const OPEN: char = '\u{E000}';
/// Closes a value.
pub(super) const CLOSE: char = '\u{E001}';

/// The catalogue's text.
const SOURCE: &str = include_str!("../../../templates/staff/en.tsv");

/// One entry: the English, split at its `{}`.
#[derive(Debug)]
struct English {
    parts: Vec<String>,
}

impl English {
    fn new(s: &str) -> Self {
        English { parts: s.split("{}").map(str::to_owned).collect() }
    }

    /// The English with `{}` filled in order (a missing value leaves nothing).
    fn fill(&self, out: &mut String, values: &mut dyn Iterator<Item = String>) {
        for (i, p) in self.parts.iter().enumerate() {
            if i > 0 {
                out.push_str(&values.next().unwrap_or_default());
            }
            out.push_str(p);
        }
    }
}

/// An entry with values (`{}`), matched against a whole value.
#[derive(Debug)]
struct Pattern {
    /// The Chinese between the values: `还有 {} 天` → `["还有 ", " 天"]`.
    parts: Vec<String>,
    english: usize,
}

impl Pattern {
    /// The values when `v` is this pattern with a non-empty text for each `{}`.
    fn captures<'v>(&self, v: &'v str) -> Option<Vec<&'v str>> {
        let (first, rest) = self.parts.split_first()?;
        let last = rest.last()?;
        let mut body = v.strip_prefix(first.as_str())?.strip_suffix(last.as_str())?;
        let mut caps = Vec::with_capacity(rest.len());
        for mid in &rest[..rest.len() - 1] {
            // The value before `mid` ends at `mid`'s first occurrence after at least one character.
            let skip = body.chars().next()?.len_utf8();
            let at = body[skip..].find(mid.as_str())? + skip;
            caps.push(&body[..at]);
            body = &body[at + mid.len()..];
        }
        (!body.is_empty()).then(|| {
            caps.push(body);
            caps
        })
    }
}

/// The catalogue, built once.
pub(super) struct Catalogue {
    /// The phrases of a template's text (values as [`HOLE`]), longest first at each place (none if the
    /// matcher could not be built: logged, and the pages stay in Chinese where the values do not help).
    phrases: Option<AhoCorasick>,
    /// The English of each phrase, by the matcher's pattern index.
    phrase_en: Vec<usize>,
    /// Whole values.
    exact: HashMap<String, usize>,
    /// Whole values with `{}`, the most specific (longest Chinese) first.
    patterns: Vec<Pattern>,
    english: Vec<English>,
}

/// The one catalogue.
pub(super) static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| Catalogue::parse(SOURCE));

/// The entries of the catalogue's text: (Chinese, English, whole values only), comments and blank lines
/// left out. A line without a tab is skipped (the coverage test names it).
pub(super) fn entries(source: &str) -> impl Iterator<Item = (&str, &str, bool)> {
    source.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).filter_map(|l| {
        let (zh, en) = l.split_once('\t')?;
        let (zh, whole) = match zh.strip_prefix('=') {
            Some(z) => (z, true),
            None => (zh, false),
        };
        Some((zh, en.trim_end_matches('\r'), whole))
    })
}

impl Catalogue {
    fn parse(source: &str) -> Self {
        let mut english = Vec::new();
        let mut exact = HashMap::new();
        let mut patterns = Vec::new();
        let mut keys = Vec::new();
        let mut phrase_en = Vec::new();
        for (zh, en, whole) in entries(source) {
            let at = english.len();
            english.push(English::new(en));
            if zh.contains("{}") {
                patterns.push(Pattern { parts: zh.split("{}").map(str::to_owned).collect(), english: at });
            } else {
                exact.insert(zh.to_owned(), at);
            }
            if !whole {
                keys.push(zh.replace("{}", &HOLE.to_string()));
                phrase_en.push(at);
            }
        }
        patterns.sort_by_key(|p| std::cmp::Reverse(p.parts.iter().map(String::len).sum::<usize>()));
        let phrases = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&keys)
            .map_err(|e| tracing::error!(error = %e, "the English catalogue could not be built"))
            .ok();
        Catalogue { phrases, phrase_en, exact, patterns, english }
    }

    /// A value in English when the whole of it is an entry (or an entry's pattern, or a date); `None`
    /// when it is not (a name, a title, a reason: data, left as it is).
    pub(super) fn value(&self, v: &str) -> Option<String> {
        if !needs_english(v) {
            return None;
        }
        if let Some(&i) = self.exact.get(v) {
            return Some(self.english[i].parts.concat());
        }
        if let Some(d) = date(v) {
            return Some(d);
        }
        self.patterns.iter().find_map(|p| {
            let caps = p.captures(v)?;
            let mut out = String::new();
            let mut values = caps.into_iter().map(|c| self.value(c).unwrap_or_else(|| c.to_owned()));
            self.english[p.english].fill(&mut out, &mut values);
            Some(out)
        })
    }

    /// One text of the page (a text node, an attribute's value) in English: its own phrases by the
    /// catalogue, each value (between [`OPEN`] and [`CLOSE`]) whole or not at all, the markers removed.
    /// `missing` receives what is left in Chinese outside the values.
    pub(super) fn segment(&self, seg: &str, out: &mut String, mut missing: Option<&mut Vec<String>>) {
        if !needs_english(seg) {
            out.push_str(seg);
            return;
        }
        // The skeleton: the text with each value as one HOLE (adjacent values are one).
        let mut skeleton = String::with_capacity(seg.len());
        let mut values: Vec<String> = Vec::new();
        let mut inside = false;
        let mut prev_close = false;
        let mut chars = seg.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                // A run of white space with a line break is one space (as the browser shows it): a
                // sentence the template wraps matches its one-line entry.
                c if !inside && c.is_ascii_whitespace() => {
                    let mut run = String::from(c);
                    while let Some(n) = chars.next_if(char::is_ascii_whitespace) {
                        run.push(n);
                    }
                    if run.contains('\n') { skeleton.push(' ') } else { skeleton.push_str(&run) }
                }
                OPEN => {
                    if !prev_close {
                        skeleton.push(HOLE);
                        values.push(String::new());
                    }
                    inside = true;
                }
                CLOSE => inside = false,
                HOLE => {}
                c if inside => {
                    if let Some(v) = values.last_mut() {
                        v.push(c);
                    }
                }
                c => skeleton.push(c),
            }
            prev_close = c == CLOSE;
        }
        let mut values = values.into_iter();
        let mut own = |text: &str, out: &mut String, values: &mut std::vec::IntoIter<String>| {
            for c in text.chars() {
                if c == HOLE {
                    let v = values.next().unwrap_or_default();
                    out.push_str(&self.value(&v).unwrap_or(v));
                } else {
                    out.push(c);
                }
            }
            if let Some(m) = missing.as_deref_mut() {
                m.extend(chinese_runs(text));
            }
        };
        let mut at = 0;
        for m in self.phrases.iter().flat_map(|p| p.find_iter(&skeleton)) {
            own(&skeleton[at..m.start()], out, &mut values);
            let holes = skeleton[m.start()..m.end()].matches(HOLE).count();
            let mut filled = (&mut values)
                .take(holes)
                .map(|v| self.value(&v).unwrap_or(v))
                .collect::<Vec<_>>()
                .into_iter();
            if let Some(&e) = self.phrase_en.get(m.pattern().as_usize()) {
                self.english[e].fill(out, &mut filled);
            }
            at = m.end();
        }
        own(&skeleton[at..], out, &mut values);
    }
}

/// Whether a text may hold Chinese or a value: a character from U+2E80 on (CJK, full-width punctuation,
/// the markers), found by its UTF-8 lead byte.
pub(super) fn needs_english(s: &str) -> bool {
    s.bytes().any(|b| b >= 0xE2)
}

/// Whether a character is one the English pages must not show outside data: Han, CJK punctuation,
/// full-width forms.
pub(super) fn is_chinese(c: char) -> bool {
    matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}')
}

/// The Chinese runs of a text (what a coverage check reports).
pub(super) fn chinese_runs(s: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if is_chinese(c) {
            cur.push(c);
        } else if !cur.is_empty() {
            runs.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        runs.push(cur);
    }
    runs
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const WEEKDAYS: [(&str, &str); 7] = [
    ("星期一", "Monday"),
    ("星期二", "Tuesday"),
    ("星期三", "Wednesday"),
    ("星期四", "Thursday"),
    ("星期五", "Friday"),
    ("星期六", "Saturday"),
    ("星期日", "Sunday"),
];

/// A date as the pages write it in Chinese, in English: `2026年3月2日` → `2 March 2026`, `2026年3月` →
/// `March 2026`, `3月2日` → `2 March`; after the day a time (`14:05`) or a weekday (`星期一`,
/// `（星期一）`) is kept or put in English.
pub(super) fn date(v: &str) -> Option<String> {
    let (year, rest) = match v.split_once('年') {
        Some((y, rest)) => (Some(y.trim().parse::<u32>().ok()?), rest),
        None => (None, v),
    };
    let (m, rest) = rest.split_once('月')?;
    let month: usize = m.trim().parse().ok()?;
    let name = MONTHS.get(month.checked_sub(1)?)?;
    let year = year.map(|y| format!(" {y}")).unwrap_or_default();
    if rest.is_empty() {
        return (!year.is_empty()).then(|| format!("{name}{year}"));
    }
    let (d, after) = rest.split_once('日')?;
    let d: u32 = d.trim().parse().ok()?;
    let after = after.trim();
    let after = if after.is_empty() {
        String::new()
    } else if after.bytes().all(|b| b.is_ascii_digit() || b == b':') {
        format!(" {after}")
    } else {
        let bare = after.trim_start_matches('（').trim_end_matches('）');
        let (_, en) = WEEKDAYS.iter().find(|(zh, _)| *zh == bare)?;
        if bare.len() == after.len() { format!(", {en}") } else { format!(" ({en})") }
    };
    Some(format!("{d} {name}{year}{after}"))
}

/// A date in English: `2 March 2026`.
pub(super) fn english_day(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let name = MONTHS.get(d.month0() as usize).copied().unwrap_or("");
    format!("{} {name} {}", d.day(), d.year())
}
