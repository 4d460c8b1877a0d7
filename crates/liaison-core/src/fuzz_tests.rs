//! Fuzzing of the core's parsers of outside input (issue 13 item 11): dates, ID numbers (身份证号), phone
//! numbers and the other register values, a whole register row, the card's telephone, and the words and
//! numbers the commands take. Arbitrary text and structured-but-wrong text (a valid value with one
//! character changed, full-width digits, separators, extreme years) must be refused with a reason — an
//! error whose message is not empty in either language — or accepted as a value that shows itself, never a
//! panic. Cases: `PROPTEST_CASES` (256 by default; see ARCHITECTURE.md for the longer release run).

use proptest::prelude::*;

use crate::Localized;
use crate::registry::*;

/// A refusal must say why, in Chinese and in English.
fn reason<E: Localized + std::fmt::Display>(e: &E) -> Result<(), TestCaseError> {
    prop_assert!(!e.zh().trim().is_empty() && !e.en().trim().is_empty(), "a refusal without a reason");
    prop_assert!(!e.to_string().trim().is_empty());
    Ok(())
}

/// Text as people and programs type it: digits (ASCII and full-width), separators, CJK, control characters,
/// characters outside the BMP, and anything else.
fn typed() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9０-９xX \\-/.年月日+()（）:：\t\r\n\u{0}\u{3000}]{0,24}",
        "[0-9]{0,20}",
        "(19|20|00|99|-1|\\+)[0-9]{0,2}[-/.年]?[0-9]{0,3}[-/.月]?[0-9]{0,3}日?",
        "\\PC{0,40}",
        "[\u{10000}-\u{10FFFF}]{0,6}",
    ]
}

/// A valid ID number with one position changed, cut short or lengthened.
fn near_id_number() -> impl Strategy<Value = String> {
    let valid = ["11010519491231002X", "440524188001010014", "110101199003074477"];
    (0usize..valid.len(), 0usize..19, any::<char>(), 0u8..4).prop_map(move |(i, at, c, how)| {
        let mut s: Vec<char> = valid[i].chars().collect();
        let at = at.min(s.len());
        match how {
            0 if at < s.len() => s[at] = c,
            1 => s.insert(at, c),
            2 => s.truncate(at),
            _ => s.reverse(),
        }
        s.into_iter().collect()
    })
}

proptest! {
    #[test]
    fn dates_are_refused_with_a_reason_or_plausible(s in typed()) {
        match parse_date(&s) {
            Ok(d) => prop_assert!((1900..=2099).contains(&chrono::Datelike::year(&d)), "{d}"),
            Err(e) => reason(&e)?,
        }
    }

    #[test]
    fn id_numbers_are_refused_with_a_reason_or_shown_masked(s in prop_oneof![typed(), near_id_number()]) {
        match IdNumber::parse(&s) {
            Ok(n) => {
                prop_assert_eq!(n.as_str().chars().count(), 18);
                prop_assert!(n.masked().contains('*'));
                prop_assert!(IdNumber::parse(n.as_str()).is_ok(), "a parsed number parses again");
            }
            Err(e) => reason(&e)?,
        }
    }

    #[test]
    fn phone_numbers_are_refused_with_a_reason_or_shown_masked(
        s in prop_oneof![typed(), "(\\+86|0086|86)?[ -]?1[3-9][0-9０-９ -]{8,12}", "0[0-9]{2,3}[-－ ]?[0-9]{5,9}(-[0-9]{1,6})?"],
    ) {
        match MobileNumber::parse(&s) {
            Ok(m) => prop_assert!(!m.masked().is_empty() && MobileNumber::parse(m.as_str()).is_ok()),
            Err(e) => reason(&e)?,
        }
        match Landline::parse(&s) {
            Ok(l) => prop_assert!(!l.masked().is_empty() && Landline::parse(l.as_str()).is_ok()),
            Err(e) => reason(&e)?,
        }
        match crate::channels::parse_telephone(&s) {
            Ok(t) => prop_assert!(!t.as_str().is_empty()),
            Err(e) => reason(&e)?,
        }
    }

    #[test]
    fn other_register_values_are_refused_with_a_reason(s in typed()) {
        if let Err(e) = Email::parse(&s) { reason(&e)?; }
        if let Err(e) = PersonName::parse(&s) { reason(&e)?; }
        if let Err(e) = ShortText::parse(&s) { reason(&e)?; }
        if let Err(e) = LongText::parse(&s) { reason(&e)?; }
        if let Err(e) = Address::parse(&s) { reason(&e)?; }
        if let Err(e) = DeputyLevel::parse(&s) { reason(&e)?; }
        if let Err(e) = Gender::parse(&s) { reason(&e)?; }
        if let Err(e) = SpecialRole::parse(&s) { reason(&e)?; }
        if let Err(e) = TermNumber::parse(&s) { reason(&e)?; }
        if let Err(e) = RemovalReason::parse(&s) { reason(&e)?; }
        if let Err(e) = crate::suggestion::SuggestionNumber::parse(&s) { reason(&e)?; }
        if let Err(e) = crate::meeting::PlanPeriod::parse(&s) { reason(&e)?; }
        if let Err(e) = crate::budget::parse_yuan(&s) { reason(&e)?; }
        if let Err(e) = crate::access::Role::parse(&s) { reason(&e)?; }
        let _ = crate::lottery::parse_seed(&s);
    }

    /// A register row of arbitrary text (a CSV row or a JSON body after decoding): every bad field is
    /// named, with a reason, and a row that passes is a draft whose keys can be computed.
    #[test]
    fn a_register_row_is_refused_field_by_field_or_becomes_a_draft(
        f in proptest::collection::vec(typed(), 18),
        valid_base in any::<bool>(),
    ) {
        let mut input = if valid_base {
            DeputyInput {
                name: "王芳".into(), gender: "女".into(), level: "县".into(), term: "18".into(),
                region: "鼓楼区".into(), term_start: "2022-01-01".into(), ..DeputyInput::default()
            }
        } else {
            DeputyInput::default()
        };
        let fields: [&mut String; 18] = [
            &mut input.name, &mut input.gender, &mut input.ethnicity, &mut input.birth_date,
            &mut input.id_number, &mut input.level, &mut input.term, &mut input.delegation,
            &mut input.region, &mut input.work_unit, &mut input.position, &mut input.mobile,
            &mut input.landline, &mut input.address, &mut input.email, &mut input.special_roles,
            &mut input.term_start, &mut input.term_end,
        ];
        // On a valid base, change a few fields only (structured but wrong); otherwise all of them.
        for (i, (slot, v)) in fields.into_iter().zip(f).enumerate() {
            if !valid_base || i % 5 == 0 {
                *slot = v;
            }
        }
        match input.parse() {
            Ok(d) => {
                let _ = duplicate_keys(&d, Some("hash"));
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty(), "refused without naming a field");
                for e in &errors {
                    prop_assert!(!e.field.is_empty() && !e.message_zh.trim().is_empty() && !e.message_en.trim().is_empty(), "{:?}", e);
                }
            }
        }
    }
}
