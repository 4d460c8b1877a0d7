//! The English pages' mechanism: the catalogue's matching, the walk over the HTML, and the coverage of
//! every template's Chinese (and of the Rust side's fixed texts) by the catalogue.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::catalogue::{CATALOGUE, CLOSE, Catalogue, OPEN, chinese_runs, date, entries};
use super::html::english;

fn marked(v: &str) -> String {
    format!("{OPEN}{v}{CLOSE}")
}

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A template's source as the walk sees a rendering: each `{{ … }}` a value, each `{% … %}` a break,
/// comments gone; and the Chinese string literals of its expressions (values the catalogue must have whole).
fn as_rendered(src: &str) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut literals = Vec::new();
    let mut rest = src;
    while let Some(at) = rest.find(['{']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let close = match tail.get(..2) {
            Some("{{") => "}}",
            Some("{%") => "%}",
            Some("{#") => "#}",
            _ => {
                out.push('{');
                rest = &tail[1..];
                continue;
            }
        };
        let end = tail.find(close).map_or(tail.len(), |e| e + 2);
        let inner = &tail[2..end.saturating_sub(2).max(2)];
        for (i, piece) in inner.split('"').enumerate() {
            if i % 2 == 1 && !chinese_runs(piece).is_empty() {
                literals.push(piece.to_owned());
            }
        }
        match close {
            "}}" => out.push_str(&marked("x")),
            "%}" => out.push('\u{E003}'),
            _ => {}
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    (out, literals)
}

/// Issue 16: every Chinese phrase of every staff template — its text and its spoken attributes — has
/// English, and so has every Chinese string literal of its expressions. A new template fails here until
/// its phrases are in `templates/staff/en.tsv`; the message lists them, ready to be translated.
#[test]
fn every_chinese_phrase_of_the_templates_has_english() {
    let mut missing = BTreeSet::new();
    // The staff pages and the deputy's portal (issue 17: the portal has the same switch).
    let mut files: Vec<_> = ["templates/staff", "templates/deputy"]
        .iter()
        .flat_map(|d| std::fs::read_dir(crate_dir().join(d)).unwrap().map(|e| e.unwrap().path()))
        .collect();
    files.sort();
    let mut seen = 0;
    for path in files.iter().filter(|p| p.extension().is_some_and(|e| e == "html")) {
        seen += 1;
        let src = std::fs::read_to_string(path).unwrap();
        let (page, literals) = as_rendered(&src);
        let mut left = Vec::new();
        let _ = english(&CATALOGUE, &page, Some(&mut left));
        let name = path.strip_prefix(crate_dir().join("templates")).unwrap().to_string_lossy().into_owned();
        missing.extend(left.into_iter().map(|m| format!("{name}: {m}")));
        for l in literals {
            if CATALOGUE.value(&l).is_none() {
                missing.insert(format!("{name}: ={l}"));
            }
        }
    }
    assert!(seen > 20, "the templates were found ({seen})");
    assert!(missing.is_empty(), "{} phrases without English:\n{}", missing.len(), join(&missing));
}

fn join(s: &BTreeSet<String>) -> String {
    s.iter().cloned().collect::<Vec<_>>().join("\n")
}

/// The Rust files of the pages (not their tests).
fn page_sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if name == "tests" || name == "tests.rs" {
                continue;
            }
            if p.is_dir() {
                walk(&p, out);
            } else if name.ends_with(".rs") {
                out.push(p);
            }
        }
    }
    let src = crate_dir().join("src");
    let mut out = vec![src.join("pages.rs")];
    walk(&src.join("pages"), &mut out);
    out.sort();
    out
}

/// The string literals of Rust source outside comments and `#[cfg(test)]` modules, with the text of the
/// line they are on.
fn string_literals(src: &str) -> Vec<(String, String)> {
    let code = match src.find("#[cfg(test)]\nmod tests {") {
        Some(at) => &src[..at],
        None => src,
    };
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let line_of = |at: usize| {
        let s = code[..at].rfind('\n').map_or(0, |s| s + 1);
        let e = code[at..].find('\n').map_or(code.len(), |e| at + e);
        code[s..e].to_owned()
    };
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => i = code[i..].find('\n').map_or(b.len(), |e| i + e),
            b'\'' => {
                // A char literal ('x', '\n', '"'), or a lifetime.
                let len = code[i + 1..].chars().next().map_or(1, char::len_utf8);
                if b.get(i + 1) == Some(&b'\\') {
                    i += code[i + 2..].find('\'').map_or(b.len(), |e| e + 3);
                } else if b.get(i + 1 + len) == Some(&b'\'') {
                    i += len + 2;
                } else {
                    i += 1;
                }
            }
            b'r' if matches!(b.get(i + 1), Some(b'#' | b'"'))
                && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) =>
            {
                let hashes = code[i + 1..].bytes().take_while(|c| *c == b'#').count();
                let start = i + 2 + hashes;
                let end_pat = format!("\"{}", "#".repeat(hashes));
                let end = code[start..].find(&end_pat).map_or(b.len(), |e| start + e);
                out.push((code[start..end].to_owned(), line_of(start)));
                i = end + end_pat.len();
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                out.push((code[start..j.min(b.len())].to_owned(), line_of(start)));
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// A format string with each `{…}` as a value (`x`), a string continuation (`\` and the line's indent)
/// joined.
fn as_value(literal: &str) -> String {
    let mut s = String::new();
    let mut rest = literal;
    while let Some(at) = rest.find("\\\n") {
        s.push_str(&rest[..at]);
        rest = rest[at + 2..].trim_start();
    }
    s.push_str(rest);
    let mut out = String::new();
    let mut depth = 0;
    for c in s.replace("{{", "\u{1}").replace("}}", "\u{2}").chars() {
        match c {
            '{' => {
                depth += 1;
                out.push('x');
            }
            '}' => depth -= 1,
            '\u{1}' => out.push('{'),
            '\u{2}' => out.push('}'),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Issue 16: the Rust side's fixed Chinese (titles, done messages, labels) has English whole in the
/// catalogue — every string literal with Chinese in the pages' code, except on a line that says
/// `// zh:` and why (a word the code reads, a form the user types, a date the patterns put in English).
#[test]
fn every_chinese_text_of_the_pages_code_has_english() {
    let mut missing = BTreeSet::new();
    let root = crate_dir();
    for path in page_sources() {
        let src = std::fs::read_to_string(&path).unwrap();
        let name = path.strip_prefix(&root).unwrap().to_string_lossy().into_owned();
        for (lit, line) in string_literals(&src) {
            if chinese_runs(&lit).is_empty() || line.contains("// zh:") {
                continue;
            }
            let v = as_value(&lit);
            if CATALOGUE.value(&v).is_none() {
                missing.insert(format!("{name}: {v}"));
            }
        }
    }
    assert!(missing.is_empty(), "{} texts without English:\n{}", missing.len(), join(&missing));
}

/// Each line of the catalogue is an entry (a tab between Chinese and English), each Chinese once, and
/// no English still Chinese.
#[test]
fn the_catalogue_is_well_formed() {
    let src = std::fs::read_to_string(crate_dir().join("templates/staff/en.tsv")).unwrap();
    let mut seen = BTreeSet::new();
    for line in src.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        assert!(line.contains('\t'), "no tab: {line}");
    }
    for (zh, en, _) in entries(&src) {
        assert!(seen.insert(zh.to_owned()), "twice: {zh}");
        assert!(!zh.trim().is_empty(), "an empty key: {en}");
        assert_eq!(zh.matches("{}").count(), en.matches("{}").count(), "the values of {zh} → {en}");
        // Chinese may stay as an example of what to type (a name's form, a file's column names).
        assert!(
            chinese_runs(en).is_empty() || en.bytes().any(|b| b.is_ascii_alphabetic()),
            "{zh} → {en} is still Chinese"
        );
    }
}

fn cat() -> &'static Catalogue {
    &CATALOGUE
}

#[test]
fn a_templates_phrases_are_translated_and_values_kept_whole() {
    let page = format!(
        "<html lang=\"zh-CN\"><h1>代表建议</h1><p title=\"代表建议\">{}<a href=\"/x?q={}\">{}</a></p>",
        marked("关于代表建议的建议"),
        marked("代表建议"),
        marked("已答复")
    );
    let en = english(cat(), &page, None);
    assert!(en.starts_with("<html lang=\"en\">"), "{en}");
    // The template's own phrase (text and title) in English; the title (data) kept, though it holds a
    // phrase; the href untouched; a value that is exactly a label translated whole.
    assert!(en.contains("<h1>Suggestions</h1>") && en.contains("title=\"Suggestions\""), "{en}");
    assert!(en.contains("关于代表建议的建议"), "{en}");
    assert!(en.contains("href=\"/x?q=代表建议\""), "{en}");
    assert!(en.contains(">Answered</a>"), "{en}");
    assert!(!en.contains(OPEN) && !en.contains(CLOSE), "no markers left");
}

#[test]
fn values_with_patterns_and_dates_are_translated_whole_only() {
    assert_eq!(cat().value("还有 5 天").as_deref(), Some("5 days left"));
    assert_eq!(cat().value("已逾期 3 天").as_deref(), Some("3 days overdue"));
    assert_eq!(date("2026年3月2日").as_deref(), Some("2 March 2026"));
    assert_eq!(date("2026年3月2日 09:30").as_deref(), Some("2 March 2026 09:30"));
    assert_eq!(date("2026年12月").as_deref(), Some("December 2026"));
    assert_eq!(date("2026年13月2日"), None);
    assert_eq!(date("3月2日 星期一").as_deref(), Some("2 March, Monday"));
    assert_eq!(date("2026年3月2日（星期一）").as_deref(), Some("2 March 2026 (Monday)"));
    assert_eq!(date("关于3月2日的建议"), None);
    assert_eq!(cat().value("张三"), None);
    assert_eq!(cat().value("关于还有 5 天的建议"), None, "a pattern matches a whole value only");
    // Inside a template's text, a phrase around a value.
    let mut out = String::new();
    cat().segment(&format!("还有 {} 天", marked("5")), &mut out, None);
    assert_eq!(out, "5 days left");
}

#[test]
fn untouched_places_stay_untouched() {
    let page = format!(
        "<textarea name=\"t\">{}</textarea><option value=\"已答复\">已答复</option><span translate=\"no\">中文</span><!-- 代表建议 --><input type=\"submit\" value=\"保存\">",
        marked("已答复")
    );
    let en = english(cat(), &page, None);
    assert!(en.contains("<textarea name=\"t\">已答复</textarea>"), "a draft is the user's: {en}");
    assert!(
        en.contains("<option value=\"已答复\">Answered</option>"),
        "the form's value is the server's: {en}"
    );
    assert!(en.contains("<span translate=\"no\">中文</span>"), "{en}");
    assert!(en.contains("<!-- 代表建议 -->"), "{en}");
    assert!(en.contains("value=\"Save\""), "{en}");
}

#[test]
fn a_value_cannot_forge_the_markers() {
    use askama::filters::Escaper;
    let _m = super::Marking::on();
    let mut s = String::new();
    super::Marked.write_escaped_str(&mut s, &format!("a{CLOSE}已答复{OPEN}<b>")).unwrap();
    assert_eq!(s, format!("{OPEN}a已答复&#60;b&#62;{CLOSE}"));
}
