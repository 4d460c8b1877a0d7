//! The iCalendar file, checked twice: line by line against RFC 5545's structure (CRLF, 75-octet folding,
//! BEGIN/END nesting, the required properties, DTEND after DTSTART) and by the `icalendar` crate's parser.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use icalendar::{CalendarComponent, CalendarDateTime, Component, DatePerhapsTime, EventStatus};

use super::{CalendarEntry, ics};

/// The structure RFC 5545 requires of what we publish; the first problem found, with its line.
pub(crate) fn check_rfc5545(text: &str) -> Result<(), String> {
    if !text.ends_with("\r\n") {
        return Err("the last line does not end with CRLF".into());
    }
    let physical: Vec<&str> = text[..text.len() - 2].split("\r\n").collect();
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (i, l) in physical.iter().enumerate() {
        let n = i + 1;
        if l.contains('\r') || l.contains('\n') {
            return Err(format!("line {n}: a bare CR or LF (lines end with CRLF)"));
        }
        if l.len() > 75 {
            return Err(format!("line {n}: {} octets, longer than 75 (fold it)", l.len()));
        }
        match l.strip_prefix([' ', '\t']) {
            Some(rest) => match lines.last_mut() {
                Some((_, prev)) => prev.push_str(rest),
                None => return Err("the first line is a continuation".into()),
            },
            None if l.is_empty() => return Err(format!("line {n}: empty")),
            None => lines.push((n, (*l).to_owned())),
        }
    }
    let mut stack: Vec<(String, Vec<String>)> = Vec::new();
    let mut top_level = 0;
    for (n, l) in &lines {
        let (head, value) = l.split_once(':').ok_or_else(|| format!("line {n}: no ':' in {l}"))?;
        let name = head.split(';').next().unwrap_or_default().to_ascii_uppercase();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(format!("line {n}: bad property name {name:?}"));
        }
        match name.as_str() {
            "BEGIN" => {
                if stack.is_empty() {
                    top_level += 1;
                    if value != "VCALENDAR" {
                        return Err(format!("line {n}: the document must start with BEGIN:VCALENDAR"));
                    }
                }
                stack.push((value.to_owned(), Vec::new()));
            }
            "END" => {
                let (component, props) = stack.pop().ok_or_else(|| format!("line {n}: END without BEGIN"))?;
                if component != value {
                    return Err(format!("line {n}: END:{value} closes BEGIN:{component}"));
                }
                check_component(&component, &props).map_err(|e| format!("line {n}: {component}: {e}"))?;
            }
            _ => match stack.last_mut() {
                Some((_, props)) => props.push(l.clone()),
                None => return Err(format!("line {n}: a property outside any component")),
            },
        }
    }
    if !stack.is_empty() || top_level != 1 {
        return Err("BEGIN/END do not balance into one VCALENDAR".into());
    }
    Ok(())
}

fn check_component(component: &str, props: &[String]) -> Result<(), String> {
    let named = |name: &str| -> Vec<&String> {
        props
            .iter()
            .filter(|p| {
                let head = p.split(':').next().unwrap_or_default();
                head.split(';').next().unwrap_or_default().eq_ignore_ascii_case(name)
            })
            .collect()
    };
    let once = |name: &str| -> Result<Option<&String>, String> {
        match named(name).as_slice() {
            [] => Ok(None),
            [p] => Ok(Some(*p)),
            _ => Err(format!("{name} more than once")),
        }
    };
    match component {
        "VCALENDAR" => {
            if once("VERSION")?.map(String::as_str) != Some("VERSION:2.0") {
                return Err("no VERSION:2.0".into());
            }
            once("PRODID")?.ok_or("no PRODID")?;
        }
        "VEVENT" => {
            once("UID")?.ok_or("no UID")?;
            let stamp = once("DTSTAMP")?.ok_or("no DTSTAMP")?;
            if !stamp.ends_with('Z') {
                return Err(format!("DTSTAMP must be UTC: {stamp}"));
            }
            let start = when(once("DTSTART")?.ok_or("no DTSTART")?)?;
            if let Some(end) = once("DTEND")? {
                let end = when(end)?;
                if std::mem::discriminant(&start) != std::mem::discriminant(&end) {
                    return Err("DTSTART and DTEND of different value types".into());
                }
                if end <= start {
                    return Err(format!("DTEND {end:?} is not after DTSTART {start:?}"));
                }
            }
        }
        _ => {}
    }
    Ok(())
}

#[derive(Debug, PartialEq, PartialOrd)]
enum When {
    Date(NaiveDate),
    Utc(NaiveDateTime),
}

/// A DTSTART/DTEND: `;VALUE=DATE:YYYYMMDD` or a UTC date-time `YYYYMMDDTHHMMSSZ` (the only two forms we
/// write: a floating or TZID time would be a mistake here).
fn when(line: &str) -> Result<When, String> {
    let (head, value) = line.split_once(':').ok_or("no value")?;
    if head.to_ascii_uppercase().contains("VALUE=DATE") && !head.to_ascii_uppercase().contains("DATE-TIME") {
        NaiveDate::parse_from_str(value, "%Y%m%d").map(When::Date).map_err(|e| format!("{line}: {e}"))
    } else {
        let t = value.strip_suffix('Z').ok_or_else(|| format!("{line}: not UTC"))?;
        NaiveDateTime::parse_from_str(t, "%Y%m%dT%H%M%S").map(When::Utc).map_err(|e| format!("{line}: {e}"))
    }
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn entry(kind: &str, on: &str, title: &str) -> CalendarEntry {
    CalendarEntry::day(kind, &format!("{kind}-1"), d(on), title.into(), "本院第一会议室".into(), "已计划")
}

fn sample() -> Vec<CalendarEntry> {
    let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    vec![
        entry("meeting", "2026-04-01", "一季度人大代表座谈会"),
        CalendarEntry {
            until: Some(d("2026-06-03")),
            ..entry("inspection", "2026-06-01", "评议：公益诉讼工作评议")
        },
        CalendarEntry {
            time: Some((at("2026-03-10 09:30"), at("2026-03-10 11:00"))),
            ..entry("appointment", "2026-03-10", "检察长约见张三代表")
        },
        CalendarEntry {
            cancelled: true, ..entry("activity", "2026-05-20", "检察开放日：走进检察院")
        },
        // Long enough, with commas and semicolons, to be folded and escaped.
        entry(
            "review",
            "2026-12-31",
            "案件评议：榕检刑不诉〔2026〕12号（拟不起诉案件），涉及多方当事人；请参加评议的人民监督员提前阅卷并准备意见",
        ),
    ]
}

fn stamp() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap()
}

#[test]
fn the_file_keeps_rfc_5545s_structure() {
    let text = ics(&sample(), stamp());
    check_rfc5545(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert!(text.lines().any(|l| l.starts_with(' ')), "the long title is folded:\n{text}");
    assert!(text.contains("DTSTAMP:20260302T010000Z"), "the moment given, never the clock:\n{text}");
}

#[test]
fn the_checker_refuses_what_rfc_5545_refuses() {
    let good = ics(&sample()[..1], stamp());
    let broken = [
        ("LF endings", good.replace("\r\n", "\n")),
        ("the old same-day DTEND", good.replace("DTEND;VALUE=DATE:20260402", "DTEND;VALUE=DATE:20260401")),
        ("no UID", good.replace("UID:meeting-meeting-1@liaison\r\n", "")),
        ("unbalanced", good.replace("END:VEVENT\r\n", "")),
        ("an unfolded long line", good.replace("SUMMARY:", &format!("SUMMARY:{}", "长".repeat(30)))),
    ];
    for (what, text) in broken {
        assert_ne!(text, good, "{what}: the sample changed");
        assert!(check_rfc5545(&text).is_err(), "{what} passed:\n{text}");
    }
}

#[test]
fn the_parser_reads_back_every_event_with_its_dates() {
    let text = ics(&sample(), stamp());
    let cal: icalendar::Calendar = text.parse().unwrap_or_else(|e| panic!("{e}\n{text}"));
    let events: Vec<&icalendar::Event> = cal
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    assert_eq!(events.len(), 5);
    let by_uid = |uid: &str| *events.iter().find(|e| e.get_uid() == Some(uid)).unwrap();
    let date = |x: &str| Some(DatePerhapsTime::Date(d(x)));
    let utc = |h, m| {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(
            Utc.with_ymd_and_hms(2026, 3, 10, h, m, 0).unwrap(),
        )))
    };
    // A one-day event ends the next day (DTEND is exclusive); an inspection of three days ends on the fourth.
    let m = by_uid("meeting-meeting-1@liaison");
    assert_eq!((m.get_start(), m.get_end()), (date("2026-04-01"), date("2026-04-02")));
    assert_eq!(m.get_summary(), Some("一季度人大代表座谈会"));
    assert_eq!(m.get_timestamp(), Some(stamp()));
    let i = by_uid("inspection-inspection-1@liaison");
    assert_eq!((i.get_start(), i.get_end()), (date("2026-06-01"), date("2026-06-04")));
    // 09:30–11:00 China time is 01:30–03:00 UTC.
    let a = by_uid("appointment-appointment-1@liaison");
    assert_eq!((a.get_start(), a.get_end()), (utc(1, 30), utc(3, 0)));
    // The year's last day ends on the next year's first; the long title survives folding and escaping.
    let r = by_uid("review-review-1@liaison");
    assert_eq!((r.get_start(), r.get_end()), (date("2026-12-31"), date("2027-01-01")));
    assert_eq!(r.get_summary(), Some(sample()[4].title.as_str()));
    assert_eq!(by_uid("activity-activity-1@liaison").get_status(), Some(EventStatus::Cancelled));
}
