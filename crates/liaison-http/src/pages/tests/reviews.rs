//! 案件评查 and 人民监督员 on the pages (R4, C4): supervisors appointed (a standing committee member refused
//! with the reason, nothing written); the July story — a case proposed for non-prosecution opened through
//! the form (bad input refused field by field), a recusal with its reason, the pool and the seed's
//! commitment fixed, the draw after re-authentication with the drawn by name and the draw verified, four
//! votes against and one for, the chief agreeing with the majority after proving a factor, the participants
//! told; a chief against the majority sent to the committee, which must explain, then the escalation; and
//! the refusals (a department, the security administrator, a stale page, CSRF).

use liaison_app::{ReviewAction, ReviewInput, SupervisorInput};
use liaison_core::review::ReviewStatus;

use super::*;

/// A deputy of age, with a birth date the supervisor rules can check.
fn adult(name: &str, level: &str, mobile: &str) -> liaison_core::registry::DeputyInput {
    let mut d = super::input(name, level, "鼓楼区", mobile);
    d.birth_date = "1975-05-01".into();
    d
}

/// A form posted with owned values.
async fn post_with(w: &W, path: &str, cookie: &str, fields: &[(&'static str, String)]) -> Page {
    let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    w.post(path, &[cookie], &f).await
}

const SUPERVISORS: [&str; 6] = ["陈静", "林海", "黄磊", "郑敏", "吴刚", "周丽"];

impl W {
    /// Six deputies appointed people's supervisors (through the app), their ids in order.
    fn supervisors(&mut self) -> Vec<String> {
        let mut ids = Vec::new();
        for (i, name) in SUPERVISORS.iter().enumerate() {
            let d = rt()
                .block_on(self.app.register_deputy(
                    &self.office,
                    adult(name, "市", &format!("1390000100{i}")),
                    None,
                    None,
                ))
                .unwrap();
            let input = SupervisorInput {
                deputy: d.id.to_string(),
                kind: "peoples_supervisor".into(),
                from: "2026-03-01".into(),
                to: "2031-02-28".into(),
            };
            rt().block_on(self.app.appoint_supervisor(&self.office, &input)).unwrap();
            ids.push(d.id.to_string());
        }
        self.ids.extend(ids.iter().cloned());
        ids
    }

    /// A deputy's label as the pages show it (name, level, region).
    fn label(&self, id: &str) -> String {
        let d = self.app.deputy(&self.office, liaison_core::ids::DeputyId::parse(id).unwrap()).unwrap();
        format!("{}（{}，{}）", d.name, d.level_zh, d.region)
    }
}

#[test]
fn supervisors_are_appointed_by_name_and_an_ineligible_deputy_is_refused_with_the_reason() {
    let mut w = W::new(Edge::default());
    let chen = rt()
        .block_on(w.app.register_deputy(&w.office, adult("陈静", "市", "13900001000"), None, None))
        .unwrap();
    let mut member = adult("高远", "市", "13900001001");
    member.special_roles = "常委会组成人员".into();
    let gao = rt().block_on(w.app.register_deputy(&w.office, member, None, None)).unwrap();
    w.ids.extend([chen.id.to_string(), gao.id.to_string()]);
    rt().block_on(async {
        let (office, _, _) = w.first_login().await;
        let list = w.get("/supervisors", &[&office]).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        strict_page(&list);
        assert!(
            list.body.contains("还没有任命监督员")
                && list.body.contains("aria-current=\"page\">案件评查</a>"),
            "{}",
            list.body
        );
        let csrf = list.field("csrf");
        let (from, to) = (list.field("from"), list.field("to"));
        assert_eq!((from.as_str(), to.as_str()), ("2026-03-06", "2031-03-05"), "a five-year term by default");
        let appoint = |name: &'static str| {
            vec![
                ("csrf", csrf.clone()),
                ("deputy", name.to_owned()),
                ("kind", "peoples_supervisor".to_owned()),
                ("from", from.clone()),
                ("to", to.clone()),
            ]
        };

        // A member of a congress standing committee may not serve: refused with the reason, nothing written.
        let refused = post_with(&w, "/supervisors", &office, &appoint("高远")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        assert_eq!(
            refused.text_of("error-message"),
            "代表：高远不能担任人民监督员——常委会组成人员不宜担任。",
            "{}",
            refused.body
        );
        assert!(refused.body.contains("value=\"高远\"") && refused.body.contains("aria-invalid=\"true\""));
        strict_page(&refused);
        let unknown = post_with(&w, "/supervisors", &office, &appoint("不存在")).await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unknown.body);
        assert!(
            unknown.text_of("error-message").starts_with("代表：名册上没有名叫“不存在”的代表"),
            "{}",
            unknown.body
        );
        let mut bad_term = appoint("陈静");
        bad_term[4].1 = "2025-01-01".into();
        let bad_term = post_with(&w, "/supervisors", &office, &bad_term).await;
        assert_eq!(bad_term.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad_term.body);
        assert!(bad_term.text_of("error-message").contains("任期结束早于开始"), "{}", bad_term.body);
        assert!(w.app.supervisors(&w.office).unwrap().is_empty(), "nothing written");

        // Appointed: listed by name, level and region; the register's role follows.
        let ok = post_with(&w, "/supervisors", &office, &appoint("陈静")).await;
        assert_eq!((ok.status, ok.location()), (StatusCode::SEE_OTHER, "/supervisors"), "{}", ok.body);
        let all = w.app.supervisors(&w.office).unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].deputy.to_string(), chen.id.to_string());
        let d = w.app.deputy(&w.office, liaison_core::ids::DeputyId(chen.id)).unwrap();
        assert_eq!(d.special_roles, ["peoples_supervisor"]);
        let list = w.get("/supervisors", &[&office]).await;
        assert!(
            list.body.contains(&w.label(&chen.id.to_string()))
                && list.body.contains("人民监督员 · 任期 2026年3月6日 至 2031年3月5日")
                && list.body.contains(">在任</span>"),
            "{}",
            list.body
        );
        assert!(!has_uuid(&visible(&list.body)), "{}", visible(&list.body));
        let again = post_with(&w, "/supervisors", &office, &appoint("陈静")).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", again.body);
        assert!(again.text_of("error-message").ends_with("已担任该职务。"), "{}", again.body);

        // Ended early with a reason.
        let end = format!("/supervisors/{}/end", all[0].id);
        let no_reason = w.post(&end, &[&office], &[("csrf", &csrf), ("reason", " ")]).await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", no_reason.body);
        assert!(no_reason.text_of("error-message").starts_with("终止理由："), "{}", no_reason.body);
        let ended = w.post(&end, &[&office], &[("csrf", &csrf), ("reason", "工作调动")]).await;
        assert_eq!(ended.status, StatusCode::SEE_OTHER, "{}", ended.body);
        assert!(w.app.supervisors(&w.office).unwrap()[0].ended.is_some());
        let list = w.get("/supervisors", &[&office]).await;
        assert!(list.body.contains("2026年3月6日 终止：工作调动"), "{}", list.body);
    });
}

/// July: a case proposed for non-prosecution goes to review by people's supervisors: five drawn after
/// recusal checks; four vote against the proposal; the chief agrees with them.
#[test]
fn a_review_is_opened_recused_drawn_after_reauth_voted_decided_and_told() {
    let mut w = W::new(Edge::default());
    let sup = w.supervisors();
    user(&w.app, "leader1", "张检察长", "leader", None);
    rt().block_on(async {
        let (office, secret, _) = w.first_login().await;
        let list = w.get("/reviews", &[&office]).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        strict_page(&list);
        assert!(
            list.body.contains("2026 年还没有案件评查")
                && list.body.contains("aria-current=\"page\">案件评查</a>"),
            "{}",
            list.body
        );
        let csrf = list.field("csrf");

        // Bad input: the form again, each field named, nothing written.
        let bad = w
            .post(
                "/reviews",
                &[&office],
                &[("csrf", &csrf), ("case_ref", " "), ("kind", "掷骰子"), ("summary", "拟不起诉")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        let msg = bad.text_of("error-message");
        assert!(msg.contains("案号：") && msg.contains("评查类型："), "{msg}");
        assert!(bad.body.contains(">拟不起诉</textarea>"), "the form keeps what was typed");
        strict_page(&bad);
        assert!(w.app.reviews(&w.office).unwrap().is_empty(), "nothing written");

        let open = [
            ("csrf", csrf.as_str()),
            ("case_ref", "榕检刑不诉〔2026〕12号"),
            ("kind", "proposed_non_prosecution"),
            ("summary", "犯罪嫌疑人李某涉嫌盗窃，情节轻微，拟作不起诉处理。"),
        ];
        let made = w.post("/reviews", &[&office], &open).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let at = made.location().to_owned();
        let id = at.trim_start_matches("/reviews/").to_owned();
        let list = w.get("/reviews", &[&office]).await;
        assert!(
            list.body.contains("榕检刑不诉〔2026〕12号")
                && list.body.contains("拟不起诉案件 · 2026年3月6日 登记"),
            "{}",
            list.body
        );

        // The pool: the people's supervisors in office, by name.
        let page = w.get(&at, &[&office]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        strict_page(&page);
        let pool = w.app.review_pool(&w.office, &id, 50).unwrap();
        assert!(pool.size >= 6 && !pool.fixed, "{pool:?}");
        assert!(
            page.text_of("pool-size")
                .starts_with(&format!("目前符合条件：在任的人民监督员 {} 人", pool.size)),
            "{}",
            page.body
        );
        for s in &sup {
            assert!(page.body.contains(&w.label(s)), "{s}: {}", page.body);
        }
        assert!(!has_uuid(&visible(&page.body)), "{}", visible(&page.body));

        // A recusal, with its reason: out of the pool.
        let v = page.field("version");
        let recuse = [
            ("csrf", csrf.as_str()),
            ("action", "recuse"),
            ("version", v.as_str()),
            ("deputy", sup[5].as_str()),
            ("reason", "与犯罪嫌疑人系同事关系"),
        ];
        let no_reason =
            w.post(&at, &[&office], &[recuse[0], recuse[1], recuse[2], recuse[3], ("reason", "")]).await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", no_reason.body);
        assert!(no_reason.text_of("error-message").starts_with("回避理由："), "{}", no_reason.body);
        let done = w.post(&at, &[&office], &recuse).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let page = w.get(&at, &[&office]).await;
        assert!(
            page.body.contains(&format!(
                "{}<div class=\"text\">理由：与犯罪嫌疑人系同事关系</div>",
                w.label(&sup[5])
            )),
            "{}",
            page.body
        );
        assert_eq!(w.app.review_pool(&w.office, &id, 50).unwrap().size, pool.size - 1);

        // The pool and the seed fixed: the count must be a number, 3 or more; the seed shown once and its
        // commitment from then on, before the draw.
        let v = page.field("version");
        let prepare = |count: &'static str| {
            [
                ("csrf", csrf.clone()),
                ("action", "prepare".into()),
                ("version", v.clone()),
                ("count", count.into()),
                ("secret_seed_reason", "案件信息不宜提前公开".into()),
            ]
        };
        let words = post_with(&w, &at, &office, &prepare("五")).await;
        assert_eq!(words.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", words.body);
        assert_eq!(words.text_of("error-message"), "抽选人数：请填写一个整数。");
        let two = post_with(&w, &at, &office, &prepare("2")).await;
        assert!(two.status.is_client_error(), "{}", two.body);
        assert!(two.text_of("error-message").contains("至少需要 3 人"), "{}", two.body);
        assert_eq!(w.app.review(&w.office, &id).unwrap().status, ReviewStatus::Registered, "nothing fixed");
        let fixed = post_with(&w, &at, &office, &prepare("5")).await;
        assert_eq!(fixed.status, StatusCode::OK, "{}", fixed.body);
        let seed = fixed.text_of("seed-once");
        assert_eq!(seed.len(), 64, "{}", fixed.body);
        let page = w.get(&at, &[&office]).await;
        assert!(!page.body.contains(&seed), "the seed is shown once");
        assert!(page.text_of("promise").contains("SM3 承诺值"), "{}", page.body);
        assert!(page.text_of("pool-size").starts_with("已固定："), "{}", page.body);

        // The draw: re-authentication first, since it cannot be undone.
        w.wait(11 * 60);
        let v = page.field("version");
        let draw =
            [("csrf", csrf.as_str()), ("action", "draw"), ("version", v.as_str()), ("seed", seed.as_str())];
        let first = w.post(&at, &[&office], &draw).await;
        assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
        assert!(first.location().starts_with("/reauth?next=%2Freviews%2F"), "{}", first.location());
        assert!(w.app.review(&w.office, &id).unwrap().participants.is_empty(), "nothing drawn yet");
        let code = w.code_now(&secret);
        w.post("/reauth", &[&office], &[("csrf", &csrf), ("next", &at), ("code", &code)]).await;
        let drawn = w.post(&at, &[&office], &draw).await;
        assert_eq!((drawn.status, drawn.location()), (StatusCode::SEE_OTHER, at.as_str()), "{}", drawn.body);

        let r = w.app.review(&w.office, &id).unwrap();
        assert_eq!((r.status, r.participants.len()), (ReviewStatus::Drawn, 5));
        assert!(!r.participants.iter().any(|d| d.to_string() == sup[5]), "the recused not drawn");
        let page = w.get(&at, &[&office]).await;
        for d in &r.participants {
            assert!(
                page.body
                    .contains(&format!("<th scope=\"row\">{}</th><td>未表决</td>", w.label(&d.to_string())))
            );
        }
        assert!(page.body.contains("参加评查的人民监督员（5 人）"), "{}", page.body);
        assert!(page.body.contains("验证通过") && page.body.contains(&seed), "{}", page.body);
        assert!(w.app.verify_draw(&w.office, &id).unwrap().ok);
        assert!(!has_uuid(&visible(&page.body)), "{}", visible(&page.body));

        // The votes: a vote without its choice is refused; four against, one for.
        let v = page.field("version");
        let p0 = r.participants[0].to_string();
        let unchosen = [
            ("csrf", csrf.as_str()),
            ("action", "vote"),
            ("version", v.as_str()),
            ("deputy", p0.as_str()),
            ("opinion", "同意"),
        ];
        let unchosen = w.post(&at, &[&office], &unchosen).await;
        assert_eq!(unchosen.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unchosen.body);
        assert!(unchosen.text_of("error-message").starts_with("表决："), "{}", unchosen.body);
        assert!(w.app.review(&w.office, &id).unwrap().votes.is_empty(), "nothing written");
        for (i, d) in r.participants.iter().enumerate() {
            let v = w.get(&at, &[&office]).await.field("version");
            let (agree, opinion) = if i == 4 {
                ("yes", "情节轻微，同意不起诉。")
            } else {
                ("no", "被害人损失未获赔偿，不宜不起诉。")
            };
            let vote = [
                ("csrf", csrf.as_str()),
                ("action", "vote"),
                ("version", v.as_str()),
                ("deputy", &d.to_string()),
                ("agree", agree),
                ("opinion", opinion),
            ];
            let done = w.post(&at, &[&office], &vote).await;
            assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        }
        let page = w.get(&at, &[&office]).await;
        assert_eq!(page.text_of("tally"), "已表决 5 人：同意 1 票，不同意 4 票");
        assert!(!page.body.contains("检察长的决定"), "the office does not decide");

        // The chief agrees with the majority: the leader proves a factor first.
        let (leader, lsecret, _) = w.first_login_as("leader1").await;
        w.wait(11 * 60);
        let lp = w.get(&at, &[&leader]).await;
        assert!(lp.body.contains("检察长的决定") && !lp.body.contains("登记表决"), "{}", lp.body);
        let (lcsrf, v) = (lp.field("csrf"), lp.field("version"));
        let chief = [
            ("csrf", lcsrf.as_str()),
            ("action", "chief"),
            ("version", v.as_str()),
            ("agree", "no"),
            ("text", "采纳人民监督员的多数意见，依法提起公诉。"),
        ];
        let first = w.post(&at, &[&leader], &chief).await;
        assert!(first.location().starts_with("/reauth?next=%2Freviews%2F"), "{}", first.body);
        let code = w.code_now(&lsecret);
        w.post("/reauth", &[&leader], &[("csrf", &lcsrf), ("next", &at), ("code", &code)]).await;
        let decided = w.post(&at, &[&leader], &chief).await;
        assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.body);
        let r = w.app.review(&w.office, &id).unwrap();
        assert_eq!(
            (r.status, r.majority_agrees, r.chief.as_ref().map(|c| c.0)),
            (ReviewStatus::Decided, Some(false), Some(false))
        );

        // The participants told.
        let page = w.get(&at, &[&office]).await;
        let v = page.field("version");
        let told = w
            .post(
                &at,
                &[&office],
                &[
                    ("csrf", &csrf),
                    ("action", "notify"),
                    ("version", &v),
                    ("text", "本院采纳多数意见，已依法提起公诉。"),
                ],
            )
            .await;
        assert_eq!(told.status, StatusCode::SEE_OTHER, "{}", told.body);
        assert_eq!(w.app.review(&w.office, &id).unwrap().status, ReviewStatus::Notified);
        let page = w.get(&at, &[&office]).await;
        assert!(
            page.text_of("review-status") == "已告知结果"
                && page.body.contains("不同意拟处理意见：采纳人民监督员的多数意见，依法提起公诉。"),
            "{}",
            page.body
        );
        let list = w.get("/reviews", &[&office]).await;
        assert!(
            list.body.contains("同意拟处理意见 1 票、不同意 4 票；检察长不同意拟处理意见"),
            "{}",
            list.body
        );
        assert!(!has_uuid(&visible(&list.body)));
    });
}

/// A chief against the majority: the committee decides and explains; still against, the escalation.
#[test]
fn a_chief_against_the_majority_goes_to_the_committee_then_to_the_higher_procuratorate() {
    let mut w = W::new(Edge::default());
    let _ = w.supervisors();
    user(&w.app, "leader1", "张检察长", "leader", None);
    let (app, office) = (&w.app, &w.office);
    let input = ReviewInput {
        case_ref: "榕检刑撤〔2026〕3号".into(),
        kind: "拟撤销案件".into(),
        summary: "拟撤销案件。".into(),
    };
    let id = rt().block_on(app.register_review(office, &input)).unwrap().review.id.to_string();
    let act = |a: ReviewAction| {
        let v = app.review(office, &id).unwrap().version;
        rt().block_on(app.review_action(office, &id, Some(v), a)).unwrap()
    };
    let seed = act(ReviewAction::Prepare {
        count: 3,
        public_source: None,
        published_on: None,
        secret_seed_reason: Some("演示".into()),
    })
    .seed
    .unwrap();
    act(ReviewAction::Draw { seed: Some(seed), public_value: None });
    for d in app.review(office, &id).unwrap().participants {
        act(ReviewAction::Vote {
            deputy: d.to_string(), agree: false, opinion: "证据不足以撤销。".into()
        });
    }
    rt().block_on(async {
        let at = format!("/reviews/{id}");
        let (leader, _, _) = w.first_login_as("leader1").await;
        let lp = w.get(&at, &[&leader]).await;
        let (lcsrf, v) = (lp.field("csrf"), lp.field("version"));
        let chief = [
            ("csrf", lcsrf.as_str()),
            ("action", "chief"),
            ("version", v.as_str()),
            ("agree", "yes"),
            ("text", "同意撤销。"),
        ];
        assert_eq!(w.post(&at, &[&leader], &chief).await.status, StatusCode::SEE_OTHER);
        assert_eq!(w.app.review(&w.office, &id).unwrap().status, ReviewStatus::AwaitingCommittee);
        let lp = w.get(&at, &[&leader]).await;
        assert!(
            lp.text_of("review-status") == "待检委会决定" && lp.body.contains("检察委员会的决定"),
            "{}",
            lp.body
        );
        let v = lp.field("version");
        // The committee must explain.
        let mut committee = vec![
            ("csrf", lcsrf.as_str()),
            ("action", "committee"),
            ("version", v.as_str()),
            ("agree", "yes"),
            ("text", "维持撤销决定。"),
            ("explanation", ""),
        ];
        let bare = w.post(&at, &[&leader], &committee).await;
        assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bare.body);
        assert!(bare.text_of("error-message").starts_with("说明理由："), "{}", bare.body);
        committee[5] = ("explanation", "经补充侦查，现有证据不能证明犯罪事实。");
        assert_eq!(w.post(&at, &[&leader], &committee).await.status, StatusCode::SEE_OTHER);
        assert_eq!(w.app.review(&w.office, &id).unwrap().status, ReviewStatus::AwaitingEscalation);

        let (office, _, _) = w.first_login().await;
        let page = w.get(&at, &[&office]).await;
        assert!(
            page.body.contains("说明理由：经补充侦查") && page.body.contains("报请上级院的文号"),
            "{}",
            page.body
        );
        let (csrf, v) = (page.field("csrf"), page.field("version"));
        let up = w
            .post(
                &at,
                &[&office],
                &[
                    ("csrf", &csrf),
                    ("action", "escalate"),
                    ("version", &v),
                    ("reference", "榕检报〔2026〕7号"),
                ],
            )
            .await;
        assert_eq!(up.status, StatusCode::SEE_OTHER, "{}", up.body);
        let r = w.app.review(&w.office, &id).unwrap();
        assert_eq!(
            (r.status, r.escalation.map(|e| e.to_string())),
            (ReviewStatus::Decided, Some("榕检报〔2026〕7号".to_owned()))
        );
        // A stale page is refused.
        let stale = w
            .post(
                &at,
                &[&office],
                &[("csrf", &csrf), ("action", "notify"), ("version", &v), ("text", "结果")],
            )
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
        assert!(stale.text_of("error-message").contains("刚被其他人修改过"), "{}", stale.body);
    });
}

#[test]
fn review_forms_from_a_department_without_csrf_or_for_the_security_administrator_are_refused() {
    let w = W::new(Edge::default());
    rt().block_on(async {
        let (office, _, _) = w.first_login().await;
        let csrf = w.get("/reviews", &[&office]).await.field("csrf");
        let open = [
            ("case_ref", "榕检刑不诉〔2026〕20号"),
            ("kind", "committee_observation"),
            ("summary", "检委会讨论重大案件。"),
        ];
        assert_eq!(w.post("/reviews", &[&office], &open).await.status, StatusCode::FORBIDDEN, "no token");

        // A department reads, and is refused opening one.
        let (dept, _, _) = w.first_login_as("dept1").await;
        let list = w.get("/reviews", &[&dept]).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert!(!list.body.contains("登记案件评查"), "no form for a department");
        let dcsrf = list.field("csrf");
        let mut with = vec![("csrf", dcsrf.as_str())];
        with.extend(open);
        let r = w.post("/reviews", &[&dept], &with).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert!(r.text_of("error-message").contains("您的角色不能进行此操作"), "{}", r.body);
        let r = w
            .post(
                "/supervisors",
                &[&dept],
                &[("csrf", &dcsrf), ("deputy", "王芳"), ("kind", "peoples_supervisor")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert!(
            w.app.reviews(&w.office).unwrap().is_empty() && w.app.supervisors(&w.office).unwrap().is_empty()
        );

        // The office opens a committee observation: drawn from every deputy in office, two by default.
        let mut with = vec![("csrf", csrf.as_str())];
        with.extend(open);
        let made = w.post("/reviews", &[&office], &with).await;
        let page = w.get(made.location(), &[&office]).await;
        assert!(page.text_of("pool-size").starts_with("目前符合条件：在任代表 "), "{}", page.body);
        assert_eq!(page.field("count"), "2");

        // The security administrator reads no case reviews, and the menu does not offer them.
        let (sec, _, _) = w.first_login_as("sec").await;
        let none = w.get("/reviews", &[&sec]).await;
        assert_eq!(none.status, StatusCode::FORBIDDEN, "{}", none.body);
        assert_eq!(w.get(made.location(), &[&sec]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(w.get("/supervisors", &[&sec]).await.status, StatusCode::FORBIDDEN);
        let home = w.get("/admin", &[&sec]).await;
        assert!(!home.body.contains("案件评查") && !home.body.contains("视察整改"), "{}", home.body);
        // An address that names nothing: 404, the id not repeated.
        let gone = w.get("/reviews/00000000-0000-7000-8000-000000000000", &[&office]).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND, "{}", gone.body);
        assert!(!has_uuid(&visible(&gone.body)), "{}", gone.body);
    });
}
