//! Tables and CSV for the lists of the rules' and the channels' records.

use liaison_app::SupervisorAppointment;
use liaison_core::activity::Activity;
use liaison_core::appointment::Appointment;
use liaison_core::channels::{HotlineCall, LiaisonCard, Service, Solicitation};
use liaison_core::review::Review;

use super::Tabular;

fn day(d: &chrono::NaiveDate) -> String {
    d.to_string()
}

impl Tabular for HotlineCall {
    fn headers() -> Vec<&'static str> {
        vec!["id", "时间", "来电人", "代表", "事由", "去向", "形成记录"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.at.format("%Y-%m-%d %H:%M").to_string(),
            self.caller.to_string(),
            self.deputy.as_ref().map(|d| d.name.to_string()).unwrap_or_default(),
            self.topic.to_string(),
            self.routed_to.zh().into(),
            self.reference.as_deref().map(super::labels::reference).unwrap_or_default(),
        ]
    }
}

impl Tabular for LiaisonCard {
    fn headers() -> Vec<&'static str> {
        vec!["编号", "代表", "联络人", "电话", "发放日期", "收回"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.number.clone(),
            self.deputy.name.to_string(),
            self.officer.to_string(),
            self.telephone.to_string(),
            day(&self.issued_on),
            self.revoked.as_ref().map(|(d, why)| format!("{d} {why}")).unwrap_or_default(),
        ]
    }
}

impl Tabular for Service {
    fn headers() -> Vec<&'static str> {
        vec!["id", "代表", "类别", "内容", "开始", "结果", "送达次数"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.deputy.name.to_string(),
            self.kind.zh().into(),
            self.description.to_string(),
            day(&self.opened_on),
            self.resolved.as_ref().map(|(d, r)| format!("{d} {r}")).unwrap_or_default(),
            self.deliveries.len().to_string(),
        ]
    }
}

impl Tabular for Solicitation {
    fn headers() -> Vec<&'static str> {
        vec!["id", "标题", "方式", "发出日期", "对象人数", "回复数", "转为建议或措施"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.title.to_string(),
            if self.by_forum { "座谈会" } else { "书面" }.into(),
            day(&self.sent_on),
            self.recipients.len().to_string(),
            self.responses.len().to_string(),
            self.responses.iter().filter(|r| r.2.is_some()).count().to_string(),
        ]
    }
}

impl Tabular for SupervisorAppointment {
    fn headers() -> Vec<&'static str> {
        vec!["id", "姓名", "类别", "任期起", "任期止", "提前结束"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.name.clone(),
            self.kind.zh().into(),
            day(&self.from),
            day(&self.to),
            self.ended.as_ref().map(|(d, why)| format!("{d} {why}")).unwrap_or_default(),
        ]
    }
}

impl Tabular for Appointment {
    fn headers() -> Vec<&'static str> {
        vec!["id", "代表", "约见对象", "渠道", "事由", "状态", "答复期限", "约见期限", "安排", "逾期安排原因"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.deputy.name.to_string(),
            self.official.to_string(),
            self.channel.zh().into(),
            self.topic.to_string(),
            self.status.zh().into(),
            day(&self.acknowledge_by),
            day(&self.meet_by),
            self.scheduled
                .as_ref()
                .map(|(from, to, place)| {
                    format!("{} – {} {place}", from.format("%Y-%m-%d %H:%M"), to.format("%H:%M"))
                })
                .unwrap_or_default(),
            match (&self.late_reason, self.late) {
                (Some(why), true) => format!("逾期：{why}"),
                _ => String::new(),
            },
        ]
    }
}

impl Tabular for Activity {
    fn headers() -> Vec<&'static str> {
        vec!["id", "类别", "名称", "日期", "地点", "名额", "状态", "参加", "出席"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.kind.zh().into(),
            self.title.to_string(),
            day(&self.on),
            self.place.to_string(),
            self.seats.to_string(),
            self.status.zh().into(),
            self.participants.len().to_string(),
            self.attended.len().to_string(),
        ]
    }
}

impl Tabular for Review {
    fn headers() -> Vec<&'static str> {
        vec!["id", "案件", "类别", "登记日期", "状态", "参加人数", "已表决"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.case_ref.to_string(),
            self.kind.zh().into(),
            day(&self.opened_on),
            self.status.zh().into(),
            self.participants.len().to_string(),
            self.votes.len().to_string(),
        ]
    }
}

impl Tabular for liaison_app::InspectionView {
    fn headers() -> Vec<&'static str> {
        vec!["id", "类别", "名称", "组织方文号", "起", "止", "状态", "整改项", "未完成"]
    }
    fn row(&self) -> Vec<String> {
        let i = &self.inspection;
        vec![
            i.id.to_string(),
            i.kind.zh().into(),
            i.title.to_string(),
            i.organiser_ref.to_string(),
            day(&i.from),
            day(&i.to),
            i.status.zh().into(),
            i.rectifications.len().to_string(),
            i.rectifications.iter().filter(|r| r.done.is_none()).count().to_string(),
        ]
    }
}

impl Tabular for liaison_app::DeadlineChange {
    fn headers() -> Vec<&'static str> {
        vec!["编号", "标题", "原期限", "新期限"]
    }
    fn row(&self) -> Vec<String> {
        vec![self.number.clone().unwrap_or_default(), self.title.clone(), day(&self.from), day(&self.to)]
    }
}
