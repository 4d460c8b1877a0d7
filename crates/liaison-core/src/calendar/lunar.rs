//! The Chinese lunisolar calendar (农历) from 1900 to 2100, from the compact year table most calendar
//! software embeds: enough to find the lunar holidays (春节, 端午节, 中秋节) of a year whose holiday schedule
//! is not published yet.

use chrono::{Days, NaiveDate};

/// The first lunar year in the table; its 正月初一 is 1900-01-31.
const FIRST_YEAR: i32 = 1900;

/// One entry per lunar year, 1900 to 2100 (the widely used `lunarInfo` table, as corrected from the Purple
/// Mountain and Hong Kong observatories' almanacs). Bits 0–3: the leap month (0: none); bits 15 down to 4:
/// months 1 to 12, set for a month of 30 days (大月), clear for 29 (小月); bit 16: the leap month has 30 days.
/// The copies in circulation differ only in 2057, 2060 and 2097, where two adjacent months swap lengths
/// after the months the holidays fall in, so no holiday depends on which copy is right.
const INFO: [u32; 201] = [
    0x04bd8, 0x04ae0, 0x0a570, 0x054d5, 0x0d260, 0x0d950, 0x16554, 0x056a0, 0x09ad0,
    0x055d2, // 1900–1909
    0x04ae0, 0x0a5b6, 0x0a4d0, 0x0d250, 0x1d255, 0x0b540, 0x0d6a0, 0x0ada2, 0x095b0,
    0x14977, // 1910–1919
    0x04970, 0x0a4b0, 0x0b4b5, 0x06a50, 0x06d40, 0x1ab54, 0x02b60, 0x09570, 0x052f2,
    0x04970, // 1920–1929
    0x06566, 0x0d4a0, 0x0ea50, 0x16a95, 0x05ad0, 0x02b60, 0x186e3, 0x092e0, 0x1c8d7,
    0x0c950, // 1930–1939
    0x0d4a0, 0x1d8a6, 0x0b550, 0x056a0, 0x1a5b4, 0x025d0, 0x092d0, 0x0d2b2, 0x0a950,
    0x0b557, // 1940–1949
    0x06ca0, 0x0b550, 0x15355, 0x04da0, 0x0a5b0, 0x14573, 0x052b0, 0x0a9a8, 0x0e950,
    0x06aa0, // 1950–1959
    0x0aea6, 0x0ab50, 0x04b60, 0x0aae4, 0x0a570, 0x05260, 0x0f263, 0x0d950, 0x05b57,
    0x056a0, // 1960–1969
    0x096d0, 0x04dd5, 0x04ad0, 0x0a4d0, 0x0d4d4, 0x0d250, 0x0d558, 0x0b540, 0x0b6a0,
    0x195a6, // 1970–1979
    0x095b0, 0x049b0, 0x0a974, 0x0a4b0, 0x0b27a, 0x06a50, 0x06d40, 0x0af46, 0x0ab60,
    0x09570, // 1980–1989
    0x04af5, 0x04970, 0x064b0, 0x074a3, 0x0ea50, 0x06b58, 0x05ac0, 0x0ab60, 0x096d5,
    0x092e0, // 1990–1999
    0x0c960, 0x0d954, 0x0d4a0, 0x0da50, 0x07552, 0x056a0, 0x0abb7, 0x025d0, 0x092d0,
    0x0cab5, // 2000–2009
    0x0a950, 0x0b4a0, 0x0baa4, 0x0ad50, 0x055d9, 0x04ba0, 0x0a5b0, 0x15176, 0x052b0,
    0x0a930, // 2010–2019
    0x07954, 0x06aa0, 0x0ad50, 0x05b52, 0x04b60, 0x0a6e6, 0x0a4e0, 0x0d260, 0x0ea65,
    0x0d530, // 2020–2029
    0x05aa0, 0x076a3, 0x096d0, 0x04afb, 0x04ad0, 0x0a4d0, 0x1d0b6, 0x0d250, 0x0d520,
    0x0dd45, // 2030–2039
    0x0b5a0, 0x056d0, 0x055b2, 0x049b0, 0x0a577, 0x0a4b0, 0x0aa50, 0x1b255, 0x06d20,
    0x0ada0, // 2040–2049
    0x14b63, 0x09370, 0x049f8, 0x04970, 0x064b0, 0x168a6, 0x0ea50, 0x06b20, 0x1a6c4,
    0x0aae0, // 2050–2059
    0x092e0, 0x0d2e3, 0x0c960, 0x0d557, 0x0d4a0, 0x0da50, 0x05d55, 0x056a0, 0x0a6d0,
    0x055d4, // 2060–2069
    0x052d0, 0x0a9b8, 0x0a950, 0x0b4a0, 0x0b6a6, 0x0ad50, 0x055a0, 0x0aba4, 0x0a5b0,
    0x052b0, // 2070–2079
    0x0b273, 0x06930, 0x07337, 0x06aa0, 0x0ad50, 0x14b55, 0x04b60, 0x0a570, 0x054e4,
    0x0d160, // 2080–2089
    0x0e968, 0x0d520, 0x0daa0, 0x16aa6, 0x056d0, 0x04ae0, 0x0a9d4, 0x0a2d0, 0x0d150,
    0x0f252, // 2090–2099
    0x0d520, // 2100
];

const fn month_days(info: u32, month: u32) -> u32 {
    if info & (0x10000 >> month) != 0 { 30 } else { 29 }
}

const fn leap_month(info: u32) -> u32 {
    info & 0xf
}

const fn leap_days(info: u32) -> u32 {
    if leap_month(info) == 0 {
        0
    } else if info & 0x10000 != 0 {
        30
    } else {
        29
    }
}

const fn year_days(info: u32) -> u32 {
    let mut sum = leap_days(info);
    let mut month = 1;
    while month <= 12 {
        sum += month_days(info, month);
        month += 1;
    }
    sum
}

/// Days from 1900-01-31 to each lunar year's 正月初一, computed once at compile time.
const NEW_YEAR_OFFSET: [u32; 201] = {
    let mut out = [0; 201];
    let mut i = 1;
    while i < out.len() {
        out[i] = out[i - 1] + year_days(INFO[i - 1]);
        i += 1;
    }
    out
};

/// The solar date of day `day` of the ordinary (not leap) month `month` of lunar year `year`; `None`
/// outside 1900–2100 or for a day the month does not have.
pub(super) fn to_solar(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    let i = usize::try_from(year.checked_sub(FIRST_YEAR)?).ok()?;
    let info = *INFO.get(i)?;
    if !(1..=12).contains(&month) || day == 0 || day > month_days(info, month) {
        return None;
    }
    let mut offset = *NEW_YEAR_OFFSET.get(i)?;
    for m in 1..month {
        offset += month_days(info, m);
    }
    // A leap month follows the ordinary month of the same number.
    if leap_month(info) != 0 && leap_month(info) < month {
        offset += leap_days(info);
    }
    offset += day - 1;
    NaiveDate::from_ymd_opt(1900, 1, 31)?.checked_add_days(Days::new(u64::from(offset)))
}

/// 除夕: the last day of the twelfth month before lunar year `year` begins (the 29th or the 30th).
pub(super) fn new_years_eve(year: i32) -> Option<NaiveDate> {
    to_solar(year, 1, 1)?.pred_opt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn known_lunar_holidays_fall_on_their_published_dates() {
        for (year, spring, dragon_boat, mid_autumn) in [
            (2020, "2020-01-25", "2020-06-25", "2020-10-01"),
            (2023, "2023-01-22", "2023-06-22", "2023-09-29"),
            (2024, "2024-02-10", "2024-06-10", "2024-09-17"),
            (2025, "2025-01-29", "2025-05-31", "2025-10-06"),
            (2026, "2026-02-17", "2026-06-19", "2026-09-25"),
            (2027, "2027-02-06", "2027-06-09", "2027-09-15"),
            (2028, "2028-01-26", "2028-05-28", "2028-10-03"),
            (2030, "2030-02-03", "2030-06-05", "2030-09-12"),
        ] {
            assert_eq!(to_solar(year, 1, 1), Some(d(spring)), "正月初一 {year}");
            assert_eq!(to_solar(year, 5, 5), Some(d(dragon_boat)), "端午 {year}");
            assert_eq!(to_solar(year, 8, 15), Some(d(mid_autumn)), "中秋 {year}");
        }
    }

    #[test]
    fn new_years_eve_is_the_twenty_ninth_when_the_twelfth_month_is_short() {
        // The twelfth month of 2024 (ending in January 2025) has 29 days: 除夕 is 腊月廿九.
        assert_eq!(month_days(INFO[124], 12), 29);
        assert_eq!(new_years_eve(2025), Some(d("2025-01-28")));
        assert_eq!(new_years_eve(2026), Some(d("2026-02-16")));
        assert_eq!(new_years_eve(2027), Some(d("2027-02-05")));
        // The last day of a month is a day of it; the day after is not.
        assert_eq!(to_solar(2024, 12, 29), Some(d("2025-01-28")));
        assert_eq!(to_solar(2024, 12, 30), None);
        assert_eq!(to_solar(2024, 13, 1), None);
        assert_eq!(to_solar(2024, 12, 0), None);
    }

    #[test]
    fn a_leap_month_before_the_fifth_moves_the_dragon_boat_festival() {
        // 2020 has a leap fourth month (闰四月): 端午 falls on 25 June, not in May.
        assert_eq!(leap_month(INFO[120]), 4);
        assert_eq!(to_solar(2020, 5, 5), Some(d("2020-06-25")));
    }

    #[test]
    fn years_and_days_outside_the_table_are_unknown() {
        assert_eq!(to_solar(1899, 1, 1), None);
        assert_eq!(to_solar(2101, 1, 1), None);
        assert_eq!(to_solar(2026, 13, 1), None);
        assert_eq!(to_solar(2026, 1, 31), None);
        assert_eq!(to_solar(1900, 1, 1), Some(d("1900-01-31")));
        assert!(to_solar(2100, 8, 15).is_some());
    }

    #[test]
    fn every_year_has_between_353_and_385_days_and_new_year_in_late_january_or_february() {
        for (i, info) in INFO.iter().enumerate() {
            let days = year_days(*info);
            assert!((353..=355).contains(&days) || (383..=385).contains(&days), "{} has {days}", 1900 + i);
            let year = 1900 + i as i32;
            let ny = to_solar(year, 1, 1).unwrap();
            assert!(ny >= d(&format!("{year}-01-21")) && ny <= d(&format!("{year}-02-20")), "{ny}");
        }
    }
}
