//! One record shown to a person: a notice, an activity or a case review, with the people in it by name,
//! level and region (never a bare id), in the chosen language's headers; `--format json` gives the view.

use liaison_app::{ActivityView, NoticeView, ReviewView, shown};

use super::{Format, csv_out, headers, object, table};

const PERSON: [&str; 3] = ["姓名", "层级", "区域"];

fn person(people: &liaison_app::People, id: &str) -> [String; 3] {
    match people.get(id) {
        Some(p) => [p.name.clone(), p.level_zh.clone(), p.region.clone()],
        None => [id.to_owned(), String::new(), String::new()],
    }
}

fn yes(b: bool) -> String {
    if b { "是".into() } else { String::new() }
}

/// Rows of people with more columns: a table, or CSV of the same.
fn people_table(format: Format, extra: &[&'static str], rows: Vec<Vec<String>>) -> anyhow::Result<()> {
    let head: Vec<&'static str> = PERSON.iter().chain(extra).copied().collect();
    if format == Format::Csv {
        return csv_out(&head, rows);
    }
    let mut t = table();
    t.set_header(headers(&head));
    for r in rows {
        t.add_row(r);
    }
    println!("{t}");
    Ok(())
}

/// A notice and its recipients.
pub(crate) fn notice(format: Format, v: &NoticeView) -> anyhow::Result<()> {
    if matches!(format, Format::Json | Format::Id) {
        return object(format, v);
    }
    let n = &v.notice;
    let rows = n
        .recipients
        .iter()
        .map(|(id, d)| {
            let [name, level, region] = person(&v.people, &id.to_string());
            let delivered = match d.delivered {
                Some(true) => "已送达".to_owned(),
                Some(false) => "未送达".to_owned(),
                None => String::new(),
            };
            // The outbox's messages to the deputy about this notice (issue 17 item 2).
            let messages = v
                .deliveries
                .iter()
                .find(|r| r.deputy == id.to_string())
                .map(|r| {
                    r.messages
                        .iter()
                        .map(|m| match &m.error {
                            Some(e) => format!("{} {}（{e}）", m.channel_zh, m.state_zh),
                            None => format!("{} {}", m.channel_zh, m.state_zh),
                        })
                        .collect::<Vec<_>>()
                        .join("；")
                })
                .unwrap_or_default();
            vec![
                name,
                level,
                region,
                messages,
                delivered,
                d.acknowledged_on.map(|x| x.to_string()).unwrap_or_default(),
                d.response.as_ref().map(|(t, _)| t.to_string()).unwrap_or_default(),
                d.note.as_ref().map(ToString::to_string).unwrap_or_default(),
            ]
        })
        .collect();
    if format == Format::Table {
        println!("通报：{}（{}，{}）", n.title, v.status_zh, n.channel.zh());
        if let Some(on) = n.sent_on {
            println!(
                "{on} 发出：{} 位代表，已送达 {}，未送达 {}，已回执 {}，已回复 {}",
                v.recipients, v.delivered, v.failed, v.acknowledged, v.responded
            );
        }
    }
    people_table(format, &["消息", "登记送达", "回执", "回复", "备注"], rows)
}

/// An activity, its draw and its participants.
pub(crate) fn activity(format: Format, v: &ActivityView) -> anyhow::Result<()> {
    if matches!(format, Format::Json | Format::Id) {
        return object(format, v);
    }
    let a = &v.activity;
    if format == Format::Table {
        println!(
            "活动：{}（{}，{}，{}）{}，名额 {}",
            a.title,
            a.kind.zh(),
            a.on,
            a.place,
            a.status.zh(),
            a.seats
        );
        if let Some(r) = &a.replan {
            match &r.approval {
                Some(ap) => println!(
                    "重新安排（同日同类活动 {} 已公布抽签承诺）：{} 于 {} 批准，理由：{}",
                    r.of, ap.by, ap.on, ap.reason
                ),
                None => {
                    println!("重新安排（同日同类活动 {} 已公布抽签承诺）：待院领导批准，批准前不能抽签", r.of)
                }
            }
        }
        if let Some(d) = &a.draw {
            println!("抽签池指纹：{}", d.fingerprint);
            for i in &v.inclusion {
                let pct = (i.numerator * 1000 + i.denominator / 2) / i.denominator.max(1);
                println!(
                    "  {}：{} 人，每人入选概率 {}/{}（{}.{}%）",
                    stratum_zh(&i.stratum),
                    i.candidates,
                    i.numerator,
                    i.denominator,
                    pct / 10,
                    pct % 10
                );
            }
        }
        if let Some(why) = &a.cancelled {
            println!("已取消：{why}");
        }
    }
    let rows = a
        .participants
        .iter()
        .map(|id| {
            let [name, level, region] = person(&v.people, &id.to_string());
            vec![name, level, region, yes(a.attended.contains(id))]
        })
        .collect();
    people_table(format, &["出席"], rows)
}

/// A stratum's name for a person: `county/chosen0` → `县级（此前未被抽中）`.
pub(crate) fn stratum_zh(name: &str) -> String {
    let (level, rest) = name.split_once('/').unwrap_or((name, ""));
    let level = liaison_core::registry::DeputyLevel::ALL
        .iter()
        .find(|l| l.code() == level)
        .map_or_else(|| level.to_owned(), |l| l.zh().to_owned());
    match rest.strip_prefix("chosen").and_then(|n| n.parse::<u32>().ok()) {
        Some(0) => format!("{level}（此前未被抽中）"),
        Some(n) => format!("{level}（此前被抽中 {n} 次）"),
        None if rest.is_empty() => level,
        None => format!("{level}（{rest}）"),
    }
}

/// A case review: recusals, participants with their votes, replacements after the draw.
pub(crate) fn review(format: Format, v: &ReviewView) -> anyhow::Result<()> {
    if matches!(format, Format::Json | Format::Id) {
        return object(format, v);
    }
    let r = &v.review;
    if format == Format::Table {
        println!("评议：{}（{}）{}", r.case_ref, r.kind.zh(), r.status.zh());
        if let Some(rp) = &r.replan {
            match &rp.approval {
                Some(ap) => {
                    println!("重新安排（原评议 {}）：{} 于 {} 批准，理由：{}", rp.of, ap.by, ap.on, ap.reason)
                }
                None => println!("重新安排（原评议 {}）：待院领导批准，批准前不能抽签", rp.of),
            }
        }
        for (id, why) in &r.recusals {
            println!("回避：{}，{why}", shown(&v.people, &id.to_string()));
        }
        for x in r.draw.iter().flat_map(|d| &d.replacements) {
            println!(
                "抽选后回避：{}（{}），由 {} 替补",
                shown(&v.people, &x.out),
                x.reason,
                shown(&v.people, &x.replacement)
            );
        }
        if let Some((agree, text)) = &r.chief {
            println!("检察长决定（{}）：{text}", if *agree { "同意拟处理意见" } else { "不同意拟处理意见" });
        }
    }
    let rows = r
        .participants
        .iter()
        .map(|id| {
            let [name, level, region] = person(&v.people, &id.to_string());
            let (vote, opinion) = match r.votes.get(id) {
                Some(x) => ((if x.agree { "同意" } else { "不同意" }).to_owned(), x.opinion.to_string()),
                None => (String::new(), String::new()),
            };
            vec![name, level, region, vote, opinion]
        })
        .collect();
    people_table(format, &["表决", "意见"], rows)
}
