//! The annual report over a demo year (five deputies, one of each level; a joint suggestion answered A and
//! rated, one still open, one rerouted; a visit; a budget with an expense) and over an empty year, in every
//! format: every level a row, totals right, no division by zero; the workbook read back with calamine and
//! its charts found in the zip.

use std::io::Read;
use std::sync::Arc;

use calamine::Reader;
use chrono::TimeZone;

use super::render::{Format, file_name, render};
use super::*;
use crate::tests::{approved_user, rt};
use crate::*;

struct Year {
    app: App,
    office: Principal,
    _dir: tempfile::TempDir,
}

fn principal(app: &App, login: &str, role: &str, department: Option<&str>) -> Principal {
    approved_user(
        app,
        &NewUser {
            login: login.into(),
            display_name: format!("{login}用户"),
            roles: vec![role.into()],
            department: department.map(str::to_owned),
            ..Default::default()
        },
    )
}

/// A procuratorate with nothing done in it, as of 10 December 2026 (before the township term ends).
fn empty() -> Year {
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(&Config::for_db(&dir.path().join("t.db")))
        .unwrap()
        .with_clock(Arc::new(|| chrono::Utc.with_ymd_and_hms(2026, 12, 10, 2, 0, 0).unwrap()));
    rt().block_on(app.bootstrap("福州市人民检察院")).unwrap().unwrap();
    let office = principal(&app, "office", "office", None);
    Year { app, office, _dir: dir }
}

/// The demo year: filed in March, answered in April, everything as of 10 December.
fn demo() -> (Year, Vec<String>) {
    let y = empty();
    let (app, office) = (&y.app, &y.office);
    for name in ["第一检察部", "第二检察部"] {
        rt().block_on(app.change_organisation(
            office,
            OrgInput::AddDepartment { name: name.into() },
            None,
            None,
        ))
        .unwrap();
    }
    let dept = principal(app, "dept1", "department", Some("第一检察部"));
    let mut ids = Vec::new();
    for (i, level) in ["全国", "省", "市", "县", "乡"].into_iter().enumerate() {
        let mut input = demo::generate(5, 3).nth(i).unwrap();
        input.level = level.into();
        input.delegation = format!("{}代表团", ["鼓楼区", "台江区", "仓山区", "晋安区", "马尾区"][i]);
        ids.push(rt().block_on(app.register_deputy(office, input, None, None)).unwrap().id.to_string());
    }
    let file = |title: &str, deputies: Vec<String>, on: &str| {
        let input = SuggestionInput {
            title: title.into(),
            content: "建议内容。".into(),
            source: "大会期间".into(),
            received_on: Some(on.into()),
            deputies,
        };
        rt().block_on(app.file_suggestion(office, &input, None))
            .unwrap()
            .suggestion
            .number
            .unwrap()
            .to_string()
    };
    let act = |p: &Principal, key: &str, a: SuggestionAction| {
        rt().block_on(app.suggestion_action(p, key, None, a, None)).unwrap();
    };
    // A joint suggestion of the national and the county deputy: assigned, contacted, answered A, both satisfied.
    let a = file("=关于加强未成年人检察工作的建议", vec![ids[0].clone(), ids[3].clone()], "2026-03-05");
    let assign = || SuggestionAction::Assign {
        lead: "第一检察部".into(),
        co_handlers: vec![],
        handler: "dept1".into(),
    };
    act(office, &a, assign());
    act(
        &dept,
        &a,
        SuggestionAction::Contact {
            phase: "办前".into(),
            means: "电话".into(),
            deputies: vec![],
            summary: "征求意见".into(),
        },
    );
    act(
        &dept,
        &a,
        SuggestionAction::Answer {
            class: "A".into(), text: "已设立联络点。".into(), promised_on: None
        },
    );
    for (i, form) in [(0, "表-1"), (3, "表-2")] {
        act(
            office,
            &a,
            SuggestionAction::Rate {
                rating: "满意".into(),
                comment: None,
                deputy: Some(ids[i].clone()),
                form_ref: Some(form.into()),
            },
        );
    }
    // A township deputy's suggestion received in May, assigned on the report's day: open, not yet due.
    let b = file("关于乡镇司法所协作的建议", vec![ids[4].clone()], "2026-05-10");
    act(office, &b, assign());
    // A visit to the city deputy in June.
    rt().block_on(app.record_visit(
        office,
        &VisitInput {
            deputy: ids[2].clone(),
            on: "2026-06-15".into(),
            place: "工作单位".into(),
            staff: vec!["张检察官".into()],
            notes: "走访了解履职情况".into(),
            issues: vec![],
        },
    ))
    .unwrap();
    // The budget: a meetings line of ¥10,000.00 adopted by a leader, ¥2,345.60 spent.
    let leader = principal(app, "leader", "leader", None);
    rt().block_on(app.budget_action(
        office,
        2026,
        None,
        BudgetAction::Line { category: "meetings".into(), amount: "10000".into() },
    ))
    .unwrap();
    rt().block_on(app.budget_action(&leader, 2026, None, BudgetAction::Adopt {})).unwrap();
    let spend = BudgetAction::Spend {
        category: "meetings".into(),
        amount: "2345.60".into(),
        purpose: "座谈会场地".into(),
        reference: "凭证-01".into(),
        on: Some("2026-04-01".into()),
    };
    rt().block_on(app.budget_action(office, 2026, None, spend)).unwrap();
    (y, ids)
}

fn year(y: i32) -> ReportRequest {
    ReportRequest { year: Some(y), ..ReportRequest::default() }
}

fn xlsx_parts(bytes: &[u8]) -> Vec<String> {
    let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    zip.file_names().map(|n| n.unwrap().into_owned()).collect()
}

fn sheet(bytes: &[u8], name: &str) -> calamine::Range<calamine::Data> {
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    wb.worksheet_range(name).unwrap()
}

#[test]
fn the_demo_year_in_figures_with_every_level_and_the_annex_by_name() {
    let (y, _) = demo();
    let r = y.app.annual_report(&y.office, &year(2026)).unwrap();
    assert_eq!(r.procuratorate, "福州市人民检察院");
    assert_eq!(r.window(), "2026 年");
    // R1 by level: five rows in order; the joint item counts under national and county, once in the total.
    let levels: Vec<(&str, u32)> = r
        .suggestions
        .by_level
        .iter()
        .map(|x| (x.figures.counts.label.as_str(), x.figures.counts.received))
        .collect();
    assert_eq!(
        levels,
        [
            ("全国人大代表", 1),
            ("省级人大代表", 0),
            ("市级人大代表", 0),
            ("县级人大代表", 1),
            ("乡镇人大代表", 1)
        ]
    );
    let t = &r.suggestions.total;
    assert_eq!((t.figures.counts.received, t.figures.counts.answered, t.figures.counts.open), (2, 1, 1));
    assert_eq!(t.classes, Classes { a: 1, ..Classes::default() });
    assert_eq!(t.figures.final_satisfaction_permille, Some(1000));
    assert_eq!(r.suggestions.by_level[0].classes.a, 1);
    assert_eq!(r.suggestions.by_month.len(), 12);
    assert_eq!(r.suggestions.by_month[2].figures.counts.received, 1, "March");
    // The annex names the proposers, their levels, delegations and the department.
    let a = &r.annex[0];
    assert_eq!(a.number, "2026-0001");
    assert!(a.proposers.contains('、'), "{}", a.proposers);
    assert_eq!(a.levels, "全国人大代表、县级人大代表");
    assert_eq!(a.delegations, "晋安区代表团、鼓楼区代表团");
    assert_eq!((a.department.as_str(), &*a.class), ("第一检察部", "A"));
    assert!(a.outcome.contains("满意"), "{}", a.outcome);
    // Reach: the visited city deputy, the four others not reached.
    assert_eq!((r.reach.total.deputies, r.reach.total.reached, r.reach.visits), (5, 1, 1));
    assert_eq!(r.reach.by_level.len(), 5);
    assert_eq!(r.reach.not_reached.len(), 4);
    assert_eq!(r.activities.by_level.len(), 5);
    // Budget: the line and the total, in fen.
    assert_eq!((r.budget.total.planned, r.budget.total.spent), (1_000_000, 234_560));
    // The summary's ten numbers, each labelled with its window.
    assert_eq!(r.summary.len(), 10);
    assert!(r.summary.iter().all(|f| f.label.starts_with("2026 年")), "{:?}", r.summary);
    assert!(r.audit.seq > 0 && r.audit.hash.len() == 64, "{:?}", r.audit);
    let last = y.app.verify_audit().unwrap();
    assert_eq!(last.heads[0].1, r.audit.seq);
    assert_eq!(last.heads[0].2, r.audit.hash);
}

/// The report reads each suggestion's stored line (schema v12); a suggestion saved before lines were kept is
/// read whole and lined on the spot. Both give the same report, in every scope.
#[test]
fn the_report_from_stored_lines_is_the_report_from_whole_records() {
    let (y, _) = demo();
    let db = liaison_store::sqlite::SqliteStore::raw_connection(&y._dir.path().join("t.db")).unwrap();
    let township: String =
        db.query_row("SELECT region FROM deputies WHERE level = 'township'", [], |r| r.get(0)).unwrap();
    let scopes = [
        year(2026),
        ReportRequest { level: Some("县".into()), ..year(2026) },
        ReportRequest { region: Some(township.clone()), ..year(2026) },
        ReportRequest { department: Some("第一检察部".into()), ..year(2026) },
    ];
    let reports = |y: &Year| -> Vec<AnnualReport> {
        scopes.iter().map(|req| y.app.annual_report(&y.office, req).unwrap()).collect()
    };
    let from_lines = reports(&y);
    let lines: i64 = db
        .query_row("SELECT count(*) FROM record_lines WHERE kind = 'suggestion'", [], |r| r.get(0))
        .unwrap();
    let records: i64 =
        db.query_row("SELECT count(*) FROM records WHERE kind = 'suggestion'", [], |r| r.get(0)).unwrap();
    assert_eq!((lines, records), (2, 2), "every suggestion saved has its line");
    // A line as stored is the one the report decodes: an edit shows in the annex.
    db.execute(
        "UPDATE record_lines SET line = json_set(line, '$.a.t', '存储的标题') WHERE kind = 'suggestion'",
        [],
    )
    .unwrap();
    let edited = y.app.annual_report(&y.office, &year(2026)).unwrap();
    assert!(edited.annex.iter().filter(|a| a.kind == "建议").all(|a| a.title == "存储的标题"));
    db.execute("DELETE FROM record_lines", []).unwrap();
    let from_records = reports(&y);
    assert!(from_lines[0].annex.iter().any(|a| a.kind == "建议"), "{:?}", from_lines[0].annex);
    let suggestions = |r: &AnnualReport| r.annex.iter().filter(|a| a.kind == "建议").count();
    let counts: Vec<usize> = from_lines.iter().map(suggestions).collect();
    assert_eq!(
        counts,
        [2, 1, 1, 2],
        "the year, the county level, the township's region ({township}), the first department"
    );
    assert_eq!(from_lines, from_records);
    // Read a month at a time on several threads, the items still come in the order they were received.
    let days: Vec<_> =
        from_lines[0].annex.iter().filter(|a| a.kind == "建议").map(|a| a.received_on).collect();
    assert!(days.is_sorted() && days.first() != days.last(), "{days:?}");
}

#[test]
fn a_period_is_read_month_by_month_with_no_day_lost_or_read_twice() {
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let months = |a: &str, b: &str| {
        super::compute::months(d(a), d(b)).into_iter().map(|(f, t)| format!("{f}..{t}")).collect::<Vec<_>>()
    };
    assert_eq!(months("2026-03-05", "2026-03-05"), ["2026-03-05..2026-03-05"]);
    assert_eq!(
        months("2026-01-31", "2026-03-01"),
        ["2026-01-31..2026-01-31", "2026-02-01..2026-02-28", "2026-03-01..2026-03-01"]
    );
    assert_eq!(months("2027-12-15", "2028-01-10"), ["2027-12-15..2027-12-31", "2028-01-01..2028-01-10"]);
    assert!(months("2026-05-02", "2026-05-01").is_empty(), "an empty period has no month");
    // A year: twelve months, each starting the day after the one before ends, the last ending on the 31st.
    let year = super::compute::months(d("2028-01-01"), d("2028-12-31"));
    assert_eq!(year.len(), 12);
    assert!(year.windows(2).all(|w| w[0].1.succ_opt() == Some(w[1].0)));
    assert_eq!((year[1].1, year[11].1), (d("2028-02-29"), d("2028-12-31")));
}

#[test]
fn a_report_of_one_level_region_or_department_keeps_only_its_part() {
    let (y, _) = demo();
    let by = |req: ReportRequest| y.app.annual_report(&y.office, &req).unwrap();
    let township = by(ReportRequest { level: Some("乡".into()), ..year(2026) });
    assert_eq!(township.suggestions.total.figures.counts.received, 1);
    assert_eq!(township.reach.total.deputies, 1);
    assert_eq!(township.scope_label, "代表级别：乡镇人大代表");
    let second = by(ReportRequest { department: Some("第二检察部".into()), ..year(2026) });
    assert_eq!(second.suggestions.total.figures.counts.received, 0);
    assert!(second.annex.is_empty());
    let two = ReportRequest { level: Some("县".into()), region: Some("鼓楼区".into()), ..year(2026) };
    assert_eq!(y.app.annual_report(&y.office, &two).unwrap_err().kind(), ErrorKind::Invalid);
    let backwards = ReportRequest {
        from: Some("2026-05-01".into()),
        to: Some("2026-04-01".into()),
        ..Default::default()
    };
    assert_eq!(y.app.annual_report(&y.office, &backwards).unwrap_err().kind(), ErrorKind::Invalid);
}

#[test]
fn only_those_who_read_the_figures_read_the_report() {
    let y = empty();
    let admin = y.app.principal_for_login(&default_tenant(), "admin").unwrap();
    assert!(matches!(y.app.annual_report(&admin, &year(2026)), Err(AppError::Forbidden { .. })));
    let leader = principal(&y.app, "leader", "leader", None);
    assert!(y.app.annual_report(&leader, &year(2026)).is_ok());
}

#[test]
fn an_empty_year_has_every_level_at_zero_in_every_format() {
    let y = empty();
    let r = y.app.annual_report(&y.office, &year(2027)).unwrap();
    assert_eq!(r.suggestions.by_level.len(), 5);
    assert!(
        r.suggestions
            .by_level
            .iter()
            .all(|x| x.figures.counts.received == 0 && x.figures.on_time_permille.is_none())
    );
    assert!(r.summary.iter().all(|f| f.value == 0 && f.permille.is_none()), "{:?}", r.summary);
    assert_eq!(r.budget.total.permille, None);
    for format in [Format::Json, Format::Csv, Format::Xlsx, Format::Html] {
        let bytes = render(&r, format, Lang::Zh).unwrap();
        assert!(!bytes.is_empty(), "{format:?}");
    }
    let html = String::from_utf8(render(&r, Format::Html, Lang::Zh).unwrap()).unwrap();
    for l in DeputyLevel::ALL {
        assert!(html.contains(&level_label(*l, Lang::Zh)), "{l:?}");
    }
    assert!(html.contains("本期无记录。"));
    let sheet = sheet(&render(&r, Format::Xlsx, Lang::Zh).unwrap(), "建议办理-按级别");
    assert_eq!(sheet.height(), 7, "header, five levels, total");
    assert_eq!(file_name(&r, Format::Xlsx), "annual-report-2027.xlsx");
}

#[test]
fn the_workbook_has_a_sheet_per_part_numbers_as_numbers_and_native_charts() {
    let (y, _) = demo();
    let r = y.app.annual_report(&y.office, &year(2026)).unwrap();
    let bytes = render(&r, Format::Xlsx, Lang::Zh).unwrap();
    let wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names.len(), 15, "{names:?}");
    assert_eq!(names[0], "概览");
    let level = sheet(&bytes, "建议办理-按级别");
    assert_eq!(level.get_value((0, 0)), Some(&calamine::Data::String("分组".into())));
    assert_eq!(level.get_value((1, 0)), Some(&calamine::Data::String("全国人大代表".into())));
    assert_eq!(level.get_value((6, 0)), Some(&calamine::Data::String("合计".into())));
    assert_eq!(level.get_value((6, 1)), Some(&calamine::Data::Float(2.0)), "received in total");
    assert_eq!(level.get_value((1, 4)), Some(&calamine::Data::Float(1.0)), "on-time rate 100% as 1.0");
    let budget = sheet(&bytes, "经费执行");
    let total = (0..budget.height() as u32)
        .find(|r| budget.get_value((*r, 0)) == Some(&calamine::Data::String("合计".into())));
    let total = total.unwrap();
    assert_eq!(budget.get_value((total, 1)), Some(&calamine::Data::Float(10000.0)));
    assert_eq!(budget.get_value((total, 3)), Some(&calamine::Data::Float(2345.6)));
    let parts = xlsx_parts(&bytes);
    for chart in ["xl/charts/chart1.xml", "xl/charts/chart2.xml"] {
        assert!(parts.iter().any(|p| p == chart), "{chart} in {parts:?}");
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/charts/chart1.xml").unwrap().read_to_string(&mut xml).unwrap();
    assert!(xml.contains("<c:barChart>") && xml.contains("建议办理-按级别"), "{xml}");
    let mut xml = String::new();
    zip.by_name("xl/charts/chart2.xml").unwrap().read_to_string(&mut xml).unwrap();
    assert!(xml.contains("<c:lineChart>"));
    // Frozen header row on every sheet.
    let mut sheet1 = String::new();
    zip.by_name("xl/worksheets/sheet2.xml").unwrap().read_to_string(&mut sheet1).unwrap();
    assert!(sheet1.contains(r#"state="frozen""#), "{sheet1}");
    assert!(sheet1.contains("<col "), "column widths");
}

#[test]
fn the_csv_zip_has_a_table_per_part_with_the_mark_and_no_formula() {
    let (y, _) = demo();
    let r = y.app.annual_report(&y.office, &year(2026)).unwrap();
    let bytes = render(&r, Format::Csv, Lang::Zh).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    assert_eq!(zip.len(), 15);
    let mut annex = Vec::new();
    zip.by_name("06-annex.csv").unwrap().read_to_end(&mut annex).unwrap();
    assert!(annex.starts_with(crate::people_csv::BOM));
    let text = String::from_utf8(annex[3..].to_vec()).unwrap();
    assert!(text.starts_with("类别,编号,收到日期"), "{text}");
    // The title "=关于…" starts like a formula: neutralised.
    assert!(text.contains(",'=关于加强未成年人检察工作的建议,"), "{text}");
    let mut level = String::new();
    zip.by_name("02-by_level.csv").unwrap().read_to_string(&mut level).unwrap();
    assert_eq!(level.lines().count(), 7);
    assert!(level.contains("乡镇人大代表,1,0,0,—,0,0,0,0,0,—,—,0,0,0,—,1"), "{level}");
}

#[test]
fn the_page_has_contents_charts_with_their_numbers_and_prints_on_a4_in_both_languages() {
    let (y, _) = demo();
    let r = y.app.annual_report(&y.office, &year(2026)).unwrap();
    let html = String::from_utf8(render(&r, Format::Html, Lang::Zh).unwrap()).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains(r#"<html lang="zh-CN">"#));
    assert!(html.contains("福州市人民检察院2026 年代表联络工作报告"));
    assert!(html.contains(r##"<a href="#annex">建议和审议意见办理情况表</a>"##));
    assert!(html.contains("@page { size: A4") && html.contains("break-before: page"));
    assert!(
        html.matches("<svg class=\"chart\"").count() >= 4,
        "bars by level, months, reach, activities, budget"
    );
    assert!(html.contains("收到：全国人大代表 1 件"), "the chart's numbers in words");
    assert!(html.contains("2,345.60") && html.contains("10,000.00"));
    assert!(!html.contains("<script"));
    // The tables printed straight from the model: numbers right-aligned, the total line marked.
    assert!(html.contains(r#"<tr class="total"><th scope="row">合计</th><td class="num">"#), "a total line");
    if let Some(dir) = std::env::var_os("LIAISON_SHOTS") {
        // To look at it: the page as a file, for a headless Chromium screenshot.
        std::fs::write(std::path::Path::new(&dir).join("annual-report.html"), &html).unwrap();
    }
    let en = String::from_utf8(render(&r, Format::Html, Lang::En).unwrap()).unwrap();
    assert!(
        en.contains(r#"<html lang="en">"#) && en.contains("Township deputies") && en.contains("Contents")
    );
    let linked = render::html(&r, Lang::Zh, render::Stylesheet::Link("/static/report.css")).unwrap();
    let linked = String::from_utf8(linked).unwrap();
    assert!(
        linked.contains(r#"<link rel="stylesheet" href="/static/report.css">"#)
            && !linked.contains("<style>")
    );
    let json: serde_json::Value =
        serde_json::from_slice(&render(&r, Format::Json, Lang::Zh).unwrap()).unwrap();
    assert_eq!(json["suggestions"]["total"]["received"], 2);
    assert_eq!(json["suggestions"]["by_level"].as_array().unwrap().len(), 5);
}

/// A sheet holds 1,048,576 rows: a longer table (the annex of a national year) goes on over sheets named
/// `… (2)`, each with its header, the rows in order and none lost (shown here with one row a sheet).
#[test]
fn a_table_longer_than_a_sheet_goes_on_over_numbered_sheets() {
    let (y, _) = demo();
    let r = y.app.annual_report(&y.office, &year(2026)).unwrap();
    let rows = r.annex.len();
    assert!(rows >= 2, "the demo year's annex has {rows} rows");
    let bytes = super::render::xlsx::workbook_in(&r, Lang::Zh, 1).unwrap();
    let wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
    let names = wb.sheet_names();
    let annex: Vec<&String> = names.iter().filter(|n| n.starts_with("建议和审议意见办理情况表")).collect();
    assert_eq!(annex.len(), rows, "{names:?}");
    let (first, second) = (sheet(&bytes, annex[0]), sheet(&bytes, annex[1]));
    assert_eq!(annex[1], &format!("{} (2)", annex[0]));
    assert_eq!(first.height(), 2, "the header and one row");
    assert_eq!(first.get_value((0, 0)), second.get_value((0, 0)), "the header on every sheet");
    let titles: Vec<String> = annex
        .iter()
        .flat_map(|n| {
            let s = sheet(&bytes, n);
            (1..s.height() as u32)
                .map(move |r| s.get_value((r, 1)).map(|v| v.to_string()).unwrap_or_default())
        })
        .collect();
    let expected: Vec<String> = r.annex.iter().map(|a| a.number.clone()).collect();
    assert_eq!(titles, expected, "every annex row once, in order");
}

#[test]
fn the_months_figured_in_one_pass_are_the_figures_of_each_month_alone() {
    use liaison_core::suggestion::{
        GroupBy, Resolution, SuggestionFacts, SuggestionStatus, figures_of_facts,
    };
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    // Items every third day from before the period to after it, across a new year, in several states.
    let first = d("2027-10-20");
    let facts: Vec<SuggestionFacts> = (0..60u32)
        .map(|i| SuggestionFacts {
            received_on: first + chrono::Days::new(u64::from(i) * 3),
            status: if i % 4 == 0 { SuggestionStatus::Closed } else { SuggestionStatus::Registered },
            levels: vec![DeputyLevel::ALL[i as usize % 5]],
            lead: None,
            handler: None,
            first_answer_on_time: (i % 3 == 0).then_some(i % 2 == 0),
            answered_late: i % 7 == 0,
            unanswered_due: (i % 5 == 0).then(|| d("2028-01-15")),
            first_verdict: None,
            final_verdict: None,
            lapsed: i % 11 == 0,
            lapsed_deputies: i % 2,
            resolution: if i % 6 == 0 { Resolution::A } else { Resolution::Not },
            rehandled: i % 9 == 0,
            published: false,
            body_ratings: 0,
            body_satisfied: 0,
        })
        .collect();
    let (from, to, today) = (d("2027-11-15"), d("2028-02-10"), d("2028-02-01"));
    let months = crate::suggestion::monthly(&facts, from, to, today);
    let keys: Vec<&str> = months.iter().map(|m| m.counts.key.as_str()).collect();
    assert_eq!(keys, ["2027-11", "2027-12", "2028-01", "2028-02"]);
    for (m, (start, end)) in months.iter().zip(super::compute::months(from, to)) {
        let alone: crate::FigureRowView =
            figures_of_facts(&facts, start, end, GroupBy::All, today).total.into();
        assert_eq!(m.counts.received, alone.counts.received, "{start}");
        assert!(m.counts.received > 0, "{start}: the test's items reach every month");
        let (mut m, mut alone) = (m.clone(), alone);
        (m.counts.key, m.counts.label) = (String::new(), String::new());
        (alone.counts.key, alone.counts.label) = (String::new(), String::new());
        assert_eq!(m, alone, "{start}");
    }
    let received: u32 = months.iter().map(|m| m.counts.received).sum();
    assert_eq!(
        received as usize,
        facts.iter().filter(|f| f.received_on >= from && f.received_on <= to).count()
    );
}

#[test]
fn many_lines_are_decoded_on_every_core_in_their_order_and_a_bad_one_fails_the_report() {
    let (y, _) = demo();
    let db = liaison_store::sqlite::SqliteStore::raw_connection(&y._dir.path().join("t.db")).unwrap();
    // 9,000 copies of one stored line on its day, each titled by its number: several batches per worker.
    db.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 9000)
         INSERT INTO record_lines (tenant_id, kind, opened_on, id, line)
         SELECT l.tenant_id, l.kind, l.opened_on, l.id || printf('-%05d', i),
                json_set(l.line, '$.a.t', printf('copy %05d', i))
         FROM record_lines l, n
         WHERE l.kind = 'suggestion' AND l.id = (SELECT min(id) FROM record_lines WHERE kind = 'suggestion')",
        [],
    )
    .unwrap();
    let r = y.app.annual_report(&y.office, &year(2026)).unwrap();
    let copies: Vec<&str> =
        r.annex.iter().map(|a| a.title.as_str()).filter(|t| t.starts_with("copy ")).collect();
    assert_eq!(copies.len(), 9000);
    assert!(copies.is_sorted(), "the lines come in the period's order across batches");
    assert_eq!(r.suggestions.total.figures.counts.received, 9002);
    // A line that does not decode fails the report (and nothing waits for a worker that stopped).
    db.execute("UPDATE record_lines SET line = '{broken' WHERE id LIKE '%-04500'", []).unwrap();
    assert_eq!(y.app.annual_report(&y.office, &year(2026)).unwrap_err().kind(), ErrorKind::Internal);
}

#[test]
fn the_annex_written_on_several_cores_is_the_report_written_whole() {
    let (y, _) = demo();
    let mut r = y.app.annual_report(&y.office, &year(2026)).unwrap();
    let one = r.annex.first().cloned().unwrap();
    r.annex.extend((0..101).map(|i| AnnexRow { number: format!("copy {i}"), ..one.clone() }));
    // The text of a row may hold what the annex's key looks like: only the key itself is the key.
    r.annex[1].title = r#"{"annex":[]}"#.into();
    let whole = serde_json::to_vec(&r).unwrap();
    assert_eq!(super::render::json::json_with(&r, 1).unwrap(), whole);
    assert_eq!(render(&r, Format::Json, Lang::Zh).unwrap(), whole, "below the threshold: written whole");
    r.annex.clear();
    assert_eq!(super::render::json::json_with(&r, 0).unwrap(), serde_json::to_vec(&r).unwrap());
}

#[test]
fn r1_summed_a_run_at_a_time_and_merged_is_r1_summed_whole() {
    use liaison_core::suggestion::{
        AnswerClass, GroupBy, Resolution, SuggestionFacts, SuggestionStatus, figures_of_facts,
    };
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let first = d("2026-01-20");
    let named = |i: u32, what: &str| (format!("{what}{}", i % 3), format!("{what}名{}", i % 2));
    // Items every fifth day over the year and past it, of one or two levels, two departments sharing a
    // name under three ids, some unassigned, answered in every class or not at all.
    let items: Vec<(SuggestionFacts, Option<AnswerClass>)> = (0..90u32)
        .map(|i| {
            let f = SuggestionFacts {
                received_on: first + chrono::Days::new(u64::from(i) * 5),
                status: if i % 4 == 0 { SuggestionStatus::Closed } else { SuggestionStatus::Registered },
                levels: DeputyLevel::ALL[i as usize % 5..(i as usize % 5 + 1 + i as usize % 2).min(5)]
                    .to_vec(),
                lead: (i % 7 != 0).then(|| named(i, "d")),
                handler: (i % 7 != 0).then(|| named(i + 1, "u")),
                first_answer_on_time: (i % 3 == 0).then_some(i % 2 == 0),
                answered_late: i % 7 == 0,
                unanswered_due: (i % 5 == 0).then(|| d("2026-06-15")),
                first_verdict: None,
                final_verdict: None,
                lapsed: i % 11 == 0,
                lapsed_deputies: i % 2,
                resolution: if i % 6 == 0 { Resolution::A } else { Resolution::Not },
                rehandled: i % 9 == 0,
                published: i % 8 == 0,
                body_ratings: i % 3,
                body_satisfied: i % 2,
            };
            let class = [
                None,
                Some(AnswerClass::A),
                Some(AnswerClass::B),
                Some(AnswerClass::C),
                Some(AnswerClass::D),
            ][i as usize % 5];
            (f, class)
        })
        .collect();
    let (from, to, today) = (d("2026-01-01"), d("2026-12-31"), d("2026-12-10"));
    let summed = |run: &[(SuggestionFacts, Option<AnswerClass>)]| {
        let mut s = super::r1::R1Sums::new(from, to, today);
        run.iter().for_each(|(f, c)| s.add(f, *c));
        s
    };
    let whole = summed(&items).finish();
    for runs in [2, 3, 7, items.len()] {
        let mut parts = items.chunks(items.len().div_ceil(runs)).map(summed);
        let mut merged = parts.next().unwrap();
        parts.for_each(|later| merged.merge(later));
        assert_eq!(merged.finish(), whole, "{runs} runs");
    }
    // The figures are the dashboards' (those past the year left out), the classes counted by the same keys.
    let facts: Vec<SuggestionFacts> = items.iter().map(|(f, _)| f.clone()).collect();
    let figures = |g| figures_of_facts(&facts, from, to, g, today);
    let rows = |rows: &[R1Row]| rows.iter().map(|r| r.figures.counts.clone()).collect::<Vec<_>>();
    assert_eq!(rows(&whole.by_department), figures(GroupBy::Department).rows);
    assert_eq!(rows(&whole.by_handler), figures(GroupBy::Handler).rows);
    assert_eq!(whole.total.figures.counts, figures(GroupBy::All).total);
    assert!(whole.total.figures.counts.received < 90, "some items are past the year");
    assert_eq!(whole.by_level.len(), 5);
    let a: u32 = items.iter().filter(|(_, c)| *c == Some(AnswerClass::A)).count() as u32;
    assert_eq!(whole.total.classes.a, a);
    let by_department: u32 = whole.by_department.iter().map(|r| r.classes.a).sum();
    assert!(by_department <= a && by_department > 0);
    let months: u32 = whole.by_month.iter().map(|m| m.classes.a + m.classes.b).sum();
    let in_year = items.iter().filter(|(f, _)| f.received_on <= to);
    let a_or_b = in_year.filter(|(_, c)| matches!(c, Some(AnswerClass::A | AnswerClass::B))).count();
    assert_eq!(months as usize, a_or_b);
}
