//! 代表活动 on the pages: planning through the form (bad input refused field by field, nothing written),
//! fixing the pool with a secret seed shown once, the draw after re-authentication with the drawn by name
//! and the verification passing, attendance, stale versions, CSRF and a department account refused, and
//! the fairness table with every level.

use super::*;

/// The text a reader sees: the body without its tags (and so without its links' and fields' values).
fn visible(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn plan<'a>(csrf: &'a str, title: &'a str, on: &'a str, seats: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("kind", "open_day"),
        ("title", title),
        ("on", on),
        ("place", "市检察院"),
        ("seats", seats),
        ("selection", "lottery"),
    ]
}

#[test]
fn an_activity_is_planned_its_pool_fixed_drawn_after_reauth_verified_and_held() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        // More deputies than seats, of several levels.
        for input in liaison_app::demo::generate(10, 23) {
            w.app.register_deputy(&w.office, input, None, None).await.unwrap();
        }
        let (office, secret, _) = w.first_login().await;
        let list = w.get("/activities", &[&office]).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        strict_page(&list);
        assert!(
            list.body.contains("还没有安排代表活动")
                && list.body.contains("aria-current=\"page\">代表活动</a>"),
            "{}",
            list.body
        );
        let csrf = list.field("csrf");

        // Bad input: the form again, each field named, nothing written.
        let mut bad = plan(&csrf, "", "2026-13-40", "4");
        bad[6] = ("selection", "掷骰子");
        let bad = w.post("/activities", &[&office], &bad).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        let msg = bad.text_of("error-message");
        assert!(msg.contains("活动名称：") && msg.contains("日期：") && msg.contains("产生方式："), "{msg}");
        assert!(bad.body.contains("value=\"市检察院\""), "the form keeps what was typed");
        let seats = w.post("/activities", &[&office], &plan(&csrf, "开放日", "2026-03-20", "四")).await;
        assert_eq!(seats.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", seats.body);
        assert!(seats.text_of("error-message").starts_with("名额："), "{}", seats.body);
        assert!(w.app.activities(&w.office).unwrap().is_empty(), "nothing planned");

        // Planned through the form.
        let made = w
            .post("/activities", &[&office], &plan(&csrf, "检察开放日：走进公益诉讼", "2026-03-02", "4"))
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let at = made.location().to_owned();
        assert!(at.starts_with("/activities/"), "{at}");
        let id = at.trim_start_matches("/activities/").to_owned();
        let list = w.get("/activities", &[&office]).await;
        assert!(
            list.body.contains("检察开放日：走进公益诉讼")
                && list.body.contains("名额 4 名 · 抽签（按比例） · 五级代表")
                && list.body.contains(">计划</span>"),
            "{}",
            list.body
        );

        // Without a version, refused; the pool fixed with a secret seed, shown once.
        let page = w.get(&at, &[&office]).await;
        strict_page(&page);
        let v = page.field("version");
        let prepare = [("csrf", csrf.as_str()), ("action", "prepare"), ("secret_seed_reason", "演示用")];
        let nov = w.post(&at, &[&office], &prepare).await;
        assert_eq!(nov.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", nov.body);
        assert!(nov.text_of("error-message").contains("版本号"), "{}", nov.body);
        let mut with_v = prepare.to_vec();
        with_v.push(("version", &v));
        let fixed = w.post(&at, &[&office], &with_v).await;
        assert_eq!(fixed.status, StatusCode::OK, "{}", fixed.body);
        let seed = fixed.text_of("seed-once");
        assert_eq!(seed.len(), 64, "{}", fixed.body);
        assert!(
            fixed.body.contains("抽签池（按代表级别分层）") && fixed.body.contains("演示用"),
            "{}",
            fixed.body
        );
        let again = w.get(&at, &[&office]).await;
        assert!(!again.body.contains(&seed), "the seed is shown once");

        // A stale page is refused.
        let stale = w.post(&at, &[&office], &with_v).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
        assert!(stale.text_of("error-message").contains("刚被其他人修改过"), "{}", stale.body);

        // The draw: re-authentication first, since it cannot be undone.
        w.wait(11 * 60);
        let v = again.field("version");
        let draw =
            [("csrf", csrf.as_str()), ("action", "draw"), ("version", v.as_str()), ("seed", seed.as_str())];
        let first = w.post(&at, &[&office], &draw).await;
        assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
        assert!(first.location().starts_with("/reauth?next=%2Factivities%2F"), "{}", first.location());
        assert!(w.app.activity(&w.office, &id).unwrap().participants.is_empty(), "nothing drawn yet");
        let code = w.code_now(&secret);
        w.post("/reauth", &[&office], &[("csrf", &csrf), ("next", &at), ("code", &code)]).await;
        let done = w.post(&at, &[&office], &draw).await;
        assert_eq!((done.status, done.location()), (StatusCode::SEE_OTHER, at.as_str()), "{}", done.body);

        let page = w.get(&at, &[&office]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let view = w.app.activity_view(&w.office, &id).unwrap();
        assert_eq!(view.activity.participants.len(), 4);
        for d in &view.activity.participants {
            let label = &view.people[&d.to_string()];
            assert!(page.body.contains(&label.display()), "{} drawn: {}", label.display(), page.body);
        }
        assert!(page.body.contains("参加代表（4 名）") && page.body.contains("验证通过"), "{}", page.body);
        assert!(page.body.contains(&seed), "the seed is published with the draw");
        assert!(page.body.contains("级代表（以往参加 0 次）</th>"), "the pool by level: {}", page.body);
        let by_level = page.text_of("drawn-by-level");
        assert!(by_level.starts_with("按级别：") && by_level.contains(" 名"), "{by_level}");
        assert!(!has_uuid(&visible(&page.body)), "{}", visible(&page.body));

        // Attendance (it is held today): the first two came.
        let v = page.field("version");
        let ids: Vec<String> = view.activity.participants.iter().map(ToString::to_string).collect();
        let hold = [
            ("csrf", csrf.as_str()),
            ("action", "hold"),
            ("version", v.as_str()),
            ("attended", ids[0].as_str()),
            ("attended", ids[1].as_str()),
        ];
        let held = w.post(&at, &[&office], &hold).await;
        assert_eq!(held.status, StatusCode::SEE_OTHER, "{}", held.body);
        let page = w.get(&at, &[&office]).await;
        assert!(
            page.body.contains(">已举办</span>") && page.body.matches(">出席</span>").count() == 2,
            "{}",
            page.body
        );

        // The fairness table: every level a row, the attendances counted.
        let fair = w.get("/activities/fairness?year=2026", &[&office]).await;
        assert_eq!(fair.status, StatusCode::OK, "{}", fair.body);
        strict_page(&fair);
        for level in ["全国人大代表", "省级代表", "市级代表", "县级代表", "乡级代表"] {
            assert!(fair.body.contains(&format!("<th scope=\"row\">{level}</th>")), "{level}: {}", fair.body);
        }
        assert!(fair.text_of("fair-summary").starts_with("参加共 2 人次 · 抽中席位 4 个"), "{}", fair.body);
        assert!(fair.body.contains("<svg"), "the chart");
    });
}

#[test]
fn activity_forms_without_csrf_or_from_a_department_are_refused() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        let (office, _, _) = w.first_login().await;
        let csrf = w.get("/activities", &[&office]).await.field("csrf");
        let mut no_csrf = plan("", "开放日", "2026-03-20", "2");
        no_csrf.remove(0);
        let r = w.post("/activities", &[&office], &no_csrf).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        let made = w.post("/activities", &[&office], &plan(&csrf, "开放日", "2026-03-20", "2")).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let at = made.location().to_owned();
        let r = w.post(&at, &[&office], &[("action", "cancel"), ("version", "1"), ("reason", "改期")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

        // A department reads, and is refused planning and acting.
        let (dept, _, _) = w.first_login_as("dept1").await;
        let list = w.get("/activities", &[&dept]).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert!(!list.body.contains("安排代表活动"), "no planning form for a department");
        let dcsrf = list.field("csrf");
        let r = w.post("/activities", &[&dept], &plan(&dcsrf, "另一个开放日", "2026-03-21", "2")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert!(r.text_of("error-message").contains("您的角色不能进行此操作"), "{}", r.body);
        let page = w.get(&at, &[&dept]).await;
        assert!(page.status == StatusCode::OK && !page.body.contains("取消这项活动"), "{}", page.body);
        let id = at.trim_start_matches("/activities/").to_owned();
        let v = w.app.activity(&w.office, &id).unwrap().version.to_string();
        let r = w
            .post(
                &at,
                &[&dept],
                &[("csrf", &dcsrf), ("action", "cancel"), ("version", &v), ("reason", "改期")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(w.app.activities(&w.office).unwrap().len(), 1);
        assert!(w.app.activity(&w.office, &id).unwrap().cancelled.is_none(), "not cancelled");
    });
}

#[test]
fn a_draw_seeded_by_a_public_value_waits_for_its_publication() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        let (office, _, _) = w.first_login().await;
        let csrf = w.get("/activities", &[&office]).await.field("csrf");
        let made = w.post("/activities", &[&office], &plan(&csrf, "公开听证旁听", "2026-03-20", "1")).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let at = made.location().to_owned();
        let v = w.get(&at, &[&office]).await.field("version");
        // Neither a public value nor a reason for a secret seed: refused, the field named.
        let none = w.post(&at, &[&office], &[("csrf", &csrf), ("action", "prepare"), ("version", &v)]).await;
        assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", none.body);
        assert!(none.text_of("error-message").starts_with("公开数据来源："), "{}", none.body);
        let public = [
            ("csrf", csrf.as_str()),
            ("action", "prepare"),
            ("version", v.as_str()),
            ("public_source", "中国福利彩票双色球第2026025期开奖号码"),
            ("published_on", "2026-03-09"),
        ];
        let fixed = w.post(&at, &[&office], &public).await;
        assert_eq!(fixed.status, StatusCode::SEE_OTHER, "no seed to show: {}", fixed.body);
        let page = w.get(&at, &[&office]).await;
        assert!(
            page.body.contains("以 2026-03-09 公布的“中国福利彩票双色球第2026025期开奖号码”为随机种子")
                && page.body.contains("name=\"public_value\"")
                && !page.body.contains("name=\"seed\""),
            "{}",
            page.body
        );
        let v = page.field("version");
        let early = w
            .post(
                &at,
                &[&office],
                &[
                    ("csrf", &csrf),
                    ("action", "draw"),
                    ("version", &v),
                    ("public_value", "03 07 12 19 25 31 + 09"),
                ],
            )
            .await;
        assert!(early.status.is_client_error(), "{}", early.body);
        assert!(early.text_of("error-message").contains("2026-03-09 公布，此前不能抽签"), "{}", early.body);
        assert!(
            w.app
                .activity(&w.office, at.trim_start_matches("/activities/"))
                .unwrap()
                .draw
                .unwrap()
                .seed
                .is_none()
        );
    });
}
