//! The OpenAPI 3.1 document, generated from the handlers and the wire types.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

struct Bearer;

/// Every operation may fail for the system's sake rather than the request's (issue 13, item 4): 503 with
/// `Retry-After` (`store.busy`, `store.unavailable`, `store.damaged`) or 507 (`store.disk_full`); nothing was
/// written and the request may be sent again. Declared on each operation so generated clients know them.
struct Outages;

impl Modify for Outages {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder, header::HeaderBuilder};
        let problem = || ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build();
        let unavailable = ResponseBuilder::new()
            .description(
                "The database is busy, unreachable or damaged (`store.busy`, `store.unavailable`, \
                 `store.damaged`): nothing was written; retry after `Retry-After` seconds",
            )
            .header(
                "Retry-After",
                HeaderBuilder::new()
                    .schema(utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::Type::Integer))
                    .description(Some("Seconds to wait before retrying"))
                    .build(),
            )
            .content("application/problem+json", problem())
            .build();
        let full = ResponseBuilder::new()
            .description("No space left for the database (`store.disk_full`): nothing was written")
            .content("application/problem+json", problem())
            .build();
        let limited = ResponseBuilder::new()
            .description(
                "Too many requests from this client address or account, or too many failed authentications \
                 (`rate.limited`), or — a deputy's full card — more full views by this account than the limit \
                 allows in its window (`personal_data.bulk_viewing`, the security administrator alerted): \
                 retry after `Retry-After` seconds",
            )
            .header(
                "Retry-After",
                HeaderBuilder::new()
                    .schema(utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::Type::Integer))
                    .description(Some("Seconds to wait before retrying"))
                    .build(),
            )
            .content("application/problem+json", problem())
            .build();
        for item in doc.paths.paths.values_mut() {
            for op in [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete]
                .into_iter()
                .flatten()
            {
                op.responses.responses.entry("503".into()).or_insert_with(|| unavailable.clone().into());
                op.responses.responses.entry("507".into()).or_insert_with(|| full.clone().into());
                op.responses.responses.entry("429".into()).or_insert_with(|| limited.clone().into());
            }
        }
    }
}

/// Each operation's actions (`x-liaison-actions`, codes of the role × action table) and the roles that
/// hold one (`x-liaison-roles`), from the routes' declarations (`access::operations`): what an integrator's account needs, and what
/// the test that walks every operation with every role checks. A public operation has neither.
struct Access;

impl Modify for Access {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::extensions::ExtensionsBuilder;
        for (path, item) in doc.paths.paths.iter_mut() {
            for (method, op) in [
                ("get", &mut item.get),
                ("post", &mut item.post),
                ("put", &mut item.put),
                ("patch", &mut item.patch),
                ("delete", &mut item.delete),
            ] {
                let Some(op) = op.as_mut() else { continue };
                let (actions, roles): (Vec<&str>, Vec<&str>) = match crate::access::need(method, path) {
                    Some(crate::access::Need::Any(a)) => (
                        a.iter().map(|x| x.code()).collect(),
                        liaison_core::access::Role::ALL
                            .iter()
                            .filter(|r| a.iter().any(|x| liaison_core::access::allows(**r, *x)))
                            .map(|r| r.code())
                            .collect(),
                    ),
                    Some(crate::access::Need::Account) => {
                        (vec![], liaison_core::access::Role::ALL.iter().map(|r| r.code()).collect())
                    }
                    _ => continue,
                };
                let ext = ExtensionsBuilder::new()
                    .add("x-liaison-actions", serde_json::json!(actions))
                    .add("x-liaison-roles", serde_json::json!(roles))
                    .build();
                match op.extensions.as_mut() {
                    Some(e) => e.merge(ext),
                    None => op.extensions = Some(ext),
                }
            }
        }
    }
}

/// A tuple (a fixed-length JSON array: a date with its text, a level with its counts) is written by utoipa
/// as `prefixItems` with `items: false` (JSON Schema 2020-12), which client generators (openapi-python-client)
/// cannot read. The same constraint, said their way: `items` any of the tuple's element schemas and
/// `minItems` = `maxItems` = its length, `prefixItems` kept for the order.
struct Tuples;

impl Modify for Tuples {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        for s in doc.components.iter_mut().flat_map(|c| c.schemas.values_mut()) {
            tuples_in(s);
        }
    }
}

/// A struct that flattens a tagged enum into itself (`#[serde(flatten)]`: the draw record's seed promise)
/// is written by utoipa as `allOf` the enum's `oneOf` and the struct's own fields, which client generators
/// cannot read ("cannot take allOf a non-object"). The same shape, said their way: `oneOf` each variant
/// `allOf` the struct's own fields.
struct Flattened;

impl Modify for Flattened {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::RefOr;
        use utoipa::openapi::schema::{AllOf, OneOf, Schema};
        let Some(c) = doc.components.as_mut() else { return };
        let enums: std::collections::BTreeMap<String, OneOf> = c
            .schemas
            .iter()
            .filter_map(|(name, s)| match s {
                RefOr::T(Schema::OneOf(o)) => Some((format!("#/components/schemas/{name}"), o.clone())),
                _ => None,
            })
            .collect();
        for s in c.schemas.values_mut() {
            let RefOr::T(Schema::AllOf(all)) = s else { continue };
            let found = all.items.iter().enumerate().find_map(|(i, x)| match x {
                RefOr::Ref(r) => enums.get(&r.ref_location).map(|e| (i, e)),
                RefOr::T(_) => None,
            });
            let Some((i, variants)) = found else { continue };
            let own: Vec<_> =
                all.items.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, x)| x.clone()).collect();
            let mut one = OneOf::new();
            one.description = all.description.clone();
            one.items = variants
                .items
                .iter()
                .map(|v| {
                    let mut each = AllOf::new();
                    each.items = std::iter::once(v.clone()).chain(own.iter().cloned()).collect();
                    Schema::AllOf(each).into()
                })
                .collect();
            *s = RefOr::T(Schema::OneOf(one));
        }
    }
}

/// The schemas written the way client generators read them (`Tuples`, `Flattened`); the same JSON is valid.
pub(crate) fn for_generators(doc: &mut utoipa::openapi::OpenApi) {
    Flattened.modify(doc);
    Tuples.modify(doc);
}

fn tuples_in(s: &mut utoipa::openapi::RefOr<utoipa::openapi::Schema>) {
    if let utoipa::openapi::RefOr::T(s) = s {
        tuples(s);
    }
}

fn tuples(s: &mut utoipa::openapi::Schema) {
    use utoipa::openapi::schema::{AdditionalProperties, AnyOf, ArrayItems, Schema};
    match s {
        Schema::Array(a) => {
            a.prefix_items.iter_mut().for_each(tuples);
            match &mut a.items {
                ArrayItems::RefOrSchema(items) => tuples_in(items),
                ArrayItems::False if !a.prefix_items.is_empty() => {
                    let mut each: Vec<Schema> = Vec::new();
                    for p in &a.prefix_items {
                        if !each.contains(p) {
                            each.push(p.clone());
                        }
                    }
                    let items = match <[Schema; 1]>::try_from(each) {
                        Ok([one]) => one,
                        Err(each) => {
                            let mut any = AnyOf::new();
                            any.items = each.into_iter().map(Into::into).collect();
                            Schema::AnyOf(any)
                        }
                    };
                    a.items = ArrayItems::RefOrSchema(Box::new(items.into()));
                    a.min_items = Some(a.prefix_items.len());
                    a.max_items = Some(a.prefix_items.len());
                }
                ArrayItems::False => {}
            }
        }
        Schema::Object(o) => {
            o.properties.values_mut().for_each(tuples_in);
            if let Some(AdditionalProperties::RefOr(r)) = o.additional_properties.as_deref_mut() {
                tuples_in(r);
            }
        }
        Schema::OneOf(x) => x.items.iter_mut().for_each(tuples_in),
        Schema::AllOf(x) => x.items.iter_mut().for_each(tuples_in),
        Schema::AnyOf(x) => x.items.iter_mut().for_each(tuples_in),
        _ => {}
    }
}

impl Modify for Bearer {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let c = doc.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// What the API document says globally: its info, security scheme, tags and shared schemas. Its paths come
/// from the routes themselves (`routes::api`); `document` puts the two together.
#[derive(OpenApi)]
#[openapi(
    info(title = "liaison API", description = "人大代表联络工作平台 — the deputy-liaison platform of a people's procuratorate. \
        Errors are RFC 9457 problems (application/problem+json) with a stable `code`. Changes require `If-Match` with \
        the `ETag` read, compared strongly (412 stale or weak `W/`, 428 missing). Creates accept `Idempotency-Key`, the caller's own for one operation \
        (another account's or another operation's use of the same key is another request). Lists page with `cursor`. \
        Any operation may answer 503 (with `Retry-After`) or 507 when the database, not the request, fails: nothing was \
        written, and the same request (with the same `Idempotency-Key`) may be sent again."),
    components(schemas(
        crate::problem::Problem,
        crate::problem::ProblemField,
        liaison_app::import::RowError,
        liaison_app::import::Encoding,
        liaison_app::import::FileFormat,
        liaison_app::import::OnDuplicate,
    )),
    modifiers(&Bearer),
    tags((name = "deputies", description = "代表登记簿 (C1, P1.1)"), (name = "liaison", description = "对应联络 (C2)"),
        (name = "identity", description = "Users and tokens"),
        (name = "suggestions", description = "代表建议办理 (R1, P1.3): the workflow, deadlines, figures, improvement measures"),
        (name = "drafts", description = "代表联名建议草稿 (issue 17 item 7): a deputy drafts a joint suggestion, co-signers confirm, the lead files it online"),
        (name = "reports", description = "年度报告 (issue 18): the annual report in JSON, HTML, XLSX and CSV"),
        (name = "feedback", description = "A deputy's one-use feedback link (no login)"),
        (name = "publications", description = "Answers published to the deputies as a body, rated apart (R1b)"),
        (name = "channels", description = "联络热线、联络卡 (C1), 服务保障 (G3), 征求意见 (C4)"),
        (name = "appointments", description = "互动约见 (C3)"),
        (name = "budget", description = "经费保障 (G2): the annual budget in fen, expenses, appropriations"),
        (name = "activities", description = "活动平台 (C4): activities, the verifiable lottery or rotation, fairness"),
        (name = "rights", description = "代表权利保障 (G1): the criminal-procedure protection check"),
        (name = "reviews", description = "重大案件评议 (R4) and the verifiable lottery"),
        (name = "commendation", description = "奖励 (R6): contributions with evidence, nominations"),
        (name = "notices", description = "重大事项通报 (R2): major-matter notices"),
        (name = "deliberations", description = "列席审议: the deliberation of the work report at a congress session (C4)"), (name = "audit", description = "Audit chain"),
        (name = "messages", description = "消息 (issue 17): the delivery of outgoing messages and one's own inbox")),
)]
pub struct ApiDoc;

/// The API document: the global part (`ApiDoc`) with the paths of every route declared in `routes::api`,
/// each operation given its outage responses and its access extensions.
pub fn document() -> utoipa::openapi::OpenApi {
    finish(crate::routes::api(crate::Limits::default()).router.into_openapi())
}

/// The document of a router's routes, completed: the global part merged in, then each operation's
/// outage responses and access extensions, and the schemas written so that client generators read them.
pub(crate) fn finish(paths: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(paths);
    Outages.modify(&mut doc);
    Access.modify(&mut doc);
    for_generators(&mut doc);
    doc
}

/// A new deputy as text: the same fields as a row of an import file (the core's `DeputyInput`; it lives in
/// the pure core, which does not depend on utoipa, so its schema is described here and a test keeps the two
/// in step). Required: name, level, term, region, term_start, and gender unless id_number is given.
#[derive(utoipa::ToSchema)]
#[schema(as = DeputyInput)]
#[allow(dead_code)]
pub(crate) struct DeputyInputDoc {
    /// 姓名.
    name: String,
    /// 性别: 男/女.
    gender: Option<String>,
    /// 民族.
    ethnicity: Option<String>,
    /// 出生日期 (YYYY-MM-DD).
    birth_date: Option<String>,
    /// 身份证号 (18 characters).
    id_number: Option<String>,
    /// 代表层级: national/provincial/city/county/township or 全国/省/市/县/乡.
    level: String,
    /// 届次: 16, 第十六届.
    term: String,
    /// 代表团/选区.
    delegation: Option<String>,
    /// 所属区域.
    region: String,
    /// 工作单位.
    work_unit: Option<String>,
    /// 职务.
    position: Option<String>,
    /// 手机.
    mobile: Option<String>,
    /// 固定电话.
    landline: Option<String>,
    /// 通讯地址.
    address: Option<String>,
    /// 电子邮箱.
    email: Option<String>,
    /// 特殊身份, separated by 、.
    special_roles: Option<String>,
    /// 任期开始 (YYYY-MM-DD).
    term_start: String,
    /// 任期结束 (YYYY-MM-DD).
    term_end: Option<String>,
}
