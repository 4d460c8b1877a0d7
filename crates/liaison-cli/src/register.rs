//! The register's and the organisation's commands: import, list, show and change deputies (personal values
//! never from the command line), the organisation's structure, and assignment by hand or automatic.

use std::sync::Arc;

use liaison_app::import::{Encoding, FileFormat, ImportOptions, OnDuplicate};
use liaison_app::refresh::RefreshOptions;
use liaison_app::registry_input::DeputyPatchInput;
use liaison_app::{App, AppError, DeputyFilter, OrgInput, Principal};
use liaison_core::registry::{DeputyInput, RemovalReason};

use crate::args::*;
use crate::input::{date, deputy_id, read_error};
use crate::output::{self, Format};
use crate::secrets;

pub(crate) fn deputy(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &DeputyCmd,
) -> anyhow::Result<()> {
    match cmd {
        DeputyCmd::Import {
            file,
            encoding,
            file_format,
            dry_run,
            on_duplicate,
            refresh,
            end_absent,
            ended_on,
        } => {
            let refresh = RefreshOptions::from_flags(*refresh, *end_absent, ended_on.as_deref())?;
            let bytes = std::fs::read(file).map_err(|e| read_error(file, &e))?;
            let opts = ImportOptions {
                format: file_format.map(|f| match f {
                    FileFormatArg::Csv => FileFormat::Csv,
                    FileFormatArg::Xlsx => FileFormat::Xlsx,
                }),
                encoding: encoding.map(|e| match e {
                    EncodingArg::Utf8 => Encoding::Utf8,
                    EncodingArg::Gbk => Encoding::Gbk,
                }),
                dry_run: *dry_run,
                on_duplicate: match on_duplicate {
                    OnDuplicateArg::Refuse => OnDuplicate::Refuse,
                    OnDuplicateArg::Update => OnDuplicate::Update,
                },
                refresh,
            };
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} 导入 {bar:40} {percent}%（核对，再分批写入；剩余 {eta}）",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            let b2 = bar.clone();
            let progress: liaison_app::import::Progress = Arc::new(move |done, total| {
                b2.set_length(total);
                b2.set_position(done);
            });
            let r = rt.block_on(app.import_deputies(p, &bytes, &opts, Some(progress)));
            bar.finish_and_clear();
            output::import_report(fmt, &r?, file)
        }
        DeputyCmd::List { level, status, region, search, limit, cursor, all } => {
            let filter = DeputyFilter {
                level: level.clone(),
                status: status.clone(),
                region: region.clone(),
                officer: None,
                q: search.clone(),
            };
            let mut page = app.deputies(p, &filter, cursor.as_deref(), *limit)?;
            let mut items = std::mem::take(&mut page.items);
            while *all && let Some(c) = page.next_cursor.take() {
                page = app.deputies(p, &filter, Some(&c), *limit)?;
                items.append(&mut page.items);
            }
            output::list(fmt, &items)?;
            if let Some(c) = page.next_cursor
                && fmt == Format::Table
            {
                eprintln!("下一页：--cursor {c}");
            }
            Ok(())
        }
        DeputyCmd::Show { id, full, reason } => {
            let id = deputy_id(id)?;
            if *full {
                output::object_named(
                    fmt,
                    &rt.block_on(app.deputy_full(p, id, reason.clone()))?,
                    &org_names(app, p),
                )
            } else {
                output::object_named(fmt, &app.deputy(p, id)?, &org_names(app, p))
            }
        }
        DeputyCmd::Add(f) => {
            // Personal values from the environment, a file or standard input, in `secrets::FIELDS` order.
            let [id_number, mobile, landline, address, email] = &secrets::FIELDS;
            let personal =
                |(flag, zh, env): &(&str, &str, &str), v: &str| secrets::personal(flag, zh, env, v);
            let id_number = personal(id_number, &f.id_number)?;
            let mobile = personal(mobile, &f.mobile)?;
            let landline = personal(landline, &f.landline)?;
            let address = personal(address, &f.address)?;
            let email = personal(email, &f.email)?;
            let input = DeputyInput {
                name: f.name.clone(),
                gender: f.gender.clone(),
                ethnicity: f.ethnicity.clone(),
                birth_date: f.birth_date.clone(),
                id_number,
                level: f.level.clone(),
                term: f.term.clone(),
                delegation: f.delegation.clone(),
                region: f.region.clone(),
                work_unit: f.work_unit.clone(),
                position: f.position.clone(),
                mobile,
                landline,
                address,
                email,
                special_roles: f.special_roles.clone(),
                term_start: f.term_start.clone(),
                term_end: f.term_end.clone(),
            };
            output::object_named(
                fmt,
                &rt.block_on(app.register_deputy(p, input, None, None))?,
                &org_names(app, p),
            )
        }
        DeputyCmd::Update { id, patch, expect_version, reason } => {
            let personal = |(flag, zh, env): &(&str, &str, &str), v: Option<&String>| {
                secrets::personal_opt(flag, zh, env, v)
            };
            let input = DeputyPatchInput {
                name: patch.name.clone(),
                ethnicity: patch.ethnicity.clone(),
                delegation: patch.delegation.clone(),
                region: patch.region.clone(),
                work_unit: patch.work_unit.clone(),
                position: patch.position.clone(),
                mobile: personal(&secrets::FIELDS[1], patch.mobile.as_ref())?,
                landline: personal(&secrets::FIELDS[2], patch.landline.as_ref())?,
                address: personal(&secrets::FIELDS[3], patch.address.as_ref())?,
                email: personal(&secrets::FIELDS[4], patch.email.as_ref())?,
                special_roles: patch.special_roles.clone(),
                term_end: patch.term_end.clone(),
            };
            output::object_named(
                fmt,
                &rt.block_on(app.update_deputy(p, deputy_id(id)?, *expect_version, &input, reason.clone()))?,
                &org_names(app, p),
            )
        }
        DeputyCmd::EndTerm { id, date: d, expect_version, reason } => {
            let d = date("date", d)?;
            output::object_named(
                fmt,
                &rt.block_on(app.end_term(p, deputy_id(id)?, *expect_version, d, reason.clone()))?,
                &org_names(app, p),
            )
        }
        DeputyCmd::Remove { id, date: d, why, reason, expect_version } => {
            let d = date("date", d)?;
            let why = RemovalReason::parse(why)
                .map_err(|e| AppError::Invalid(vec![liaison_core::FieldError::new("why", &e)]))?;
            output::object_named(
                fmt,
                &rt.block_on(app.remove_deputy(
                    p,
                    deputy_id(id)?,
                    *expect_version,
                    d,
                    why,
                    Some(reason.clone()),
                ))?,
                &org_names(app, p),
            )
        }
        DeputyCmd::History { id } => {
            let h = app.deputy_history(p, deputy_id(id)?)?;
            if fmt == Format::Json { output::object(fmt, &h) } else { output::list(fmt, &h) }
        }
    }
}

/// The names of the organisation's officers, leaders and departments by id, so that a deputy's officer and
/// department are shown by name (nothing when the organisation cannot be read).
pub(crate) fn org_names(app: &App, p: &Principal) -> Vec<(String, String)> {
    let Ok(o) = app.organisation(p) else { return Vec::new() };
    let officers = o.officers.iter().map(|x| (x.id.to_string(), x.name.clone()));
    let leaders = o.leaders.iter().map(|x| (x.id.to_string(), x.name.clone()));
    let departments = o.departments.iter().map(|x| (x.id.to_string(), x.name.clone()));
    officers.chain(leaders).chain(departments).collect()
}

/// `liaison org`: show the organisation, or change its regions, leaders, departments and officers.
pub(crate) fn org(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &OrgCmd,
) -> anyhow::Result<()> {
    let input = match cmd {
        OrgCmd::Show => return output::object(fmt, &app.organisation(p)?),
        OrgCmd::AddRegion { name } => OrgInput::AddRegion { name: name.clone() },
        OrgCmd::AddLeader { name, title } => OrgInput::AddLeader { name: name.clone(), title: title.clone() },
        OrgCmd::SetRegionLeader { region, leader } => {
            OrgInput::SetRegionLeader { region: region.clone(), leader: leader.clone() }
        }
        OrgCmd::AddDepartment { name } => OrgInput::AddDepartment { name: name.clone() },
        OrgCmd::Pair { department, delegation } => {
            OrgInput::PairDelegation { department: department.clone(), delegation: delegation.clone() }
        }
        OrgCmd::AddDepartmentRegion { department, region } => {
            OrgInput::AddDepartmentRegion { department: department.clone(), region: region.clone() }
        }
        OrgCmd::AddOfficer { name, department, regions } => OrgInput::AddOfficer {
            name: name.clone(),
            department: department.clone(),
            regions: regions.clone(),
        },
        OrgCmd::DeactivateOfficer { officer } => OrgInput::DeactivateOfficer { officer: officer.clone() },
    };
    let org = rt.block_on(app.change_organisation(p, input, None, None))?;
    if fmt == Format::Table {
        println!(
            "已更新（版本 {}）：{} 个区域，{} 名院领导，{} 个部门，{} 名联络员。",
            org.version,
            org.regions.len(),
            org.leaders.len(),
            org.departments.len(),
            org.officers.len()
        );
        Ok(())
    } else {
        output::object(fmt, &org)
    }
}

/// `liaison assign`: a deputy's officer and department by hand, or every gap filled automatically.
pub(crate) fn assign(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    a: &AssignArgs,
) -> anyhow::Result<()> {
    if a.auto {
        let r = rt.block_on(app.auto_assign(p, a.dry_run, a.reason.clone()))?;
        if fmt == Format::Table {
            println!(
                "{}分配联络员 {} 人（其中 {} 人所在区域无联络员，已分配给其他区域），对口部门 {} 人；仍无联络员 {} 人，仍无部门 {} 人。",
                if r.dry_run { "试运行，未写入：将" } else { "已" },
                r.officers_assigned,
                r.officers_outside_region,
                r.departments_assigned,
                r.without_officer,
                r.without_department
            );
            println!("联络员负担：{} 名联络员，最多 {} 人，最少 {} 人。", r.officers, r.max_load, r.min_load);
            return Ok(());
        }
        return output::object(fmt, &r);
    }
    let id = deputy_id(a.deputy.as_deref().unwrap_or_default())?;
    let d = rt.block_on(app.assign(
        p,
        id,
        a.officer.clone(),
        a.department.clone(),
        a.expect_version,
        a.reason.clone(),
    ))?;
    output::object_named(fmt, &d, &org_names(app, p))
}
