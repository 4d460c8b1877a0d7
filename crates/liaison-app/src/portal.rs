//! What the deputy's portal (issue 17, item 7) reads that no other use case gives a deputy: who the
//! deputy's own liaison officer and department are, and the hotline. The rest of the portal is the
//! existing use cases, which already narrow a deputy's account to the deputy's own items.

use liaison_core::access::Role;
use serde::{Deserialize, Serialize};

use crate::{App, AppError, Principal};

/// A deputy's contacts at the procuratorate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyLiaison {
    /// The deputy as shown: name (level, region).
    pub me: String,
    /// The responsible liaison officer, by name.
    pub officer: Option<String>,
    /// The paired department, by name.
    pub department: Option<String>,
    /// The liaison hotline (`LIAISON_HOTLINE`), when the deployment set one.
    pub hotline: Option<String>,
    /// Whom an appointment may be asked with: the leaders (title and name) and the active liaison
    /// officers, as `find_official` knows them; my officer first.
    pub officials: Vec<String>,
}

impl App {
    /// The calling deputy's liaison officer, department and the hotline: a deputy's account only.
    pub fn my_liaison(&self, p: &Principal) -> Result<MyLiaison, AppError> {
        let Some(d) = p.deputy.filter(|_| p.roles == [Role::Deputy]) else {
            return Err(AppError::Forbidden { action: "read_own_liaison" });
        };
        let (summary, org) =
            self.read(|q| Ok((q.deputy_summary(&p.tenant, d)?, q.organisation(&p.tenant)?)))?;
        let summary = summary.ok_or_else(|| AppError::NotFound { what: "deputy", id: d.to_string() })?;
        let officer = summary
            .officer
            .and_then(|o| org.officers.values().find(|x| x.id == o))
            .map(|x| x.name.to_string());
        let department = summary
            .department
            .and_then(|o| org.departments.values().find(|x| x.id == o))
            .map(|x| x.name.to_string());
        let me = format!("{}（{}，{}）", summary.name, summary.level.zh(), summary.region);
        let mut officials: Vec<String> = officer.iter().cloned().collect();
        for o in org.officers.values().filter(|o| o.active) {
            if Some(o.name.to_string()) != officer {
                officials.push(o.name.to_string());
            }
        }
        for l in org.leaders.values() {
            officials.push(l.title.as_ref().map_or_else(|| l.name.to_string(), |t| format!("{t}{}", l.name)));
        }
        let hotline = self.message_settings().hotline.clone();
        Ok(MyLiaison { me, officer, department, hotline, officials })
    }
}
