//! A deterministic synthetic register for demos, tests and benchmarks: `generate(n, seed)` always yields
//! the same deputies. Realistic Chinese names (surnames with special readings included), the five levels in
//! the national proportions (township 72.9%, county 22.2%, city 4.3%, provincial 0.5%, national 0.1%; with
//! at least one of each level from five rows up), regions of one city, valid and unique ID numbers.
//! Everyone in it is fictional.

use std::io::Write;

use liaison_core::registry::DeputyInput;
use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};

use crate::import::Encoding;
use crate::people_csv::PeopleCsv;

/// The regions of the synthetic jurisdiction (a city's districts and counties).
pub const REGIONS: &[&str] = &[
    "鼓楼区",
    "台江区",
    "仓山区",
    "晋安区",
    "马尾区",
    "长乐区",
    "闽侯县",
    "连江县",
    "罗源县",
    "闽清县",
    "永泰县",
    "福清市",
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何",
    "林", "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田",
    "董", "潘", "袁", "蔡", "蒋", "余", "于", "杜", "叶", "程", "魏", "苏", "吕", "丁", "任", "卢", "姚",
    "沈", "钟", "姜", "崔", "谭", "陆", "范", "汪", "廖", "石", "金", "韦", "贾", "夏", "付", "方", "邹",
    "熊", "白", "孟", "秦", "邱", "侯", "江", "尹", "薛", "段", "雷", "龙", "黎", "史", "陶", "贺", "毛",
    "郝", "顾", "龚", "邵", "万", "覃", "钱", "戴", "严", "欧阳", "单", "解", "仇", "区", "查", "朴", "上官",
    "司马", "诸葛",
];
const GIVEN: &str = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文辉力宇鹏飞海波斌俊峰雪梅琳晶婷瑜凯浩然晨阳欣怡嘉颖思佳子涵梓轩宏亮春燕秋菊冬林松柏德福寿康宁安";
const ETHNIC: &[&str] =
    &["壮族", "回族", "满族", "畲族", "苗族", "土家族", "彝族", "蒙古族", "藏族", "维吾尔族"];
const UNIT_KINDS: &[&str] = &[
    "街道办事处",
    "第一中学",
    "第三小学",
    "人民医院",
    "农业合作社",
    "社区居委会",
    "供电公司",
    "科技有限公司",
    "律师事务所",
    "村民委员会",
    "市场监督管理所",
    "纺织厂",
    "中心卫生院",
    "职业技术学院",
    "建筑工程公司",
];
const POSITIONS: &[&str] = &[
    "主任",
    "校长",
    "教师",
    "医生",
    "总经理",
    "工人",
    "农民",
    "村党支部书记",
    "社区主任",
    "工程师",
    "护士长",
    "个体工商户",
    "副主任",
    "厂长",
];
const STREETS: &[&str] =
    &["五一路", "八一七路", "六一路", "华林路", "东街", "白马路", "工业路", "福新路", "杨桥路", "湖东路"];

/// (level word, term, term start, term end, weight per 1000): a real term of each level, its end moved on
/// to the day of generation ([`current_terms`]).
const LEVELS: &[(&str, &str, &str, &str, u64)] = &[
    ("全国", "14", "2023-03-05", "2028-03-04", 1),
    ("省", "14", "2023-01-15", "2028-01-14", 5),
    ("市", "17", "2022-01-10", "2027-01-09", 43),
    ("县", "18", "2021-12-25", "2026-12-24", 222),
    ("乡", "21", "2021-12-20", "2026-12-19", 729),
];

struct Gen(ChaCha20Rng);

impl Gen {
    fn below(&mut self, n: u64) -> u64 {
        // Lemire's multiply-shift: unbiased enough for synthetic data and stable across versions.
        ((u128::from(self.0.next_u64()) * u128::from(n)) >> 64) as u64
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
    fn char_of(&mut self, s: &str) -> char {
        let n = s.chars().count() as u64;
        s.chars().nth(self.below(n) as usize).unwrap_or('明')
    }
}

fn id_number(row: u64, birth: chrono::NaiveDate, male: bool) -> String {
    // Area code 35xxxx (unique per thousand rows), birth date, sequence whose parity carries the gender.
    let area = format!("35{:04}", (row / 500) % 10_000);
    let seq = (row % 500) * 2 + u64::from(male);
    let body = format!("{area}{}{seq:03}", birth.format("%Y%m%d"));
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body.bytes().zip(W).map(|(b, w)| u32::from(b - b'0') * w).sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body}{check}")
}

/// The `row`-th synthetic deputy of the register seeded with `seed` (rows count from 0).
fn deputy(g: &mut Gen, row: u64, n: u64, terms: &[Term]) -> DeputyInput {
    let level = if n >= 5 && row < 5 {
        &terms[row as usize]
    } else {
        let mut x = g.below(1000);
        terms
            .iter()
            .find(|l| {
                let hit = x < l.4;
                x = x.saturating_sub(l.4);
                hit
            })
            .unwrap_or(&terms[4])
    };
    let male = row % 2 == 1;
    let surname = g.pick(SURNAMES);
    let mut name = surname.to_owned();
    name.push(g.char_of(GIVEN));
    if g.below(100) < 70 {
        name.push(g.char_of(GIVEN));
    }
    let birth = chrono::NaiveDate::from_ymd_opt(1955, 1, 1).unwrap_or_default()
        + chrono::Duration::days(g.below(40 * 365) as i64);
    let region = g.pick(REGIONS);
    let unit = format!("{region}{}", g.pick(UNIT_KINDS));
    let high = matches!(level.0, "全国" | "省" | "市" | "县");
    let mut roles = Vec::new();
    if high && g.below(100) < 4 {
        roles.push("常委会组成人员");
    }
    if g.below(100) < 2 {
        roles.push("人民监督员");
    }
    DeputyInput {
        name,
        gender: if male { "男" } else { "女" }.into(),
        ethnicity: if g.below(100) < 91 { "汉族".into() } else { g.pick(ETHNIC).into() },
        birth_date: birth.to_string(),
        id_number: id_number(row, birth, male),
        level: level.0.into(),
        term: level.1.clone(),
        delegation: format!("{region}代表团"),
        region: region.into(),
        work_unit: unit,
        position: g.pick(POSITIONS).into(),
        mobile: format!("1{}{:09}", 3 + g.below(7), g.below(1_000_000_000)),
        landline: if g.below(100) < 40 { format!("0591-8{:07}", g.below(10_000_000)) } else { String::new() },
        address: format!("福建省福州市{region}{}{}号", g.pick(STREETS), 1 + g.below(300)),
        email: if g.below(100) < 30 { format!("deputy{row}@example.cn") } else { String::new() },
        special_roles: roles.join("、"),
        term_start: level.2.clone(),
        term_end: level.3.clone(),
    }
}

/// A level's term in force on a day: (level word, term number, first day, last day, weight per 1000).
type Term = (&'static str, String, String, String, u64);

/// Each level's term as the synthetic register gives it on `today`: the real term's number and first day,
/// its last day moved on by whole five-year terms until it is not before `today` — so the register is in
/// office whatever the day (after 19 December 2026 the township deputies' terms would otherwise have
/// ended) and everything dated since the real term began still falls within it. Synthetic data: a real
/// term lasts five years.
pub fn current_terms(today: chrono::NaiveDate) -> Vec<Term> {
    use chrono::{Datelike, NaiveDate};
    let shift =
        |d: NaiveDate, years: i32| NaiveDate::from_ymd_opt(d.year() + years, d.month(), d.day()).unwrap_or(d);
    LEVELS
        .iter()
        .map(|&(word, term, start, end, weight)| {
            let mut last = NaiveDate::parse_from_str(end, "%Y-%m-%d").unwrap_or(today);
            while last < today {
                last = shift(last, 5);
            }
            (word, term.to_owned(), start.to_owned(), last.to_string(), weight)
        })
        .collect()
}

/// The synthetic register: `n` deputies from `seed`, the same for the same seed on the same day (the terms
/// end no earlier than today, China time: [`current_terms`]).
pub fn generate(n: u64, seed: u64) -> impl Iterator<Item = DeputyInput> {
    generate_on(n, seed, liaison_core::meta::china_date(chrono::Utc::now()))
}

/// The synthetic register as generated on `today`.
pub fn generate_on(n: u64, seed: u64, today: chrono::NaiveDate) -> impl Iterator<Item = DeputyInput> {
    let mut g = Gen(ChaCha20Rng::seed_from_u64(seed));
    let terms = current_terms(today);
    (0..n).map(move |row| deputy(&mut g, row, n, &terms))
}

/// The header the generator writes (the Chinese column names offices use).
pub const HEADER: [&str; 18] = [
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "身份证号",
    "代表层级",
    "届次",
    "代表团",
    "所属区域",
    "工作单位",
    "职务",
    "手机",
    "固定电话",
    "通讯地址",
    "电子邮箱",
    "特殊身份",
    "任期开始",
    "任期结束",
];

/// One deputy as a CSV record in `HEADER` order.
pub fn record(d: &DeputyInput) -> [&str; 18] {
    [
        &d.name,
        &d.gender,
        &d.ethnicity,
        &d.birth_date,
        &d.id_number,
        &d.level,
        &d.term,
        &d.delegation,
        &d.region,
        &d.work_unit,
        &d.position,
        &d.mobile,
        &d.landline,
        &d.address,
        &d.email,
        &d.special_roles,
        &d.term_start,
        &d.term_end,
    ]
}

/// Write deputies as CSV with the Chinese header, in UTF-8 or GBK.
pub fn write_csv(
    deputies: impl Iterator<Item = DeputyInput>,
    out: &mut dyn Write,
    encoding: Encoding,
) -> std::io::Result<u64> {
    fn emit(chunk: PeopleCsv<Vec<u8>>, out: &mut dyn Write, encoding: Encoding) -> std::io::Result<()> {
        let buf = chunk.finish()?;
        match encoding {
            Encoding::Utf8 => out.write_all(&buf),
            Encoding::Gbk => out.write_all(&encoding_rs::GB18030.encode(&String::from_utf8_lossy(&buf)).0),
        }
    }
    let fresh = || PeopleCsv::continuing(Vec::with_capacity(1 << 16));
    // UTF-8 starts with its byte-order mark (Excel and WPS on Chinese Windows need it); GBK has none.
    let mut chunk = match encoding {
        Encoding::Utf8 => PeopleCsv::new(Vec::with_capacity(1 << 16))?,
        Encoding::Gbk => fresh(),
    };
    chunk.row(HEADER)?;
    let mut n = 0;
    for d in deputies {
        chunk.row(record(&d))?;
        n += 1;
        if n % 4096 == 0 {
            emit(std::mem::replace(&mut chunk, fresh()), out, encoding)?;
        }
    }
    emit(chunk, out, encoding)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Each level's term holds the day of generation and everything since the real term began: its end
    /// moves on by five years at a time once the day passes it (the township's ends on 19 December 2026).
    #[test]
    fn the_terms_hold_the_day_of_generation() {
        let before = current_terms(day("2026-12-19"));
        assert_eq!(before[4], ("乡", "21".into(), "2021-12-20".into(), "2026-12-19".into(), 729));
        let after = current_terms(day("2026-12-20"));
        assert_eq!(after[4], ("乡", "21".into(), "2021-12-20".into(), "2031-12-19".into(), 729));
        assert_eq!(after[0].3, "2028-03-04", "the national term runs to 2028");
        for today in ["2026-11-29", "2026-12-31", "2031-06-01", "2040-02-29"] {
            for (word, _, start, end, _) in current_terms(day(today)) {
                assert!(
                    start.as_str() <= "2023-03-05" && today <= end.as_str(),
                    "{word}: {start}..{end} on {today}"
                );
            }
        }
        let deputies: Vec<DeputyInput> = generate_on(50, 7, day("2027-03-01")).collect();
        assert!(
            deputies
                .iter()
                .all(|d| d.term_start.as_str() <= "2026-01-01" && d.term_end.as_str() >= "2027-03-01")
        );
        assert_eq!(
            deputies,
            generate_on(50, 7, day("2027-03-01")).collect::<Vec<_>>(),
            "the same on the same day"
        );
    }
}
