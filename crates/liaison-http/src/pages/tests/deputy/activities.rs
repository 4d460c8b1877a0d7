//! "活动" in-process: a drawn deputy sees the activity with the day to answer by, confirms, is refused a
//! decline without its reason (named, nothing written), declines with one; a stale form and a foreign
//! CSRF token are refused; a deputy of the pool not drawn sees nothing to answer and gets 404 posting;
//! both read the draw's public record, verified; the staff page shows each answer and the free seat.

use super::*;

const ZHAO: &str = "13800138003";

/// An open day on 2026-03-10 with a seat for every deputy on the register (王芳 and 李娜 among them, so
/// both drawn), by lot; its id.
fn drawn(w: &W) -> String {
    let everyone = w.app.deputies(&w.office, &Default::default(), None, 1000).unwrap().items.len();
    let input = liaison_app::ActivityInput {
        kind: "检察开放日".into(),
        title: "走进公益诉讼".into(),
        on: "2026-03-10".into(),
        place: "本院检察服务中心".into(),
        seats: u32::try_from(everyone).unwrap(),
        levels: vec![],
        selection: "lottery".into(),
    };
    let id = rt().block_on(w.app.plan_activity(&w.office, &input)).unwrap().activity.id.to_string();
    let act = |a| rt().block_on(w.app.activity_action(&w.office, &id, None, a)).unwrap();
    let seed = act(liaison_app::ActivityAction::Prepare {
        public_source: None,
        published_on: None,
        secret_seed_reason: Some("测试".into()),
    })
    .seed
    .unwrap();
    act(liaison_app::ActivityAction::Draw { seed: Some(seed), public_value: None });
    id
}

#[test]
fn a_drawn_deputy_confirms_then_declines_with_a_reason_and_reads_the_draw() {
    let t = Portal::new();
    let w = &t.w;
    // 赵强 is registered after the draw: not in its pool.
    let id = drawn(w);
    rt().block_on(w.app.register_deputy(&w.office, input("赵强", "县", "鼓楼区", ZHAO), None, None)).unwrap();
    drafts::account(w, "zhaoqiang", "赵强");
    rt().block_on(async {
        let me = t.login().await;
        let list = w.get("/deputy/activities", &[&me]).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert!(list.body.contains("aria-current=\"page\">活动"), "in the menu: {}", list.body);
        assert!(
            list.body.contains("走进公益诉讼") && list.body.contains("本院检察服务中心"),
            "{}",
            list.body
        );
        assert!(list.body.contains("尚未答复（请于 2026年3月9日 前答复）"), "{}", list.body);
        assert!(list.body.contains(&format!("href=\"/deputy/activities/{id}/draw\"")));
        assert!(list.body.contains("<label for=\"reason-"), "the reason is labelled");
        let csrf = list.field("csrf");
        let version = list.field("version");
        let at = format!("/deputy/activities/{id}");

        // Confirm.
        let ok = w.post(&at, &[&me], &[("csrf", &csrf), ("version", &version), ("answer", "confirm")]).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        assert!(ok.location().starts_with("/deputy/activities?done=1"));
        let list = w.get("/deputy/activities?done=1", &[&me]).await;
        assert!(
            list.body.contains("id=\"done\"") && list.body.contains("<strong>确认参加</strong>"),
            "{}",
            list.body
        );
        assert!(!list.body.contains("id=\"confirm-"), "no second confirm button");
        // The old form's version is stale now: refused in Chinese, nothing written.
        let stale = w
            .post(
                &at,
                &[&me],
                &[("csrf", &csrf), ("version", &version), ("answer", "decline"), ("reason", "出差")],
            )
            .await;
        assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", stale.body);
        assert!(stale.body.contains("已有更新"), "{}", stale.body);
        let version = list.field("version");
        // A decline without its reason: the field named, the activity unchanged.
        let before = w.app.activity(&w.office, &id).unwrap();
        let bad = w
            .post(
                &at,
                &[&me],
                &[("csrf", &csrf), ("version", &version), ("answer", "decline"), ("reason", " ")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.body.contains("原因") && bad.body.contains("id=\"error-message\""), "{}", bad.body);
        assert_eq!(w.app.activity(&w.office, &id).unwrap(), before, "nothing written");
        // A foreign token: refused.
        let forged =
            w.post(&at, &[&me], &[("csrf", "nope"), ("version", &version), ("answer", "confirm")]).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        // Declined with a reason.
        let fields = [
            ("csrf", csrf.as_str()),
            ("version", &version),
            ("answer", "decline"),
            ("reason", "当天在外地出差"),
        ];
        assert_eq!(w.post(&at, &[&me], &fields).await.status, StatusCode::SEE_OTHER);
        let list = w.get("/deputy/activities", &[&me]).await;
        assert!(
            list.body.contains("<strong>不能参加</strong>") && list.body.contains("原因：当天在外地出差")
        );
        assert!(list.body.contains("2026年3月9日 前可以更改"), "{}", list.body);

        // The draw's public record, verified, with my place.
        let rec = w.get(&format!("/deputy/activities/{id}/draw"), &[&me]).await;
        assert_eq!(rec.status, StatusCode::OK, "{}", rec.body);
        assert!(rec.body.contains("验证通过") && rec.body.contains("id=\"my-place\""), "{}", rec.body);
        assert!(!has_uuid(&visible(&rec.body)), "no ids shown on the page");
        let json = w.get(&format!("/deputy/activities/{id}/draw.json"), &[&me]).await;
        let v = liaison_app::verify_published(&json.body).unwrap();
        assert!(v.ok, "{v:?}");

        // Someone not in the pool: nothing listed, a post is not found, the record is not found.
        let zhao = t.login_as(ZHAO).await;
        let theirs = w.get("/deputy/activities", &[&zhao]).await;
        assert!(theirs.body.contains("id=\"no-activities\""), "{}", theirs.body);
        let csrf_z = theirs.field("csrf");
        let p =
            w.post(&at, &[&zhao], &[("csrf", &csrf_z), ("version", &version), ("answer", "confirm")]).await;
        assert_eq!(p.status, StatusCode::NOT_FOUND, "{}", p.body);
        let r = w.get(&format!("/deputy/activities/{id}/draw"), &[&zhao]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);

        // The staff page: each participant's answer by name, the free seat.
        let (office, _, _) = w.first_login().await;
        let page = w.get(&format!("/activities/{id}"), &[&office]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("王芳") && page.body.contains("当天在外地出差"), "{}", page.body);
        assert!(page.body.contains("尚未答复"), "the others have not answered");
        assert!(page.body.contains("id=\"free-seats\""));
        // The staff cookie opens no portal page.
        assert_eq!(w.get("/deputy/activities", &[&office]).await.location(), "/deputy/login");
    });
}
