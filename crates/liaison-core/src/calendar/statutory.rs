//! The statutory public holidays (法定节假日) of the 全国年节及纪念日放假办法 as revised in 2024 (in force
//! from 2025), computed for any year from 1900 to 2100: 元旦 1 January; 春节 4 days, 除夕 to 正月初三; 清明节 the
//! day of the Qingming solar term; 劳动节 1–2 May; 端午节 五月初五; 中秋节 八月十五; 国庆节 1–3 October.
//!
//! These are the days the law names, nothing more. The State Council's yearly notice adds what cannot be
//! computed: the substitute day off when a holiday falls on a weekend (补假, which working day it is), and
//! the long breaks made by swapping days (调休, with weekend days worked). A year without a published
//! notice therefore counts only these days off and every weekend.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::lunar;

/// A statutory holiday (全体公民放假的节日).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Festival {
    /// 元旦, 1 January.
    NewYear,
    /// 春节, 除夕 to 正月初三.
    SpringFestival,
    /// 清明节, the day of the Qingming solar term.
    Qingming,
    /// 劳动节, 1–2 May.
    LabourDay,
    /// 端午节, 五月初五.
    DragonBoat,
    /// 中秋节, 八月十五.
    MidAutumn,
    /// 国庆节, 1–3 October.
    NationalDay,
}

impl Festival {
    /// The name in Chinese, as the State Council's notices write it.
    pub fn name_zh(self) -> &'static str {
        match self {
            Self::NewYear => "元旦",
            Self::SpringFestival => "春节",
            Self::Qingming => "清明节",
            Self::LabourDay => "劳动节",
            Self::DragonBoat => "端午节",
            Self::MidAutumn => "中秋节",
            Self::NationalDay => "国庆节",
        }
    }

    /// The name in English.
    pub fn name_en(self) -> &'static str {
        match self {
            Self::NewYear => "New Year's Day",
            Self::SpringFestival => "Spring Festival",
            Self::Qingming => "Qingming Festival",
            Self::LabourDay => "Labour Day",
            Self::DragonBoat => "Dragon Boat Festival",
            Self::MidAutumn => "Mid-Autumn Festival",
            Self::NationalDay => "National Day",
        }
    }
}

/// The day of the Qingming solar term (清明) in Beijing time: 4, 5 or 6 April. The usual formula
/// `[Y·D + C] − L` (D = 0.2422; C = 5.59 in the 20th century, 4.81 in the 21st; L the leap years since the
/// century began), in integer arithmetic; it agrees with the sun's apparent longitude reaching 15° for every
/// year from 1900 to 2100. `None` outside those years.
pub(crate) fn qingming(year: i32) -> Option<NaiveDate> {
    let (y, c) = match year {
        1900..=2000 => (year - 1900, 55_900),
        2001..=2100 => (year - 2000, 48_100),
        _ => return None,
    };
    // 2100 is not a leap year.
    let leap_years = y / 4 - i32::from(year == 2100);
    let day = (y * 2422 + c) / 10_000 - leap_years;
    NaiveDate::from_ymd_opt(year, 4, u32::try_from(day).ok()?)
}

/// The statutory holiday `d` is, if any. Where two coincide (中秋节 on 1–3 October), 国庆节.
pub fn statutory_holiday(d: NaiveDate) -> Option<Festival> {
    let year = d.year();
    let festival = match (d.month(), d.day()) {
        (1, 1) => Festival::NewYear,
        (5, 1 | 2) => Festival::LabourDay,
        (10, 1..=3) => Festival::NationalDay,
        (1 | 2, _) => {
            let eve = lunar::new_years_eve(year)?;
            let last = lunar::to_solar(year, 1, 3)?;
            if d < eve || d > last {
                return None;
            }
            Festival::SpringFestival
        }
        (4, _) if qingming(year) == Some(d) => Festival::Qingming,
        (5 | 6, _) if lunar::to_solar(year, 5, 5) == Some(d) => Festival::DragonBoat,
        (9 | 10, _) if lunar::to_solar(year, 8, 15) == Some(d) => Festival::MidAutumn,
        _ => return None,
    };
    Some(festival)
}

/// Every statutory day off of `year`, in date order (11 days; a date appears twice when two holidays
/// coincide). Outside 1900–2100 only the holidays on fixed dates.
pub fn statutory_holidays(year: i32) -> Vec<(NaiveDate, Festival)> {
    let fixed = [(1, 1, Festival::NewYear), (5, 1, Festival::LabourDay), (5, 2, Festival::LabourDay)];
    let national = [(10, 1), (10, 2), (10, 3)].map(|(m, d)| (m, d, Festival::NationalDay));
    let mut out: Vec<(NaiveDate, Festival)> = fixed
        .into_iter()
        .chain(national)
        .filter_map(|(m, d, f)| NaiveDate::from_ymd_opt(year, m, d).map(|date| (date, f)))
        .collect();
    if let Some(eve) = lunar::new_years_eve(year) {
        out.extend(eve.iter_days().take(4).map(|date| (date, Festival::SpringFestival)));
    }
    out.extend(qingming(year).map(|date| (date, Festival::Qingming)));
    out.extend(lunar::to_solar(year, 5, 5).map(|date| (date, Festival::DragonBoat)));
    out.extend(lunar::to_solar(year, 8, 15).map(|date| (date, Festival::MidAutumn)));
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn qingming_falls_on_the_solar_term() {
        for (year, day) in [
            (1903, "1903-04-06"),
            (2000, "2000-04-04"),
            (2019, "2019-04-05"),
            (2020, "2020-04-04"),
            (2024, "2024-04-04"),
            (2025, "2025-04-04"),
            (2026, "2026-04-05"),
            (2027, "2027-04-05"),
            (2028, "2028-04-04"),
            (2100, "2100-04-05"),
        ] {
            assert_eq!(qingming(year), Some(d(day)), "{year}");
        }
        assert_eq!(qingming(1899), None);
        assert_eq!(qingming(2101), None);
    }

    #[test]
    fn a_year_has_eleven_statutory_days_off() {
        let days = statutory_holidays(2027);
        let expected = [
            ("2027-01-01", Festival::NewYear),
            ("2027-02-05", Festival::SpringFestival),
            ("2027-02-06", Festival::SpringFestival),
            ("2027-02-07", Festival::SpringFestival),
            ("2027-02-08", Festival::SpringFestival),
            ("2027-04-05", Festival::Qingming),
            ("2027-05-01", Festival::LabourDay),
            ("2027-05-02", Festival::LabourDay),
            ("2027-06-09", Festival::DragonBoat),
            ("2027-09-15", Festival::MidAutumn),
            ("2027-10-01", Festival::NationalDay),
            ("2027-10-02", Festival::NationalDay),
            ("2027-10-03", Festival::NationalDay),
        ]
        .map(|(s, f)| (d(s), f));
        // 13 entries: 11 holidays, 春节's four days counted one by one.
        assert_eq!(days, expected);
        for (date, festival) in &days {
            assert_eq!(statutory_holiday(*date), Some(*festival), "{date}");
        }
    }

    #[test]
    fn spring_festival_starts_on_new_years_eve_even_when_it_is_the_twenty_ninth() {
        // 2025: 腊月 has 29 days, 除夕 is 28 January; the four days are 28–31 January.
        assert_eq!(statutory_holiday(d("2025-01-27")), None);
        assert_eq!(statutory_holiday(d("2025-01-28")), Some(Festival::SpringFestival));
        assert_eq!(statutory_holiday(d("2025-01-31")), Some(Festival::SpringFestival));
        assert_eq!(statutory_holiday(d("2025-02-01")), None);
    }

    #[test]
    fn mid_autumn_on_national_day_is_one_day_off_not_two() {
        // 2028: 中秋 is 3 October.
        assert_eq!(statutory_holiday(d("2028-10-03")), Some(Festival::NationalDay));
        let october: Vec<_> =
            statutory_holidays(2028).into_iter().filter(|(date, _)| date.month() == 10).collect();
        assert_eq!(october.len(), 4);
        assert_eq!(statutory_holiday(d("2028-10-04")), None);
    }

    #[test]
    fn festival_names_serialize_in_snake_case() {
        assert_eq!(serde_json::to_string(&Festival::SpringFestival).unwrap(), "\"spring_festival\"");
        assert_eq!(Festival::MidAutumn.name_zh(), "中秋节");
    }
}
