//! The texts of the messages that tell a deputy of a notice, a published answer to judge, the outcome of an
//! appointment request and the result of an activity's draw (issue 17, items 3–5), and the liaison office of a
//! participant's decline, in Chinese and English.
//! The titles, reasons and alternatives are the shortenable parts of an SMS; names, times, places, dates
//! and links are fixed.

use liaison_core::message::MessageKind;
use liaison_core::message::sms::SmsPart;
use serde_json::Value;

use super::param;

/// Subject, body and SMS parts of a deputy's message (a kind rendered elsewhere gets its name alone).
pub(super) fn render(
    kind: MessageKind,
    english: bool,
    p: &Value,
    link: Option<&str>,
) -> (String, String, Vec<SmsPart>) {
    let g = |k: &str| param(p, k);
    let fixed = |s: String| SmsPart::Fixed(s);
    let cut = |k: &str| SmsPart::Shortenable(g(k));
    let link = link.unwrap_or_default();
    let (title, number) = (g("title"), g("number"));
    match (kind, english) {
        (MessageKind::NoticeSent, false) => (
            format!("重大事项通报：{title}"),
            format!(
                "{}向您通报重大事项《{title}》（{}）：\n{}\n{}",
                g("sender"),
                g("sent_on"),
                g("content"),
                if link.is_empty() {
                    String::new()
                } else {
                    format!("请点击确认已知悉（仅限本人使用）：{link}")
                }
            ),
            vec![
                fixed("【重大事项通报】《".into()),
                cut("title"),
                fixed(format!("》，请点击确认知悉：{link}")),
            ],
        ),
        (MessageKind::NoticeSent, true) => (
            format!("Notice of a major matter: {title}"),
            format!(
                "{} notifies you of a major matter, \"{title}\" ({}):\n{}\n{}",
                g("sender"),
                g("sent_on"),
                g("content"),
                if link.is_empty() {
                    String::new()
                } else {
                    format!("Please acknowledge it (for you only): {link}")
                }
            ),
            vec![fixed("Notice: \"".into()), cut("title"), fixed(format!("\". Acknowledge: {link}"))],
        ),
        (MessageKind::BodyRating, false) => (
            format!("公开答复评议：建议 {number}"),
            format!(
                "建议 {number}《{title}》的答复已向代表公开，欢迎您于 {} 前评议。{}",
                g("open_until"),
                if link.is_empty() {
                    String::new()
                } else {
                    format!("评议链接（仅限本人使用）：{link}")
                }
            ),
            vec![
                fixed("建议《".into()),
                cut("title"),
                fixed(format!("》的答复已公开，请于{}前评议：{link}", g("open_until"))),
            ],
        ),
        (MessageKind::BodyRating, true) => (
            format!("A published answer to judge: suggestion {number}"),
            format!(
                "The answer to suggestion {number} \"{title}\" is published to the deputies; you may rate it by {}. {}",
                g("open_until"),
                if link.is_empty() { String::new() } else { format!("Your own link (for you only): {link}") }
            ),
            vec![fixed("Judge \"".into()), cut("title"), fixed(format!("\" by {}: {link}", g("open_until")))],
        ),
        (MessageKind::AppointmentScheduled | MessageKind::AppointmentRescheduled, false) => {
            let word = if kind == MessageKind::AppointmentScheduled { "已安排" } else { "已改期" };
            (
                format!("约见{word}：{}", g("official")),
                format!(
                    "您约见{}的请求{word}：{} 至 {}，地点 {}。事由：{}",
                    g("official"),
                    g("from"),
                    g("to"),
                    g("place"),
                    g("topic")
                ),
                vec![
                    fixed(format!("您约见{}{word}：{}至{}，地点", g("official"), g("from"), g("to"))),
                    cut("place"),
                    fixed("。".into()),
                ],
            )
        }
        (MessageKind::AppointmentScheduled | MessageKind::AppointmentRescheduled, true) => {
            let word = if kind == MessageKind::AppointmentScheduled { "is set" } else { "has moved" };
            (
                format!("Your meeting with {} {word}", g("official")),
                format!(
                    "Your meeting with {} {word}: {} to {}, at {}. Topic: {}",
                    g("official"),
                    g("from"),
                    g("to"),
                    g("place"),
                    g("topic")
                ),
                vec![
                    fixed(format!(
                        "Meeting with {} {word}: {} to {}, at ",
                        g("official"),
                        g("from"),
                        g("to")
                    )),
                    cut("place"),
                    fixed(".".into()),
                ],
            )
        }
        (MessageKind::AppointmentDeclined, false) => (
            format!("约见未能安排：{}", g("official")),
            format!(
                "您约见{}的请求未能安排。原因：{}。另行安排：{}",
                g("official"),
                g("reason"),
                g("alternative")
            ),
            vec![
                fixed(format!("您约见{}未能安排。原因：", g("official"))),
                cut("reason"),
                fixed("；另行安排：".into()),
                cut("alternative"),
            ],
        ),
        (MessageKind::AppointmentDeclined, true) => (
            format!("Your meeting with {} cannot be arranged", g("official")),
            format!(
                "Your request to meet {} cannot be arranged. Reason: {}. Offered instead: {}",
                g("official"),
                g("reason"),
                g("alternative")
            ),
            vec![
                fixed(format!("Meeting with {} declined: ", g("official"))),
                cut("reason"),
                fixed(". Instead: ".into()),
                cut("alternative"),
            ],
        ),
        (MessageKind::ActivityDrawn | MessageKind::ActivityRotation, false) => {
            let how = if kind == MessageKind::ActivityDrawn {
                "经抽签，您被选中参加"
            } else {
                "按轮流顺序，您被选定参加"
            };
            (
                format!("活动邀请：{title}"),
                format!(
                    "{how}《{title}》，时间 {}，地点 {}。请于 {} 前登录代表服务平台（{}）确认是否参加；不能参加的，请说明原因。",
                    g("on"),
                    g("place"),
                    g("answer_by"),
                    g("path")
                ),
                vec![
                    fixed(format!("{how}《")),
                    cut("title"),
                    fixed(format!("》，{}，地点", g("on"))),
                    cut("place"),
                    fixed(format!("。请于{}前在代表服务平台{}确认。", g("answer_by"), g("path"))),
                ],
            )
        }
        (MessageKind::ActivityDrawn | MessageKind::ActivityRotation, true) => {
            let how = if kind == MessageKind::ActivityDrawn { "drawn by lot" } else { "chosen in rotation" };
            (
                format!("Invitation: {title}"),
                format!(
                    "You were {how} to take part in \"{title}\" on {} at {}. Please confirm or decline (with a reason) on the deputies' portal ({}) by {}.",
                    g("on"),
                    g("place"),
                    g("path"),
                    g("answer_by")
                ),
                vec![
                    fixed(format!("You were {how} for \"")),
                    cut("title"),
                    fixed(format!("\", {}, at ", g("on"))),
                    cut("place"),
                    fixed(format!(". Confirm by {} at {}.", g("answer_by"), g("path"))),
                ],
            )
        }
        (MessageKind::ActivityDeclined, false) => (
            format!("活动谢绝：{title}"),
            format!(
                "{}答复不能参加《{title}》（{}），原因：{}。该席位现空缺（共 {} 席，空缺 {} 席），请在活动页面查看并决定如何处理。",
                g("deputy"),
                g("on"),
                g("reason"),
                g("seats"),
                g("free")
            ),
            vec![
                fixed(format!("{}不能参加《", g("deputy"))),
                cut("title"),
                fixed(format!("》（{}），原因：", g("on"))),
                cut("reason"),
                fixed(format!("。空缺{}席。", g("free"))),
            ],
        ),
        (MessageKind::ActivityDeclined, true) => (
            format!("Declined: {title}"),
            format!(
                "{} declined \"{title}\" ({}). Reason: {}. The seat is free ({} of {} seats free): see the activity's page.",
                g("deputy"),
                g("on"),
                g("reason"),
                g("free"),
                g("seats")
            ),
            vec![
                fixed(format!("{} declined \"", g("deputy"))),
                cut("title"),
                fixed(format!("\" ({}): ", g("on"))),
                cut("reason"),
                fixed(format!(". {} seat(s) free.", g("free"))),
            ],
        ),
        (MessageKind::SuggestionTransferred, false) => (
            format!("建议转办：{title}"),
            format!(
                "您领衔或联名提出的建议《{title}》（{number}）经审查属{}管辖，已于{}转该院办理，原因：{}。\n{}\n该院将按规定与您联系并答复，办理情况可在代表平台查看。",
                g("to"),
                g("on"),
                g("reason"),
                g("notice")
            ),
            vec![
                fixed("【建议转办】《".into()),
                cut("title"),
                fixed(format!("》已转{}办理：", g("to"))),
                cut("notice"),
            ],
        ),
        (MessageKind::SuggestionTransferred, true) => (
            format!("Suggestion transferred: {title}"),
            format!(
                "Your suggestion \"{title}\" ({number}) belongs to {} and was transferred there on {}. Reason: {}.\n{}\nThey will contact you and answer; you can follow it on the deputies' platform.",
                g("to"),
                g("on"),
                g("reason"),
                g("notice")
            ),
            vec![
                fixed("Suggestion \"".into()),
                cut("title"),
                fixed(format!("\" transferred to {}: ", g("to"))),
                cut("notice"),
            ],
        ),
        (MessageKind::ActivityNotDrawn, false) => (
            format!("抽签结果：{title}"),
            format!(
                "《{title}》（{}）的参加代表已抽签产生，本次您未被抽中。抽签记录可供核验，未抽中的代表在今后的抽签中优先。",
                g("on")
            ),
            vec![
                fixed("《".into()),
                cut("title"),
                fixed(format!("》（{}）已抽签，本次您未被抽中，今后抽签优先。", g("on"))),
            ],
        ),
        (MessageKind::ActivityNotDrawn, true) => (
            format!("Draw result: {title}"),
            format!(
                "The deputies for \"{title}\" ({}) have been drawn by lot; you were not drawn this time. The draw can be verified, and those not drawn come first in later draws.",
                g("on")
            ),
            vec![
                fixed("Draw for \"".into()),
                cut("title"),
                fixed(format!("\" ({}): not drawn this time.", g("on"))),
            ],
        ),
        _ => (kind.zh().to_owned(), kind.zh().to_owned(), vec![fixed(kind.zh().to_owned())]),
    }
}
