//! The texts of outgoing messages (issue 17, item 2): one template per [`MessageKind`], in Chinese (the
//! default) and English (`LIAISON_MESSAGE_LANG=en`), each as a subject, an e-mail or inbox body, and an SMS
//! built of fixed and shortenable parts so it keeps within the SMS length rule
//! ([`liaison_core::message::sms`]): the title is cut with `…`, numbers, dates and links never are.
//!
//! A deputy's feedback link is not a parameter stored with the message: the delivery worker issues it when
//! it sends and passes it here as `link`, so it exists only in the message that reaches the deputy.

use liaison_core::message::MessageKind;
use liaison_core::message::sms::SmsPart;
use serde_json::Value;

mod deputy;

/// A message's text in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The subject (e-mail, inbox).
    pub subject: String,
    /// The body (e-mail, inbox).
    pub body: String,
    /// The SMS, in parts (see [`liaison_core::message::sms::fit`]).
    pub sms: Vec<SmsPart>,
}

fn param(p: &Value, key: &str) -> String {
    match p.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(v) => v.to_string(),
    }
}

/// Render `kind` with its parameters (as queued) and the recipient's own secret: for a deputy's answer,
/// reminder, notice or published answer the deputy's own link, for a login code the code (`None` when the
/// text is stored: it then says the code is not shown).
pub fn render(kind: MessageKind, english: bool, p: &Value, link: Option<&str>) -> Rendered {
    let g = |k: &str| param(p, k);
    let (number, title) = (g("number"), g("title"));
    let fixed = |s: String| SmsPart::Fixed(s);
    let title_part = SmsPart::Shortenable(title.clone());
    let link_zh = link.map(|l| format!("评价链接（仅限本人使用）：{l}")).unwrap_or_default();
    let link_en = link.map(|l| format!("Your own feedback link (for you only): {l}")).unwrap_or_default();
    let (subject, body, sms) = match (kind, english) {
        (MessageKind::Assigned, false) => (
            format!("新交办建议 {number}：{title}"),
            format!(
                "建议 {number}《{title}》已交办{}主办，承办人 {}，请于 {} 前答复代表。",
                g("lead"),
                g("handler"),
                g("deadline")
            ),
            vec![
                fixed(format!("建议{number}《")),
                title_part,
                fixed(format!("》已交办{}主办，请于{}前答复代表。", g("lead"), g("deadline"))),
            ],
        ),
        (MessageKind::Assigned, true) => (
            format!("New suggestion assigned {number}: {title}"),
            format!(
                "Suggestion {number} \"{title}\" is assigned to {} (handler {}); answer the deputies by {}.",
                g("lead"),
                g("handler"),
                g("deadline")
            ),
            vec![
                fixed(format!("Suggestion {number} \"")),
                title_part,
                fixed(format!("\" assigned to {}; answer by {}.", g("lead"), g("deadline"))),
            ],
        ),
        (MessageKind::Answered, false) => (
            format!("您的建议 {number} 已答复"),
            format!(
                "您领衔或联名提出的建议 {number}《{title}》已答复（办理结果 {} 类），请于 {} 前对答复进行评价。{link_zh}",
                g("class_zh"),
                g("feedback_due")
            ),
            vec![
                fixed("您的建议《".into()),
                title_part,
                fixed(format!("》已答复，请于{}前评价。{}", g("feedback_due"), link.unwrap_or_default())),
            ],
        ),
        (MessageKind::Answered, true) => (
            format!("Your suggestion {number} has been answered"),
            format!(
                "The suggestion {number} \"{title}\" you signed has been answered (class {}); please rate the answer by {}. {link_en}",
                g("class"),
                g("feedback_due")
            ),
            vec![
                fixed("Answered: \"".into()),
                title_part,
                fixed(format!("\". Rate by {}: {}", g("feedback_due"), link.unwrap_or_default())),
            ],
        ),
        (MessageKind::DueSoon, false) => (
            format!("临期提醒：建议 {number} {}", g("owed_zh")),
            format!("建议 {number}《{title}》的{}将于 {} 到期，请及时办理。", g("owed_zh"), g("due")),
            vec![
                fixed(format!("建议{number}《")),
                title_part,
                fixed(format!("》的{}将于{}到期，请及时办理。", g("owed_zh"), g("due"))),
            ],
        ),
        (MessageKind::DueSoon, true) => (
            format!("Due soon: suggestion {number}, {}", g("owed")),
            format!("The {} of suggestion {number} \"{title}\" is due on {}.", g("owed"), g("due")),
            vec![
                fixed(format!("Suggestion {number} \"")),
                title_part,
                fixed(format!("\": {} due {}.", g("owed"), g("due"))),
            ],
        ),
        (MessageKind::Overdue, false) => (
            format!("逾期提醒：建议 {number} {}", g("owed_zh")),
            format!(
                "建议 {number}《{title}》的{}已于 {} 到期，已逾期 {} 天，请尽快办理。",
                g("owed_zh"),
                g("due"),
                g("days")
            ),
            vec![
                fixed(format!("建议{number}《")),
                title_part,
                fixed(format!(
                    "》的{}已于{}到期，已逾期{}天，请尽快办理。",
                    g("owed_zh"),
                    g("due"),
                    g("days")
                )),
            ],
        ),
        (MessageKind::Overdue, true) => (
            format!("Overdue: suggestion {number}, {}", g("owed")),
            format!(
                "The {} of suggestion {number} \"{title}\" was due on {} and is {} days overdue.",
                g("owed"),
                g("due"),
                g("days")
            ),
            vec![
                fixed(format!("Suggestion {number} \"")),
                title_part,
                fixed(format!("\": {} overdue since {}.", g("owed"), g("due"))),
            ],
        ),
        (MessageKind::Escalated, false) => (
            format!("逾期督办：建议 {number}"),
            format!(
                "{}承办的建议 {number}《{title}》的{}已于 {} 到期，已逾期 {} 天，请督促办理。",
                g("department"),
                g("owed_zh"),
                g("due"),
                g("days")
            ),
            vec![
                fixed(format!("督办：{}承办的建议{number}《", g("department"))),
                title_part,
                fixed(format!("》的{}已逾期{}天。", g("owed_zh"), g("days"))),
            ],
        ),
        (MessageKind::Escalated, true) => (
            format!("Escalated: suggestion {number} is overdue"),
            format!(
                "The {} of suggestion {number} \"{title}\", handled by {}, was due on {} and is {} days overdue.",
                g("owed"),
                g("department"),
                g("due"),
                g("days")
            ),
            vec![
                fixed(format!("Escalated: suggestion {number} \"")),
                title_part,
                fixed(format!("\" ({}) {} days overdue.", g("department"), g("days"))),
            ],
        ),
        (MessageKind::ApprovalWaiting, false) => (
            format!("待审批：建议 {number} {}", g("owed_zh")),
            format!("建议 {number}《{title}》的{}待您审批，请于 {} 前处理。", g("owed_zh"), g("due")),
            vec![
                fixed(format!("建议{number}《")),
                title_part,
                fixed(format!("》的{}待您审批，请于{}前处理。", g("owed_zh"), g("due"))),
            ],
        ),
        (MessageKind::ApprovalWaiting, true) => (
            format!("Approval waiting: suggestion {number}"),
            format!(
                "The {} of suggestion {number} \"{title}\" waits for your approval by {}.",
                g("owed"),
                g("due")
            ),
            vec![
                fixed(format!("Suggestion {number} \"")),
                title_part,
                fixed(format!("\": {} waits for your approval by {}.", g("owed"), g("due"))),
            ],
        ),
        (MessageKind::FeedbackReminder, false) => (
            format!("评价提醒：建议 {number}"),
            format!("您对建议《{title}》答复的评价将于 {} 截止，请及时评价。{link_zh}", g("due")),
            vec![
                fixed("您对建议《".into()),
                title_part,
                fixed(format!("》答复的评价将于{}截止。{}", g("due"), link.unwrap_or_default())),
            ],
        ),
        (MessageKind::FeedbackReminder, true) => (
            format!("Reminder: rate the answer to suggestion {number}"),
            format!("Your rating of the answer to \"{title}\" closes on {}. {link_en}", g("due")),
            vec![
                fixed("Rate the answer to \"".into()),
                title_part,
                fixed(format!("\" by {}: {}", g("due"), link.unwrap_or_default())),
            ],
        ),
        (MessageKind::DraftInvited, false) if g("again") == "true" => (
            format!("请重新确认联名：{title}"),
            format!(
                "{}代表修改了您已确认联名的建议《{title}》（第 {} 稿），您此前的确认已撤回，请登录代表平台重新阅读后确认或谢绝。",
                g("lead"),
                g("edition")
            ),
            vec![
                fixed(format!("{}代表修改了建议《", g("lead"))),
                title_part,
                fixed("》，您的联名确认已撤回，请重新阅读后确认或谢绝。".into()),
            ],
        ),
        (MessageKind::DraftInvited, false) => (
            format!("联名邀请：{title}"),
            format!("{}代表邀请您联名提出建议《{title}》，请登录代表平台阅读后确认或谢绝。", g("lead")),
            vec![
                fixed(format!("{}代表邀请您联名提出建议《", g("lead"))),
                title_part,
                fixed("》，请登录代表平台确认或谢绝。".into()),
            ],
        ),
        (MessageKind::DraftInvited, true) if g("again") == "true" => (
            format!("Please confirm again: {title}"),
            format!(
                "{} edited the suggestion \"{title}\" you had co-signed (edition {}); your confirmation is withdrawn. Please read it again and confirm or decline.",
                g("lead"),
                g("edition")
            ),
            vec![
                fixed(format!("{} edited \"", g("lead"))),
                title_part,
                fixed("\": your confirmation is withdrawn; please read it again.".into()),
            ],
        ),
        (MessageKind::DraftInvited, true) => (
            format!("Invitation to co-sign: {title}"),
            format!(
                "{} invites you to co-sign the suggestion \"{title}\". Please read it in the deputies' portal and confirm or decline.",
                g("lead")
            ),
            vec![
                fixed(format!("{} invites you to co-sign \"", g("lead"))),
                title_part,
                fixed("\". Confirm or decline in the portal.".into()),
            ],
        ),
        (MessageKind::DraftAnswered, false) => (
            format!("联名邀请已全部答复：{title}"),
            format!(
                "您领衔的建议《{title}》的联名邀请已全部答复（{} 名代表确认，{} 名谢绝），可以提交。",
                g("confirmed"),
                g("declined")
            ),
            vec![
                fixed("您领衔的建议《".into()),
                title_part,
                fixed(format!("》的联名邀请已全部答复（{}人确认），可以提交。", g("confirmed"))),
            ],
        ),
        (MessageKind::DraftAnswered, true) => (
            format!("Every co-signer has answered: {title}"),
            format!(
                "Every deputy invited to co-sign \"{title}\" has answered ({} confirmed, {} declined): you may submit it.",
                g("confirmed"),
                g("declined")
            ),
            vec![
                fixed("All co-signers answered \"".into()),
                title_part,
                fixed(format!("\" ({} confirmed): you may submit it.", g("confirmed"))),
            ],
        ),
        // The code is the `link` slot's secret: given only by the sender, so a stored text never holds it.
        (MessageKind::LoginCode, false) => {
            let text = match link {
                Some(code) => format!(
                    "您的登录验证码为{code}，{}分钟内有效。请勿告诉他人，工作人员不会向您索要验证码。",
                    g("minutes")
                ),
                None => "登录验证码短信（验证码只在发送时填入，此处不显示）".to_owned(),
            };
            ("登录验证码".to_owned(), text.clone(), vec![fixed(text)])
        }
        (MessageKind::LoginCode, true) => {
            let text = match link {
                Some(code) => format!(
                    "Your login code is {code}, valid for {} minutes. Tell no one: staff never ask for it.",
                    g("minutes")
                ),
                None => "Login code SMS (the code is filled in only when sent, never shown here)".to_owned(),
            };
            ("Login code".to_owned(), text.clone(), vec![fixed(text)])
        }
        (kind, english) => deputy::render(kind, english, p, link),
    };
    Rendered { subject, body: body.trim_end().to_owned(), sms }
}

#[cfg(test)]
mod tests {
    use liaison_core::message::sms::{fit, segments};
    use serde_json::json;

    use super::*;

    fn params() -> Value {
        json!({
            "number": "2026-0001", "title": "关于在全市各乡镇设立未成年人检察工作联络点并定期开展法治宣传教育活动的建议",
            "lead": "第一检察部", "handler": "张三", "deadline": "2026-06-02", "class": "A", "class_zh": "A",
            "feedback_due": "2026-07-01", "owed": "answer", "owed_zh": "答复", "due": "2026-06-02", "days": 3,
            "department": "第一检察部", "content": "本院拟于下月开展公益诉讼专项监督活动，现将有关情况通报如下。",
            "sender": "某市人民检察院", "sent_on": "2026-05-06", "open_until": "2026-06-30",
            "official": "检察长 王五", "from": "2026-05-08 09:00", "to": "2026-05-08 10:00", "place": "本院第一会议室（检察服务中心三楼东侧）",
            "topic": "反映辖区企业涉案情况", "reason": "检察长当日另有公务安排无法接待", "alternative": "由分管副检察长于同日接待",
            "on": "2026-05-20", "answer_by": "2026-05-19", "path": "/deputy/activities", "deputy": "欧阳明",
            "free": 1, "seats": 20,
        })
    }

    #[test]
    fn every_kind_has_both_languages_and_its_sms_keeps_within_two_segments() {
        // As long as a real one: a 21-character address, an id of 16 hex digits, a secret of 48.
        let link = format!("https://lx.example.cn/feedback/{}.{}", "a".repeat(16), "b".repeat(48));
        let link = link.as_str();
        for kind in MessageKind::ALL {
            for english in [false, true] {
                // A login code takes the code in the link's slot: it is in the text, and no link is.
                let code = kind == MessageKind::LoginCode;
                let r = render(kind, english, &params(), Some(if code { "123456" } else { link }));
                assert!(!r.subject.is_empty() && !r.body.is_empty(), "{kind:?}");
                assert!(!r.body.contains("{") && !r.subject.contains("{"), "{kind:?}: {}", r.body);
                assert_eq!(
                    r.subject.chars().next().is_some_and(|c| c.is_ascii()),
                    english,
                    "{kind:?}: {}",
                    r.subject
                );
                let sms = fit(&r.sms, 2).unwrap();
                assert!(segments(&sms) <= 2, "{kind:?} {english}: {sms}");
                if code {
                    assert!(sms.contains("123456") && r.body.contains("123456"), "{kind:?}: {sms}");
                    assert!(!render(kind, english, &params(), None).body.contains("123456"));
                } else if kind.carries_link() {
                    assert!(sms.ends_with(link) && r.body.contains(link), "{kind:?}: {sms}");
                } else {
                    assert!(!sms.contains(link) && !r.body.contains(link), "{kind:?}: {sms}");
                }
            }
        }
    }

    /// A co-signer asked again after an edit is told their confirmation was withdrawn, within two SMS
    /// segments however long the title; a first invitation says who invites.
    #[test]
    fn a_draft_invitation_says_who_invites_and_an_edit_asks_again() {
        let mut p = params();
        p["lead"] = json!("王芳");
        p["edition"] = json!(2);
        let first = render(MessageKind::DraftInvited, false, &p, None);
        assert!(first.body.starts_with("王芳代表邀请您联名提出建议《"), "{}", first.body);
        p["again"] = json!(true);
        for english in [false, true] {
            let again = render(MessageKind::DraftInvited, english, &p, None);
            let word = if english { "withdrawn" } else { "已撤回" };
            assert!(again.body.contains(word) && again.body.contains('2'), "{}", again.body);
            assert!(segments(&fit(&again.sms, 2).unwrap()) <= 2);
        }
    }

    #[test]
    fn a_short_assignment_sms_fits_one_segment_as_written() {
        let mut p = params();
        p["title"] = json!("关于加强未成年人检察工作的建议");
        let sms = fit(&render(MessageKind::Assigned, false, &p, None).sms, 1).unwrap();
        assert_eq!(
            sms,
            "建议2026-0001《关于加强未成年人检察工作的建议》已交办第一检察部主办，请于2026-06-02前答复代表。"
        );
        assert_eq!(segments(&sms), 1);
    }
}
