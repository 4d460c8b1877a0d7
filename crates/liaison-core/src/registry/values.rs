//! Values of the register that have rules (C1): each is a newtype whose only constructor is `parse`, so a
//! bad value cannot exist. Personal values know how to show themselves masked.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ValueError;

pub(crate) fn clean(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

fn no_control(s: &str) -> Result<(), ValueError> {
    match s.chars().find(|c| c.is_control()) {
        Some(c) => Err(ValueError::BadCharacters(format!("{:?}", c))),
        None => Ok(()),
    }
}

macro_rules! text_newtype {
    ($(#[$doc:meta])* $name:ident, $max:expr, $label:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The longest value allowed, in characters.
            pub const MAX: usize = $max;
            /// Parse: trimmed, not blank, no control characters, at most `MAX` characters (a name or a label:
            /// no invisible characters either).
            pub fn parse(s: &str) -> Result<Self, ValueError> {
                let v = Self::stored(s)?;
                if $label {
                    super::script::no_invisible(&v.0)?;
                }
                Ok(v)
            }
            /// The rules a stored value was written under (read back even if written before a rule).
            fn stored(s: &str) -> Result<Self, ValueError> {
                let s = clean(s);
                if s.is_empty() {
                    return Err(ValueError::Required);
                }
                if s.chars().count() > Self::MAX {
                    return Err(ValueError::TooLong { max: Self::MAX });
                }
                no_control(s)?;
                Ok(Self(s.to_owned()))
            }
            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = ValueError;
            fn try_from(s: String) -> Result<Self, ValueError> {
                Self::stored(&s)
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_newtype!(
    /// A short free text (work unit, position, delegation, ethnicity, region name): 1–100 characters.
    ShortText,
    100,
    true
);
text_newtype!(
    /// A long free text (a suggestion's content, an answer, minutes): 1–5000 characters.
    LongText,
    5000,
    false
);
text_newtype!(
    /// A postal address (通讯地址): 1–200 characters. Personal data.
    Address,
    200,
    true
);

impl LongText {
    /// A text the code derived from a valid one (a confidential part replaced by a notice, which may be
    /// longer): control characters dropped, cut to `MAX` characters, never blank.
    pub(crate) fn derived(s: &str) -> Self {
        let kept: String = clean(s).chars().filter(|c| !c.is_control()).take(Self::MAX).collect();
        Self(if kept.is_empty() { "—".to_owned() } else { kept })
    }
}

impl Address {
    /// The first six characters and a mask: `浙江省杭州市****`.
    pub fn masked(&self) -> String {
        let head: String = self.0.chars().take(6).collect();
        format!("{head}****")
    }
}

/// A person's name (姓名): 1–30 characters; Chinese characters, Latin letters or a script of China's
/// minority languages (see `script`), `·`, spaces, `-` and `.`; no digits, symbols, look-alikes or
/// invisible characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

impl PersonName {
    /// Parse a name.
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        super::script::no_invisible(clean(s))?;
        let v = Self::stored(s)?;
        super::script::name_characters(&v.0)?;
        Ok(v)
    }
    /// The rule a stored name was written under (letters of any script), so names stored before the
    /// script rule are still read.
    fn stored(s: &str) -> Result<Self, ValueError> {
        let s = clean(s);
        if s.is_empty() {
            return Err(ValueError::Required);
        }
        if s.chars().count() > 30 {
            return Err(ValueError::TooLong { max: 30 });
        }
        if let Some(c) =
            s.chars().find(|c| !(super::script::letter(*c) || matches!(c, '·' | '•' | ' ' | '-' | '.')))
        {
            return Err(ValueError::BadCharacters(super::script::shown(c)));
        }
        Ok(Self(s.replace('•', "·")))
    }
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PersonName {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, ValueError> {
        Self::stored(&s)
    }
}
impl From<PersonName> for String {
    fn from(v: PersonName) -> String {
        v.0
    }
}
impl std::fmt::Display for PersonName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn digits_only(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '（' | '）')).collect()
}

/// A mainland China mobile number (手机号码): 11 digits, `1[3-9]x`. `+86`/`86` prefixes are accepted.
/// Personal data.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MobileNumber(String);

impl MobileNumber {
    /// Parse a mobile number.
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        let d = digits_only(clean(s));
        let d = d.strip_prefix("+86").or_else(|| d.strip_prefix("0086")).unwrap_or(&d);
        let d = if d.len() == 13 && d.starts_with("86") { &d[2..] } else { d };
        let b = d.as_bytes();
        let ok = b.len() == 11
            && b.iter().all(u8::is_ascii_digit)
            && b[0] == b'1'
            && (b'3'..=b'9').contains(&b[1]);
        if ok { Ok(Self(d.to_owned())) } else { Err(ValueError::Mobile) }
    }
    /// The 11 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// `138****0000`.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

/// A landline number (固定电话): an area code of 3–4 digits beginning with 0, a 7–8 digit number, and an
/// optional extension (`0571-88886666-123`). Personal data.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Landline(String);

impl Landline {
    /// Parse a landline number. Separators may be `-`, spaces or brackets around the area code.
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        let s = clean(s).replace(['（', '('], "").replace(['）', ')'], "-").replace(' ', "-");
        let parts: Vec<&str> = s.split('-').filter(|p| !p.is_empty()).collect();
        let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        let (area, number, ext) = match parts.as_slice() {
            [a, n] => (*a, *n, None),
            [a, n, e] => (*a, *n, Some(*e)),
            _ => return Err(ValueError::Landline),
        };
        let ok = all_digits(area)
            && area.starts_with('0')
            && (3..=4).contains(&area.len())
            && all_digits(number)
            && (7..=8).contains(&number.len())
            && ext.is_none_or(|e| all_digits(e) && e.len() <= 6);
        if !ok {
            return Err(ValueError::Landline);
        }
        Ok(Self(match ext {
            Some(e) => format!("{area}-{number}-{e}"),
            None => format!("{area}-{number}"),
        }))
    }
    /// The normalised form `0571-88886666`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// `0571-****6666`.
    pub fn masked(&self) -> String {
        let mut parts = self.0.split('-');
        let area = parts.next().unwrap_or_default();
        let number = parts.next().unwrap_or_default();
        let tail = &number[number.len().saturating_sub(4)..];
        format!("{area}-****{tail}")
    }
}

/// An email address (电子邮箱), checked for shape: `local@domain.tld`, at most 254 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Parse an email address; the domain is lowercased.
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        let s = clean(s);
        let Some((local, domain)) = s.rsplit_once('@') else { return Err(ValueError::Email) };
        let label_ok = |l: &str| {
            !l.is_empty() && l.len() <= 63 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        };
        let ok = s.len() <= 254
            && !local.is_empty()
            && local.len() <= 64
            && local.bytes().all(|b| b.is_ascii_graphic() && b != b'@')
            && domain.contains('.')
            && domain.split('.').all(label_ok);
        if ok { Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase()))) } else { Err(ValueError::Email) }
    }
    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// `z***@example.com`.
    pub fn masked(&self) -> String {
        let (local, domain) = self.0.rsplit_once('@').unwrap_or(("", ""));
        let first: String = local.chars().take(1).collect();
        format!("{first}***@{domain}")
    }
}

macro_rules! string_serde {
    ($name:ident) => {
        impl TryFrom<String> for $name {
            type Error = ValueError;
            fn try_from(s: String) -> Result<Self, ValueError> {
                Self::parse(&s)
            }
        }
        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
string_serde!(MobileNumber);
string_serde!(Landline);
string_serde!(Email);
string_serde!(IdNumber);

/// A resident identity card number (公民身份号码, GB 11643-1999): 17 digits and a check character
/// (digit or `X`), with a valid birth date inside. Personal data; stored encrypted, matched by a keyed hash.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdNumber(String);

impl IdNumber {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &'static [u8; 11] = b"10X98765432";

    /// Parse an ID number (a lowercase `x` is accepted and stored uppercase).
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        let s = clean(s).to_ascii_uppercase();
        let b = s.as_bytes();
        if b.len() != 18 {
            return Err(ValueError::IdNumber("length"));
        }
        if !b[..17].iter().all(u8::is_ascii_digit) || !(b[17].is_ascii_digit() || b[17] == b'X') {
            return Err(ValueError::IdNumber("characters"));
        }
        let sum: u32 = b[..17].iter().zip(Self::WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
        if Self::CHECK[(sum % 11) as usize] != b[17] {
            return Err(ValueError::IdNumber("checksum"));
        }
        NaiveDate::parse_from_str(&s[6..14], "%Y%m%d").map_err(|_| ValueError::IdNumber("birth date"))?;
        Ok(Self(s))
    }
    /// The 18 characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The birth date written in the number.
    pub fn birth_date(&self) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(&self.0[6..14], "%Y%m%d").ok()
    }
    /// The gender written in the number (the 17th digit: odd male, even female).
    pub fn gender(&self) -> Gender {
        if (self.0.as_bytes()[16] - b'0') % 2 == 1 { Gender::Male } else { Gender::Female }
    }
    /// `**************1234`: the last four only. The first six (the place) and the birth date, which
    /// views and history may otherwise reveal, would fill in the rest (issue 12).
    pub fn masked(&self) -> String {
        format!("{}{}", "*".repeat(14), &self.0[14..])
    }
}

macro_rules! word_enum {
    ($(#[$doc:meta])* $name:ident, $allowed:expr, { $($(#[$vdoc:meta])* $variant:ident => $code:literal, $zh:literal, [$($alias:literal),*]);+ $(;)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The stable code (also the stored text).
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            /// The Chinese word.
            pub fn zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }
            /// Parse the code, the Chinese word or a common alias.
            pub fn parse(s: &str) -> Result<Self, ValueError> {
                // The stored code first: what the store reads back, 100,000 times for a register.
                $(if s == $code { return Ok($name::$variant); })+
                let s = clean(s);
                let lower = s.to_lowercase();
                $(if lower == $code || s == $zh $(|| s == $alias || lower == $alias)* { return Ok($name::$variant); })+
                if s.is_empty() { Err(ValueError::Required) } else { Err(ValueError::OneOf($allowed)) }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.zh())
            }
        }
    };
}

pub(crate) use word_enum;

word_enum!(
    /// The five levels of people's congresses (五级人大). All are served equally (P1.1).
    DeputyLevel, "全国/省/市/县/乡 (national, provincial, city, county, township)", {
    /// National People's Congress (全国人大).
    National => "national", "全国", ["全国人大", "全国人大代表", "国家级"];
    /// Provincial (省级).
    Provincial => "provincial", "省", ["省级", "省人大", "省人大代表", "自治区", "直辖市"];
    /// City with districts, prefecture (设区的市、自治州).
    City => "city", "市", ["市级", "市人大", "市人大代表", "地市", "州"];
    /// County, county-level city, district (县、不设区的市、市辖区).
    County => "county", "县", ["县级", "区", "县人大", "县人大代表", "区县", "县区"];
    /// Township, ethnic township, town (乡、民族乡、镇).
    Township => "township", "乡", ["乡镇", "镇", "乡级", "乡镇人大代表", "乡人大代表"];
});

impl DeputyLevel {
    /// County level and above: arrest or trial needs the permission of the presidium or standing
    /// committee (代表法 §32); a township deputy's congress is notified at once.
    pub fn is_county_or_above(self) -> bool {
        !matches!(self, Self::Township)
    }
}

word_enum!(
    /// Gender (性别) as recorded on the register.
    Gender, "男/女", {
    /// 男.
    Male => "male", "男", ["m", "男性"];
    /// 女.
    Female => "female", "女", ["f", "女性"];
});

word_enum!(
    /// Special roles that matter to liaison and to eligibility rules (MISSION.md: people's supervisors).
    SpecialRole, "常委会组成人员/代表团团长/人民监督员/执法监督员/检风检纪监督员/党政领导干部/司法工作人员/律师/人民陪审员", {
    /// Member of a congress standing committee (人大常委会组成人员).
    StandingCommitteeMember => "standing_committee_member", "常委会组成人员", ["常委", "人大常委"];
    /// Head of a delegation (代表团团长).
    DelegationHead => "delegation_head", "代表团团长", ["团长"];
    /// People's supervisor (人民监督员).
    PeoplesSupervisor => "peoples_supervisor", "人民监督员", [];
    /// Law-enforcement supervisor (执法监督员).
    LawEnforcementSupervisor => "law_enforcement_supervisor", "执法监督员", [];
    /// Conduct-and-discipline supervisor (检风检纪监督员).
    ConductSupervisor => "conduct_supervisor", "检风检纪监督员", [];
    /// Party or government leader (党政领导干部).
    PartyGovernmentLeader => "party_government_leader", "党政领导干部", ["领导干部"];
    /// Serving judicial officer (司法工作人员).
    JudicialOfficer => "judicial_officer", "司法工作人员", [];
    /// Lawyer (律师).
    Lawyer => "lawyer", "律师", [];
    /// People's assessor (人民陪审员).
    PeoplesAssessor => "peoples_assessor", "人民陪审员", [];
});

/// The number of a congress's term (届), 1–99. Parses `16`, `第16届`, `十六`, `第十六届`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct TermNumber(u16);

impl TermNumber {
    /// Parse a term number.
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        let s = clean(s);
        if s.is_empty() {
            return Err(ValueError::Required);
        }
        let core = s.trim_start_matches('第').trim_end_matches('届');
        let n = core
            .parse::<u16>()
            .ok()
            .or_else(|| chinese_numeral(core))
            .ok_or(ValueError::Range { min: 1, max: 99 })?;
        Self::try_from(n)
    }
    /// The number.
    pub fn get(self) -> u16 {
        self.0
    }
}

impl TryFrom<u16> for TermNumber {
    type Error = ValueError;
    fn try_from(n: u16) -> Result<Self, ValueError> {
        if (1..=99).contains(&n) { Ok(Self(n)) } else { Err(ValueError::Range { min: 1, max: 99 }) }
    }
}
impl From<TermNumber> for u16 {
    fn from(t: TermNumber) -> u16 {
        t.0
    }
}

fn chinese_numeral(s: &str) -> Option<u16> {
    let digit = |c: char| "零一二三四五六七八九".chars().position(|d| d == c).map(|p| p as u16);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d).filter(|&n| n > 0),
        ['十', u] => digit(*u).map(|u| 10 + u),
        [t, '十'] => digit(*t).map(|t| t * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

/// Parse a date written `2026-01-15`, `2026/1/15`, `2026.01.15`, `20260115` or `2026年1月15日`.
pub fn parse_date(s: &str) -> Result<NaiveDate, ValueError> {
    let s = clean(s);
    if s.is_empty() {
        return Err(ValueError::Required);
    }
    let norm = s.replace(['/', '.', '年', '月'], "-").replace('日', "");
    let d = NaiveDate::parse_from_str(&norm, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y%m%d"))
        .map_err(|_| ValueError::Date)?;
    // A year like -1, 0001 or 9999 is a typing slip, never a date of this work (issue 11, item 9): one such
    // stored date made every list fail.
    if !(1900..=2099).contains(&d.year()) {
        return Err(ValueError::Implausible("year"));
    }
    Ok(d)
}
