//! A rendered page in English: a walk over its HTML that hands the catalogue each text a reader sees —
//! text nodes, and the attributes read out or shown (`title`, `placeholder`, `aria-label`, `alt`, `label`,
//! `hx-confirm`, a button input's `value`) — and copies the rest (tags, links, form values: what the
//! server reads back) as it is, without the value markers. `<script>`, `<style>`, `<textarea>` (a draft the
//! user is typing) and any element marked `translate="no"` are copied untouched.
//!
//! The HTML is the templates' own, so the walk is small: it knows tags, quoted attributes and comments.

use super::catalogue::{CLOSE, Catalogue, HOLE, OPEN};

/// The attributes whose text is read or shown.
const SPOKEN: &[&str] = &[
    "title",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-valuetext",
    "alt",
    "label",
    "hx-confirm",
    "data-confirm",
];

/// The elements whose content is never translated.
const RAW: &[&str] = &["script", "style", "textarea"];

/// `html` in English (`missing` collects the Chinese left outside values: the coverage test's report).
pub(super) fn english(c: &Catalogue, html: &str, mut missing: Option<&mut Vec<String>>) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 4);
    // The element being copied untouched, and how deep inside its own kind.
    let mut skip: Option<(String, usize)> = None;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            text(c, rest, &mut out, skip.is_some(), missing.as_deref_mut());
            break;
        };
        text(c, &rest[..lt], &mut out, skip.is_some(), missing.as_deref_mut());
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").map_or(rest.len(), |e| e + 7);
            push_plain(&mut out, &rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let end = tag_end(rest);
        let tag = &rest[..end];
        rest = &rest[end..];
        let name = tag_name(tag);
        if let Some(closing) = name.strip_prefix('/') {
            push_plain(&mut out, tag);
            if let Some((n, depth)) = &mut skip
                && n.eq_ignore_ascii_case(closing)
            {
                *depth -= 1;
                if *depth == 0 {
                    skip = None;
                }
            }
            continue;
        }
        let self_closing = tag.ends_with("/>");
        match &mut skip {
            Some((n, depth)) => {
                if n.eq_ignore_ascii_case(name) && !self_closing {
                    *depth += 1;
                }
                push_plain(&mut out, tag);
            }
            None => {
                let raw = RAW.iter().any(|r| r.eq_ignore_ascii_case(name));
                let keep = raw || attribute(tag, "translate").is_some_and(|v| v == "no");
                if keep {
                    push_plain(&mut out, tag);
                    if !self_closing && !is_void(name) {
                        skip = Some((name.to_ascii_lowercase(), 1));
                    }
                } else {
                    start_tag(c, tag, name, &mut out, missing.as_deref_mut());
                }
            }
        }
    }
    if let Some(i) = out.find("<html lang=\"zh-CN\"") {
        out.replace_range(i..i + 18, "<html lang=\"en\"");
    }
    out
}

/// A text node: translated, or only unmarked inside an untouched element.
fn text(c: &Catalogue, t: &str, out: &mut String, skipping: bool, missing: Option<&mut Vec<String>>) {
    if skipping { push_plain(out, t) } else { c.segment(t, out, missing) }
}

/// Text without the value markers.
fn push_plain(out: &mut String, s: &str) {
    if s.bytes().any(|b| b == 0xEE) {
        out.extend(s.chars().filter(|c| !matches!(*c, OPEN | CLOSE | HOLE)));
    } else {
        out.push_str(s);
    }
}

/// Where a tag ends (after its `>`, quotes respected), or the end of the text.
fn tag_end(s: &str) -> usize {
    let mut quote: Option<u8> = None;
    for (i, b) in s.bytes().enumerate().skip(1) {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

/// The tag's name (`/p` for a closing tag; `!doctype` for the doctype).
fn tag_name(tag: &str) -> &str {
    let inner = tag.get(1..).unwrap_or("");
    let (prefix, body) = match inner.strip_prefix('/') {
        Some(b) => (1, b),
        None => (0, inner),
    };
    let end = body.find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/').unwrap_or(body.len());
    &inner[..prefix + end]
}

fn is_void(name: &str) -> bool {
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
        .iter()
        .any(|v| v.eq_ignore_ascii_case(name))
}

/// The attributes of a start tag: (name, value, where the value starts and ends in the tag).
fn attributes(tag: &str) -> Vec<(&str, &str, usize, usize)> {
    let b = tag.as_bytes();
    let mut attrs = Vec::new();
    // After the name.
    let mut i = 1 + tag_name(tag).len();
    let stop = tag.len().saturating_sub(1);
    while i < stop {
        while i < stop && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let n0 = i;
        while i < stop && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'>' {
            i += 1;
        }
        let name = &tag[n0..i];
        if i < stop && b[i] == b'=' {
            i += 1;
            let (v0, v1) = match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let v0 = i + 1;
                    let v1 = tag[v0..].find(char::from(q)).map_or(stop, |e| v0 + e);
                    i = v1 + 1;
                    (v0, v1)
                }
                _ => {
                    let v0 = i;
                    while i < stop && !b[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    (v0, i)
                }
            };
            attrs.push((name, &tag[v0..v1], v0, v1));
        } else if !name.is_empty() {
            attrs.push((name, "", i, i));
        } else {
            i += 1;
        }
    }
    attrs
}

/// The value of an attribute of a start tag.
fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    attributes(tag).into_iter().find(|a| a.0.eq_ignore_ascii_case(name)).map(|a| a.1)
}

/// A start tag with its spoken attributes in English.
fn start_tag(c: &Catalogue, tag: &str, name: &str, out: &mut String, mut missing: Option<&mut Vec<String>>) {
    if !super::catalogue::needs_english(tag) {
        out.push_str(tag);
        return;
    }
    let button = name.eq_ignore_ascii_case("input")
        && attribute(tag, "type").is_some_and(|t| ["submit", "button", "reset"].contains(&t));
    let mut at = 0;
    for (attr, value, v0, v1) in attributes(tag) {
        let spoken = SPOKEN.iter().any(|s| s.eq_ignore_ascii_case(attr))
            || button && attr.eq_ignore_ascii_case("value");
        if spoken {
            push_plain(out, &tag[at..v0]);
            c.segment(value, out, missing.as_deref_mut());
            at = v1;
        }
    }
    push_plain(out, &tag[at..]);
}
