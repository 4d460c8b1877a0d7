//! The register's and the organisation's commands: importing, listing, showing and changing deputies,
//! the organisation's regions, leaders, departments and officers, and assignment.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum EncodingArg {
    Utf8,
    Gbk,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum FileFormatArg {
    Csv,
    Xlsx,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum OnDuplicateArg {
    /// Report duplicates as errors (nothing is doubled silently).
    Refuse,
    /// Update the existing record with the row's data.
    Update,
}

#[derive(Debug, Subcommand)]
pub(crate) enum DeputyCmd {
    /// Import a register file (CSV or XLSX). All or nothing; every bad row is reported.
    ///
    /// With --refresh, the congress's new list for the year: deputies it names are updated, new ones
    /// registered, and those of the same level and term it leaves out are listed as possibly departed
    /// (their terms end only with --end-absent). Run it with --dry-run first to see all three lists.
    #[command(after_help = liaison_app::import::columns_help())]
    Import {
        /// The file.
        file: PathBuf,
        /// CSV text encoding (default: detected; valid UTF-8 is UTF-8, otherwise GBK/GB18030, which Excel on
        /// Chinese Windows saves).
        #[arg(long, value_enum)]
        encoding: Option<EncodingArg>,
        /// File format (default: from the content).
        #[arg(long = "file-format", value_enum)]
        file_format: Option<FileFormatArg>,
        /// Check everything, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// What to do when a row is a deputy already on the register.
        #[arg(long, value_enum, default_value = "refuse")]
        on_duplicate: OnDuplicateArg,
        /// Yearly refresh (年度名册核对) from the congress's new list: deputies the file names are updated
        /// (whatever --on-duplicate says), new ones registered, and deputies of the same level and term who
        /// are not in the file are listed as possibly departed (可能已离任). Nothing ends without
        /// --end-absent. Try it with --dry-run first: it shows all three lists.
        #[arg(long)]
        refresh: bool,
        /// With --refresh: end the terms of the deputies listed as possibly departed (任期届满, recorded with
        /// who, when and why). Run --refresh --dry-run first to see whom it concerns.
        #[arg(long)]
        end_absent: bool,
        /// With --end-absent: their last day in office, YYYY-MM-DD (default: today; not after today).
        #[arg(long, value_name = "DATE")]
        ended_on: Option<String>,
    },
    /// List deputies in pinyin order (contact data masked).
    List {
        /// Level: national, provincial, city, county, township (or 全国/省/市/县/乡).
        #[arg(long)]
        level: Option<String>,
        /// Status: registered, in_office, term_ended, removed.
        #[arg(long)]
        status: Option<String>,
        /// Region.
        #[arg(long)]
        region: Option<String>,
        /// Name prefix, pinyin prefix or initials (zgf).
        #[arg(long)]
        search: Option<String>,
        /// Page size.
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Continue after this cursor (printed at the end of a page).
        #[arg(long)]
        cursor: Option<String>,
        /// All pages.
        #[arg(long, conflicts_with = "cursor")]
        all: bool,
    },
    /// Show one deputy; --full shows personal data (roles office/officer/leader only; an officer only for
    /// the deputies assigned to it and its granted regions), with --reason, recorded in the audit chain.
    /// Each account may make LIAISON_FULL_VIEWS full views (default 20) in LIAISON_FULL_VIEW_WINDOW minutes
    /// (default 10); beyond, refused, and the security administrator alerted.
    Show {
        /// Deputy id.
        id: String,
        /// Show personal data in full (needs --reason).
        #[arg(long, requires = "reason")]
        full: bool,
        /// Why the full card is viewed (required with --full: at least 4 letters or digits, a Chinese
        /// character counting as one; at most 200 characters), recorded in the audit chain.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Register one deputy.
    Add(Box<DeputyFields>),
    /// Change a deputy's data (an empty value clears an optional field).
    Update {
        /// Deputy id.
        id: String,
        #[command(flatten)]
        patch: Box<PatchFields>,
        /// Refuse if the record is no longer at this version.
        #[arg(long)]
        expect_version: Option<u64>,
        /// Why.
        #[arg(long)]
        reason: Option<String>,
    },
    /// End a deputy's term (任期届满).
    EndTerm {
        /// Deputy id.
        id: String,
        /// Last day (YYYY-MM-DD).
        #[arg(long)]
        date: String,
        /// Refuse if the record is no longer at this version.
        #[arg(long)]
        expect_version: Option<u64>,
        /// Why.
        #[arg(long)]
        reason: Option<String>,
    },
    /// A deputy leaves office early (resigned, recalled, deceased, transferred …).
    Remove {
        /// Deputy id.
        id: String,
        /// Last day (YYYY-MM-DD).
        #[arg(long)]
        date: String,
        /// resigned, recalled, deceased, transferred, qualification_terminated, registered_in_error.
        #[arg(long)]
        why: String,
        /// Explanation (required).
        #[arg(long)]
        reason: String,
        /// Refuse if the record is no longer at this version.
        #[arg(long)]
        expect_version: Option<u64>,
    },
    /// The audit history of a deputy.
    History {
        /// Deputy id.
        id: String,
    },
}

/// A deputy's fields as flags.
#[derive(Debug, Args)]
pub(crate) struct DeputyFields {
    /// 姓名.
    #[arg(long)]
    pub(crate) name: String,
    /// 性别 (男/女).
    #[arg(long, default_value = "")]
    pub(crate) gender: String,
    /// 民族.
    #[arg(long, default_value = "")]
    pub(crate) ethnicity: String,
    /// 出生日期.
    #[arg(long, default_value = "")]
    pub(crate) birth_date: String,
    /// 身份证号: `-` (LIAISON_ID_NUMBER, else standard input) or `@FILE`, never typed here.
    #[arg(long, default_value = "")]
    pub(crate) id_number: String,
    /// 代表层级.
    #[arg(long)]
    pub(crate) level: String,
    /// 届次.
    #[arg(long)]
    pub(crate) term: String,
    /// 代表团/选区.
    #[arg(long, default_value = "")]
    pub(crate) delegation: String,
    /// 所属区域.
    #[arg(long)]
    pub(crate) region: String,
    /// 工作单位.
    #[arg(long, default_value = "")]
    pub(crate) work_unit: String,
    /// 职务.
    #[arg(long, default_value = "")]
    pub(crate) position: String,
    /// 手机: `-` (LIAISON_MOBILE, else standard input) or `@FILE`, never typed here.
    #[arg(long, default_value = "")]
    pub(crate) mobile: String,
    /// 固定电话: `-` (LIAISON_LANDLINE, else standard input) or `@FILE`, never typed here.
    #[arg(long, default_value = "")]
    pub(crate) landline: String,
    /// 通讯地址: `-` (LIAISON_ADDRESS, else standard input) or `@FILE`, never typed here.
    #[arg(long, default_value = "")]
    pub(crate) address: String,
    /// 电子邮箱: `-` (LIAISON_EMAIL, else standard input) or `@FILE`, never typed here.
    #[arg(long, default_value = "")]
    pub(crate) email: String,
    /// 特殊身份 (、-separated).
    #[arg(long, default_value = "")]
    pub(crate) special_roles: String,
    /// 任期开始.
    #[arg(long)]
    pub(crate) term_start: String,
    /// 任期结束.
    #[arg(long, default_value = "")]
    pub(crate) term_end: String,
}

/// Changes as flags.
#[derive(Debug, Args)]
pub(crate) struct PatchFields {
    #[arg(long)]
    pub(crate) name: Option<String>,
    #[arg(long)]
    pub(crate) ethnicity: Option<String>,
    #[arg(long)]
    pub(crate) delegation: Option<String>,
    #[arg(long)]
    pub(crate) region: Option<String>,
    #[arg(long)]
    pub(crate) work_unit: Option<String>,
    #[arg(long)]
    pub(crate) position: Option<String>,
    /// 手机: `-` (LIAISON_MOBILE, else standard input) or `@FILE`, never typed here.
    #[arg(long)]
    pub(crate) mobile: Option<String>,
    /// 固定电话: `-` (LIAISON_LANDLINE, else standard input) or `@FILE`, never typed here.
    #[arg(long)]
    pub(crate) landline: Option<String>,
    /// 通讯地址: `-` (LIAISON_ADDRESS, else standard input) or `@FILE`, never typed here.
    #[arg(long)]
    pub(crate) address: Option<String>,
    /// 电子邮箱: `-` (LIAISON_EMAIL, else standard input) or `@FILE`, never typed here.
    #[arg(long)]
    pub(crate) email: Option<String>,
    #[arg(long)]
    pub(crate) special_roles: Option<String>,
    #[arg(long)]
    pub(crate) term_end: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum OrgCmd {
    /// Show the organisation.
    Show,
    /// Add a region of the jurisdiction.
    AddRegion { name: String },
    /// Add a leadership member.
    AddLeader {
        name: String,
        #[arg(long)]
        title: Option<String>,
    },
    /// Make a leader answer for a region (包片); without a leader, clear it.
    SetRegionLeader { region: String, leader: Option<String> },
    /// Add a department.
    AddDepartment { name: String },
    /// Pair a department with a delegation (对口).
    Pair { department: String, delegation: String },
    /// Let a department serve a region in automatic assignment.
    AddDepartmentRegion { department: String, region: String },
    /// Add a liaison officer.
    AddOfficer {
        name: String,
        #[arg(long)]
        department: Option<String>,
        /// A region the officer covers (repeat for several).
        #[arg(long = "region")]
        regions: Vec<String>,
    },
    /// An officer stops liaison work.
    DeactivateOfficer { officer: String },
}

#[derive(Debug, Args)]
pub(crate) struct AssignArgs {
    /// Deputy id (not with --auto).
    #[arg(required_unless_present = "auto", conflicts_with = "auto")]
    pub(crate) deputy: Option<String>,
    /// Officer name or id ("" clears).
    #[arg(long)]
    pub(crate) officer: Option<String>,
    /// Department name or id ("" clears).
    #[arg(long)]
    pub(crate) department: Option<String>,
    /// Fill every gap automatically, keeping regions and balancing loads.
    #[arg(long)]
    pub(crate) auto: bool,
    /// With --auto: report only, write nothing.
    #[arg(long, requires = "auto")]
    pub(crate) dry_run: bool,
    /// Refuse if the deputy is no longer at this version.
    #[arg(long)]
    pub(crate) expect_version: Option<u64>,
    /// Why.
    #[arg(long)]
    pub(crate) reason: Option<String>,
}
