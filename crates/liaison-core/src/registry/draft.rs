//! From raw text (a CSV row, a JSON body, CLI flags) to a validated deputy draft: parse, don't validate.
//! Every field is checked and every error is reported with its field, not only the first.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::values::*;
use crate::{FieldError, ValueError};

/// A deputy as people type it: every field is text, as read from a spreadsheet or a form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeputyInput {
    /// 姓名.
    pub name: String,
    /// 性别.
    pub gender: String,
    /// 民族.
    pub ethnicity: String,
    /// 出生日期.
    pub birth_date: String,
    /// 身份证号.
    pub id_number: String,
    /// 代表层级.
    pub level: String,
    /// 届次.
    pub term: String,
    /// 代表团/选区.
    pub delegation: String,
    /// 所属区域.
    pub region: String,
    /// 工作单位.
    pub work_unit: String,
    /// 职务.
    pub position: String,
    /// 手机.
    pub mobile: String,
    /// 固定电话.
    pub landline: String,
    /// 通讯地址.
    pub address: String,
    /// 电子邮箱.
    pub email: String,
    /// 特殊身份, separated by `、`, `,`, `;` or `|`.
    pub special_roles: String,
    /// 任期开始.
    pub term_start: String,
    /// 任期结束.
    pub term_end: String,
}

/// A validated new deputy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeputyDraft {
    /// 姓名.
    pub name: PersonName,
    /// 性别.
    pub gender: Gender,
    /// 民族.
    pub ethnicity: Option<ShortText>,
    /// 出生日期.
    pub birth_date: Option<NaiveDate>,
    /// 身份证号.
    pub id_number: Option<IdNumber>,
    /// 代表层级.
    pub level: DeputyLevel,
    /// 届次.
    pub term: TermNumber,
    /// 代表团 or 选区.
    pub delegation: Option<ShortText>,
    /// 所属区域 (the region of the procuratorate's jurisdiction the deputy belongs to).
    pub region: ShortText,
    /// 工作单位.
    pub work_unit: Option<ShortText>,
    /// 职务.
    pub position: Option<ShortText>,
    /// 联系方式.
    pub contact: super::ContactCard,
    /// 特殊身份.
    pub special_roles: BTreeSet<SpecialRole>,
    /// 任期开始.
    pub term_start: NaiveDate,
    /// 任期结束 (expected).
    pub term_end: Option<NaiveDate>,
}

struct Collector(Vec<FieldError>);

impl Collector {
    fn req<T>(&mut self, field: &str, r: Result<T, ValueError>) -> Option<T> {
        r.map_err(|e| self.0.push(FieldError::new(field, &e))).ok()
    }
    fn opt<T>(&mut self, field: &str, raw: &str, parse: impl Fn(&str) -> Result<T, ValueError>) -> Option<T> {
        if raw.trim().is_empty() { None } else { self.req(field, parse(raw)) }
    }
}

fn roles(raw: &str) -> Result<BTreeSet<SpecialRole>, ValueError> {
    raw.split(['、', ',', '，', ';', '；', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(SpecialRole::parse)
        .collect()
}

impl DeputyInput {
    /// Validate every field; on failure, every field error is returned.
    pub fn parse(&self) -> Result<DeputyDraft, Vec<FieldError>> {
        let mut c = Collector(Vec::new());
        let name = c.req("name", PersonName::parse(&self.name));
        let gender = c.opt("gender", &self.gender, Gender::parse);
        let ethnicity = c.opt("ethnicity", &self.ethnicity, ShortText::parse);
        let birth_date = c.opt("birth_date", &self.birth_date, parse_date);
        let id_number = c.opt("id_number", &self.id_number, IdNumber::parse);
        let level = c.req("level", DeputyLevel::parse(&self.level));
        let term = c.req("term", TermNumber::parse(&self.term));
        let delegation = c.opt("delegation", &self.delegation, ShortText::parse);
        let region = c.req("region", ShortText::parse(&self.region));
        let work_unit = c.opt("work_unit", &self.work_unit, ShortText::parse);
        let position = c.opt("position", &self.position, ShortText::parse);
        let mobile = c.opt("mobile", &self.mobile, MobileNumber::parse);
        let landline = c.opt("landline", &self.landline, Landline::parse);
        let address = c.opt("address", &self.address, Address::parse);
        let email = c.opt("email", &self.email, Email::parse);
        let special_roles = c.opt("special_roles", &self.special_roles, roles).unwrap_or_default();
        let term_start = c.req("term_start", parse_date(&self.term_start));
        let term_end = c.opt("term_end", &self.term_end, parse_date);

        // Cross-field rules: the ID number carries the birth date and gender; a term ends after it starts.
        let gender = match (&id_number, gender) {
            (Some(id), Some(g)) if id.gender() != g => {
                c.0.push(FieldError::new("gender", &ValueError::Mismatch("id_number")));
                None
            }
            (Some(id), g) => Some(g.unwrap_or(id.gender())),
            (None, None) if self.gender.trim().is_empty() => {
                c.0.push(FieldError::new("gender", &ValueError::Required));
                None
            }
            (None, g) => g,
        };
        let birth_date = match (&id_number, birth_date) {
            (Some(id), Some(b)) if id.birth_date() != Some(b) => {
                c.0.push(FieldError::new("birth_date", &ValueError::Mismatch("id_number")));
                None
            }
            (Some(id), b) => b.or(id.birth_date()),
            (None, b) => b,
        };
        if let (Some(s), Some(e)) = (term_start, term_end)
            && e <= s
        {
            c.0.push(FieldError::new("term_end", &ValueError::NotAfter("term_start")));
        }

        match (name, gender, level, term, region, term_start) {
            (Some(name), Some(gender), Some(level), Some(term), Some(region), Some(term_start))
                if c.0.is_empty() =>
            {
                Ok(DeputyDraft {
                    name,
                    gender,
                    ethnicity,
                    birth_date,
                    id_number,
                    level,
                    term,
                    delegation,
                    region,
                    work_unit,
                    position,
                    contact: super::ContactCard { mobile, landline, address, email },
                    special_roles,
                    term_start,
                    term_end,
                })
            }
            _ => Err(c.0),
        }
    }
}

impl DeputyDraft {
    /// The fields (`region`, `mobile` …) whose values differ in `other`, in the order of an import file's
    /// columns: what an update changed, named without its values (some are personal data).
    pub fn changed_fields(&self, other: &Self) -> Vec<&'static str> {
        let (a, b) = (self, other);
        [
            ("name", a.name != b.name),
            ("gender", a.gender != b.gender),
            ("ethnicity", a.ethnicity != b.ethnicity),
            ("birth_date", a.birth_date != b.birth_date),
            ("id_number", a.id_number != b.id_number),
            ("level", a.level != b.level),
            ("term", a.term != b.term),
            ("delegation", a.delegation != b.delegation),
            ("region", a.region != b.region),
            ("work_unit", a.work_unit != b.work_unit),
            ("position", a.position != b.position),
            ("mobile", a.contact.mobile != b.contact.mobile),
            ("landline", a.contact.landline != b.contact.landline),
            ("address", a.contact.address != b.contact.address),
            ("email", a.contact.email != b.contact.email),
            ("special_roles", a.special_roles != b.special_roles),
            ("term_start", a.term_start != b.term_start),
            ("term_end", a.term_end != b.term_end),
        ]
        .into_iter()
        .filter_map(|(field, changed)| changed.then_some(field))
        .collect()
    }
}

/// `Option<Option<T>>` as three states on the wire: absent (no change), `null` (cleared), a value (set). Both
/// absent and `null` used to be written as `null`, so a cleared field read back as "no change" (the audit
/// trail lost the clearing); an audit payload written before records it with `"patch_format"` absent, and
/// the readers of the trail drop its `null`s before reading it (`liaison-app`'s state check).
mod three_state {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(super) fn serialize<S: Serializer, T: Serialize>(
        v: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

/// A change to a deputy's record: `None` leaves a field as it is; `Some(None)` clears an optional field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeputyPatch {
    /// New name.
    pub name: Option<PersonName>,
    /// New ethnicity.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "three_state")]
    pub ethnicity: Option<Option<ShortText>>,
    /// New delegation or constituency.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "three_state")]
    pub delegation: Option<Option<ShortText>>,
    /// New region.
    pub region: Option<ShortText>,
    /// New work unit.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "three_state")]
    pub work_unit: Option<Option<ShortText>>,
    /// New position.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "three_state")]
    pub position: Option<Option<ShortText>>,
    /// New contact values.
    pub contact: ContactPatch,
    /// New special roles (the whole set).
    pub special_roles: Option<BTreeSet<SpecialRole>>,
    /// New expected end of term.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "three_state")]
    pub term_end: Option<Option<NaiveDate>>,
}

/// A change to a contact card; `Some(None)` clears the value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactPatch {
    /// Mobile.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "three_state")]
    pub mobile: Option<Option<MobileNumber>>,
    /// Landline.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "three_state")]
    pub landline: Option<Option<Landline>>,
    /// Address.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "three_state")]
    pub address: Option<Option<Address>>,
    /// Email.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "three_state")]
    pub email: Option<Option<Email>>,
}

impl DeputyPatch {
    /// True when the patch changes nothing.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// A patch that makes the record say what a new draft says (used when an import updates a duplicate
    /// on purpose). Identity fields (ID number, birth date, gender, level, term) are not patched.
    pub fn from_draft(d: &DeputyDraft) -> Self {
        Self {
            name: Some(d.name.clone()),
            ethnicity: Some(d.ethnicity.clone()),
            delegation: Some(d.delegation.clone()),
            region: Some(d.region.clone()),
            work_unit: Some(d.work_unit.clone()),
            position: Some(d.position.clone()),
            contact: ContactPatch {
                mobile: Some(d.contact.mobile.clone()),
                landline: Some(d.contact.landline.clone()),
                address: Some(d.contact.address.clone()),
                email: Some(d.contact.email.clone()),
            },
            special_roles: Some(d.special_roles.clone()),
            term_end: Some(d.term_end),
        }
    }
}
