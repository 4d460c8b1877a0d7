//! `liaison message`: the delivery list, a retry of a failed message (audited with its reason), and one
//! round of delivery now (issue 17).

use liaison_app::{App, Channels, MessageFilter, MessageView, Principal};
use liaison_core::message::RetryPolicy;

use crate::args::MessageCmd;
use crate::output::{self, Format, Tabular};

pub(crate) fn run(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &MessageCmd,
) -> anyhow::Result<()> {
    match cmd {
        MessageCmd::List { failed, state, item, limit } => {
            let state = if *failed { Some("failed".to_owned()) } else { state.clone() };
            let f = MessageFilter { state, item: item.clone(), before: None, limit: *limit };
            let list = app.messages(p, &f)?;
            if fmt == Format::Table && list.is_empty() {
                println!("{}", if output::english() { "No messages." } else { "没有消息。" });
                return Ok(());
            }
            output::list(fmt, &list)
        }
        MessageCmd::Retry { id, reason } => {
            let v = rt.block_on(app.retry_message(p, id, None, Some(reason.clone())))?;
            if fmt == Format::Table {
                println!("消息 {} 已重新排队，将尽快发送 (queued again)。", v.id);
                return Ok(());
            }
            output::object(fmt, &v)
        }
        MessageCmd::Deliver { attempts } => {
            let app = app
                .clone()
                .with_retry_policy(RetryPolicy { max_attempts: *attempts, ..RetryPolicy::default() });
            let queued = rt.block_on(app.sweep_reminders())?;
            if queued > 0 {
                println!("已排队提醒 {queued} 条 (reminders queued)。");
            }
            let r = rt.block_on(app.deliver_due(&Channels::standard(&app), BATCH))?;
            println!(
                "本轮取出 {} 条：送达 {}，稍后重试 {}，发送失败 {} (claimed {}, delivered {}, retrying {}, failed {})。",
                r.claimed, r.delivered, r.retrying, r.failed, r.claimed, r.delivered, r.retrying, r.failed
            );
            Ok(())
        }
        MessageCmd::Contact { subject, prefer, opt_out, email } => {
            let input =
                liaison_app::ContactInput { prefer: prefer.clone(), opt_out: *opt_out, email: email.clone() };
            let v = if prefer.is_none() && opt_out.is_none() && email.is_none() {
                app.contact(p, subject)?
            } else {
                rt.block_on(app.set_contact(p, subject, None, &input))?
            };
            if fmt == Format::Table {
                println!(
                    "{subject}：{}，{}{}",
                    v.prefer,
                    if v.opt_out { "已退订非法定消息" } else { "接收全部消息" },
                    v.email.map(|e| format!("，电子邮箱 {e}")).unwrap_or_default()
                );
                return Ok(());
            }
            output::object(fmt, &v)
        }
    }
}

/// As many as the service's worker takes per round.
const BATCH: u32 = 100;

fn kind_label(kind: &str, en: bool) -> String {
    match (liaison_core::message::MessageKind::parse(kind), en) {
        (Some(k), false) => k.zh().into(),
        _ => kind.replace(['.', '_'], " "),
    }
}

fn channel_label(channel: &str, en: bool) -> String {
    match (channel, en) {
        ("inbox", false) => "站内消息".into(),
        ("inbox", true) => "in-app inbox".into(),
        ("email", false) => "电子邮件".into(),
        ("email", true) => "e-mail".into(),
        ("sms", false) => "短信".into(),
        (c, _) => c.into(),
    }
}

fn time(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map(|t| liaison_core::dates::china_time(t).format("%Y-%m-%d %H:%M:%S").to_string()).unwrap_or_default()
}

impl Tabular for MessageView {
    fn headers() -> Vec<&'static str> {
        vec!["id", "类型", "渠道", "收件人", "事项", "状态", "尝试次数", "下次尝试", "最近错误", "创建时间"]
    }
    fn row(&self) -> Vec<String> {
        let en = output::english();
        let recipient = match (&self.recipient_name, self.recipient_kind.as_str(), en) {
            (Some(n), _, _) => n.clone(),
            (None, "deputy", false) => "代表".into(),
            (None, "deputy", true) => "a deputy".into(),
            (None, _, false) => "账户".into(),
            (None, _, true) => "an account".into(),
        };
        vec![
            self.id.clone(),
            kind_label(&self.kind, en),
            channel_label(&self.channel, en),
            recipient,
            self.item.clone(),
            if en { self.state.clone() } else { self.state_zh.clone() },
            self.attempts.to_string(),
            time(self.next_attempt_at),
            self.last_error.clone().unwrap_or_default(),
            time(Some(self.created_at)),
        ]
    }
}
