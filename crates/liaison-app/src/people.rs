//! People as shown to a person (issue 11, item 18): a record keeps deputies by id; a view that names them
//! carries their labels — name, level and region — so that every table, page and CSV shows people by name,
//! never by a bare id.

use std::collections::BTreeMap;

use liaison_core::ids::DeputyId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{App, AppError, Principal};

/// A deputy as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PersonLabel {
    /// Name.
    pub name: String,
    /// Level (code).
    pub level: String,
    /// Level in Chinese.
    pub level_zh: String,
    /// Region.
    pub region: String,
}

impl PersonLabel {
    /// `姓名（县级，鼓楼区）`.
    pub fn display(&self) -> String {
        format!("{}（{}，{}）", self.name, self.level_zh, self.region)
    }
}

/// The labels of deputies by id (as text, the form the records show them in).
pub type People = BTreeMap<String, PersonLabel>;

/// The label of an id in `people`, or the id itself when the register does not know it (a removed record).
pub fn shown(people: &People, id: &str) -> String {
    people.get(id).map_or_else(|| id.to_owned(), PersonLabel::display)
}

impl App {
    /// The labels of these deputies (ids the register does not know are left out).
    pub(crate) fn people(
        &self,
        p: &Principal,
        ids: impl IntoIterator<Item = DeputyId>,
    ) -> Result<People, AppError> {
        let ids: Vec<DeputyId> = ids.into_iter().collect();
        let mut out = People::new();
        self.read(|q| {
            for id in &ids {
                if let Some(d) = q.deputy_summary(&p.tenant, *id)? {
                    out.insert(
                        id.to_string(),
                        PersonLabel {
                            name: d.name.clone(),
                            level: d.level.code().to_owned(),
                            level_zh: d.level.zh().to_owned(),
                            region: d.region.clone(),
                        },
                    );
                }
            }
            Ok::<_, liaison_store::StoreError>(())
        })?;
        Ok(out)
    }
}
