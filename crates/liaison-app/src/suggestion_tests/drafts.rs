//! Issue 17 item 7: a deputy files a joint suggestion online — the lead drafts and invites, each co-signer
//! confirms or declines for themself, the lead submits and the suggestion is filed (number, proposers,
//! source `online`) in the same transaction; nobody acts for another deputy; bad input changes nothing.

use liaison_core::message::MessageKind;

use super::World;
use crate::tests::rt;
use crate::*;

fn input(co: &[&str]) -> DraftInput {
    DraftInput {
        title: "关于加强社区矫正监督的建议".into(),
        content: "建议检察机关加强对社区矫正执行活动的监督。".into(),
        co_signers: co.iter().map(|s| (*s).to_owned()).collect(),
    }
}

impl World {
    fn dep(&self, i: usize) -> &Principal {
        &self.deputies[i].1
    }
    fn dep_id(&self, i: usize) -> String {
        self.deputies[i].0.clone()
    }
    fn open_draft(&self, lead: usize, co: &[usize]) -> DraftView {
        let ids: Vec<String> = co.iter().map(|i| self.dep_id(*i)).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        rt().block_on(self.app.open_draft(self.dep(lead), &input(&ids), None)).unwrap()
    }
    fn draft_act(&self, p: &Principal, id: &str, a: DraftAction) -> Result<DraftView, AppError> {
        rt().block_on(self.app.draft_action(p, id, None, a))
    }
    fn draft_messages(&self, kind: MessageKind) -> Vec<MessageView> {
        let all = self.app.messages(&self.office, &MessageFilter::default()).unwrap();
        all.into_iter().filter(|m| m.kind == kind.code() && m.channel == "inbox").collect()
    }
    fn draft_audit(&self, id: &str) -> Vec<String> {
        let t = self.office.tenant.clone();
        let recs = liaison_store::read(self.app.store(), |q| q.history(&t, id)).unwrap();
        recs.into_iter().map(|r| r.kind).collect()
    }
}

fn code(e: &AppError) -> &'static str {
    e.code()
}

#[test]
fn the_lead_drafts_b_confirms_and_the_lead_files_it_with_both_as_proposers() {
    let w = World::new();
    let (a, b) = (w.dep(0).clone(), w.dep(1).clone());
    let v = w.open_draft(0, &[1]);
    assert_eq!((v.status.as_str(), v.version, v.edition, v.pending, v.you_lead), ("open", 2, 1, 1, true));
    assert_eq!(v.co_signers.len(), 1);
    assert_eq!(v.co_signers[0].answer_zh, "待确认");
    assert!(!v.co_signers[0].deputy.name.is_empty() && !v.lead.name.is_empty(), "named: {v:?}");
    // B is invited (an inbox message to B's account), sees it, and is not its lead.
    let invited = w.draft_messages(MessageKind::DraftInvited);
    assert_eq!(invited.len(), 1, "{invited:#?}");
    assert_eq!(invited[0].recipient_id, b.user.to_string());
    let seen = w.app.draft(&b, &v.id).unwrap();
    assert!(!seen.you_lead && seen.co_signers[0].you);
    assert_eq!(w.app.drafts(&b).unwrap().len(), 1);
    // C was not invited: the draft does not exist for C, and C's list is empty.
    let c = w.dep(2);
    assert_eq!(code(&w.app.draft(c, &v.id).unwrap_err()), "not_found");
    assert!(w.app.drafts(c).unwrap().is_empty());
    assert_eq!(code(&w.draft_act(c, &v.id, DraftAction::Confirm { edition: 1 }).unwrap_err()), "not_found");
    // B cannot submit, invite or withdraw: only the lead does.
    for act in [
        DraftAction::Submit { leave_unanswered: true },
        DraftAction::Withdraw { reason: None },
        DraftAction::Invite { co_signers: vec![w.dep_id(2)] },
    ] {
        let e = w.draft_act(&b, &v.id, act).unwrap_err();
        assert_eq!(e.code(), "draft.not_the_lead", "{e:?}");
    }
    // Staff cannot confirm for B (nor read the draft at all); the lead cannot confirm for B either.
    let e = w.draft_act(&w.office, &v.id, DraftAction::Confirm { edition: 1 }).unwrap_err();
    assert_eq!(code(&e), "auth.forbidden");
    assert_eq!(code(&w.app.draft(&w.office, &v.id).unwrap_err()), "auth.forbidden");
    let e = w.draft_act(&a, &v.id, DraftAction::Confirm { edition: 1 }).unwrap_err();
    assert_eq!(e.code(), "draft.not_invited");
    assert_eq!(w.app.draft(&a, &v.id).unwrap().version, 2, "nothing refused was written");
    // B confirms: every invitation answered, the lead is told.
    let v = w.draft_act(&b, &v.id, DraftAction::Confirm { edition: 1 }).unwrap();
    assert_eq!((v.pending, v.ready, v.co_signers[0].answer.as_str()), (0, true, "confirmed"));
    let answered = w.draft_messages(MessageKind::DraftAnswered);
    assert_eq!(answered.len(), 1);
    assert_eq!(answered[0].recipient_id, a.user.to_string());
    // The lead submits: the suggestion is filed, numbered, with both proposers, marked as filed online.
    let v = w.draft_act(&a, &v.id, DraftAction::Submit { leave_unanswered: false }).unwrap();
    assert_eq!(v.status, "submitted");
    let number = v.suggestion_number.clone().unwrap();
    let s = w.app.suggestion(&w.office, &number).unwrap();
    assert_eq!(Some(s.suggestion.id.to_string()), v.suggestion_id);
    assert_eq!(s.suggestion.source, liaison_core::suggestion::Source::Online);
    assert_eq!(s.suggestion.status.code(), "registered");
    let proposers: Vec<String> = s.suggestion.proposers.iter().map(|p| p.deputy.to_string()).collect();
    assert_eq!(proposers, [w.dep_id(0), w.dep_id(1)]);
    assert_eq!(s.suggestion.title.as_str(), "关于加强社区矫正监督的建议");
    // B reads it among B's own suggestions; audited: the suggestion's filing by the lead's account, and
    // every step of the draft.
    assert!(w.app.suggestion(&b, &number).is_ok());
    let history = w.app.suggestion_history(&w.office, &number).unwrap();
    let kinds: Vec<&str> = history.iter().map(|h| h.kind.as_str()).collect();
    assert_eq!(kinds, ["suggestion.received", "suggestion.registered"]);
    assert!(history.iter().all(|h| h.actor.starts_with(&a.name)), "{history:#?}");
    assert_eq!(w.draft_audit(&v.id), ["draft.opened", "draft.invited", "draft.confirmed", "draft.submitted"]);
    // Submitted: nothing more changes it.
    let e = w.draft_act(&a, &v.id, DraftAction::Withdraw { reason: None }).unwrap_err();
    assert_eq!(e.code(), "draft.illegal_transition");
}

#[test]
fn an_edit_asks_again_and_the_lead_may_file_with_those_who_confirmed() {
    let w = World::new();
    let (a, b, c) = (w.dep(0).clone(), w.dep(1).clone(), w.dep(2).clone());
    let v = w.open_draft(0, &[1, 2]);
    w.draft_act(&b, &v.id, DraftAction::Confirm { edition: 1 }).unwrap();
    // The words change: B's confirmation is withdrawn, B is asked again.
    let v = w
        .draft_act(&a, &v.id, DraftAction::Edit { title: None, content: Some("修改后的建议内容。".into()) })
        .unwrap();
    assert_eq!((v.edition, v.pending), (2, 2));
    let invited = w.draft_messages(MessageKind::DraftInvited);
    assert_eq!(invited.len(), 3, "two invitations, then B again: {invited:#?}");
    // B's confirmation of the old words is refused; of the new ones accepted.
    let e = w.draft_act(&b, &v.id, DraftAction::Confirm { edition: 1 }).unwrap_err();
    assert_eq!(e.code(), "draft.edited_since");
    w.draft_act(&b, &v.id, DraftAction::Confirm { edition: 2 }).unwrap();
    // C has not answered: refused unless the lead says to leave C out.
    let e = w.draft_act(&a, &v.id, DraftAction::Submit { leave_unanswered: false }).unwrap_err();
    assert_eq!(e.code(), "draft.unanswered");
    assert!(
        w.app.suggestions(&w.office, &Default::default(), None, 50).unwrap().items.is_empty(),
        "nothing filed"
    );
    let v = w.draft_act(&a, &v.id, DraftAction::Submit { leave_unanswered: true }).unwrap();
    let lapsed = v.co_signers.iter().find(|x| x.answer == "lapsed").unwrap();
    assert!(!lapsed.you);
    let s = w.app.suggestion(&w.office, v.suggestion_number.as_deref().unwrap()).unwrap();
    assert_eq!(s.suggestion.proposers.len(), 2);
    assert_eq!(s.suggestion.content.as_str(), "修改后的建议内容。");
    // C, not a proposer, cannot read the suggestion; the draft shows C's invitation lapsed.
    assert!(w.app.suggestion(&c, v.suggestion_number.as_deref().unwrap()).is_err());
    assert_eq!(w.app.draft(&c, &v.id).unwrap().co_signers[1].answer, "lapsed");
}

#[test]
fn bad_input_names_its_field_and_changes_nothing() {
    let w = World::new();
    let a = w.dep(0).clone();
    let field = |e: AppError| match e {
        AppError::Invalid(f) => f.into_iter().map(|f| f.field).collect::<Vec<_>>(),
        other => panic!("expected invalid input, got {other:?}"),
    };
    let bad = |i: DraftInput| rt().block_on(w.app.open_draft(&a, &i, None)).unwrap_err();
    let mut i = input(&[]);
    i.title = "  ".into();
    i.content = String::new();
    assert_eq!(field(bad(i)), ["title", "content"]);
    assert_eq!(field(bad(input(&[&w.dep_id(0)]))), ["co_signers"], "the lead cannot co-sign");
    assert_eq!(field(bad(input(&["not-a-uuid"]))), ["co_signers"]);
    assert_eq!(field(bad(input(&[&w.dep_id(1), &w.dep_id(1)]))), ["co_signers"]);
    assert!(w.app.drafts(&a).unwrap().is_empty(), "nothing opened");
    let v = w.open_draft(0, &[1]);
    let refused = [
        (DraftAction::Invite { co_signers: vec![w.dep_id(1)] }, "co_signers"),
        (DraftAction::Invite { co_signers: vec![] }, "co_signers"),
        (DraftAction::Edit { title: None, content: None }, "content"),
        (
            DraftAction::Edit {
                title: Some("关于加强社区矫正监督的建议".into()), content: None
            },
            "content",
        ),
        (DraftAction::Edit { title: Some("x".repeat(500)), content: None }, "title"),
        (DraftAction::Withdraw { reason: Some("y".repeat(500)) }, "reason"),
    ];
    for (act, name) in refused {
        assert_eq!(field(w.draft_act(&a, &v.id, act).unwrap_err()), [name]);
    }
    // A stale version is refused too.
    let e = rt().block_on(w.app.draft_action(&a, &v.id, Some(1), DraftAction::Withdraw { reason: None }));
    assert_eq!(code(&e.unwrap_err()), "version.stale");
    let after = w.app.draft(&a, &v.id).unwrap();
    assert_eq!((after.version, after.edition, after.co_signers.len()), (v.version, 1, 1));
    assert_eq!(w.draft_audit(&v.id).len(), 2, "only the opening was audited");
    // Withdrawn by the lead, with its reason.
    let v =
        w.draft_act(&a, &v.id, DraftAction::Withdraw { reason: Some("已在大会期间提出".into()) }).unwrap();
    assert_eq!((v.status_zh.as_str(), v.withdrawal_reason.as_deref()), ("已撤回", Some("已在大会期间提出")));
}

#[test]
fn staff_and_administrators_never_act_as_a_deputy() {
    let w = World::new();
    let admin = {
        let t = liaison_store::default_tenant();
        w.app.principal_for_login(&t, "admin").unwrap()
    };
    for p in [&w.office, &w.dept, &w.leader, &admin] {
        let e = rt().block_on(w.app.open_draft(p, &input(&[&w.dep_id(1)]), None)).unwrap_err();
        assert_eq!(code(&e), "auth.forbidden", "{}", p.login);
        assert_eq!(code(&w.app.drafts(p).unwrap_err()), "auth.forbidden");
    }
    // A staff account naming a deputy it does not own is still not that deputy.
    let mut forged = w.office.clone();
    forged.deputy = liaison_core::ids::DeputyId::parse(&w.dep_id(0)).ok();
    assert_eq!(code(&w.app.drafts(&forged).unwrap_err()), "auth.forbidden");
    // Staff filing cannot claim the deputy's own channel.
    let s = SuggestionInput {
        title: "标题".into(),
        content: "内容".into(),
        source: "online".into(),
        received_on: None,
        deputies: vec![w.dep_id(0)],
    };
    let e = rt().block_on(w.app.file_suggestion(&w.office, &s, None)).unwrap_err();
    assert!(matches!(&e, AppError::Invalid(f) if f[0].field == "source"), "{e:?}");
}

#[test]
fn a_drafts_stored_row_edited_behind_its_events_is_named() {
    let w = World::new();
    let v = w.open_draft(0, &[1]);
    w.draft_act(w.dep(1), &v.id, DraftAction::Decline { reason: Some("不熟悉该领域".into()) }).unwrap();
    assert!(w.app.verify_state().unwrap().ok());
    let t = w.office.tenant.clone();
    let id = v.id.clone();
    let r = liaison_store::read(w.app.store(), |q| q.record(&t, "draft", &id)).unwrap().unwrap();
    liaison_store::write_blocking(w.app.store(), move |tx: &mut dyn liaison_store::WriteTx| {
        let mut data: serde_json::Value = serde_json::from_str(&r.data).unwrap();
        data["title"] = serde_json::json!("被改动的标题");
        let row = liaison_store::RecordRow {
            deputies: vec![],
            ..liaison_store::RecordRow::plain(
                "draft",
                &r.id,
                r.version,
                &r.status,
                chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
                data.to_string(),
                super::sg_at(),
            )
        };
        tx.update_record(&t, &row, r.version)
    })
    .unwrap();
    w.state_edited(&v.id, "state.title");
}
