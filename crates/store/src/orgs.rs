//! Organisations: the tree by materialized path, and the subtree counters kept with it.

use crate::StoreError;
use crate::db::{Exec, dynamic_sql, placeholders, sql};
use chibo_domain::collation;
use chibo_domain::life::{Link, Tally};
use chibo_domain::org::{Locality, OrgInput, OrgKind};
use chibo_domain::path;
use serde::Serialize;
use std::collections::HashMap;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Counts over an organisation's whole subtree, maintained in the same transaction as every
/// change to the records they count ([`add_stats`]); [`recount`] checks them against the rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OrgStats {
    pub members: i64,
    pub official: i64,
    pub probationary: i64,
    pub female: i64,
    /// Members of an ethnic minority (any group but Kinh).
    pub minority: i64,
    /// Cells not dissolved.
    pub cells: i64,
}

impl OrgStats {
    pub fn negate(self) -> OrgStats {
        OrgStats {
            members: -self.members,
            official: -self.official,
            probationary: -self.probationary,
            female: -self.female,
            minority: -self.minority,
            cells: -self.cells,
        }
    }
    pub fn plus(self, o: OrgStats) -> OrgStats {
        OrgStats {
            members: self.members + o.members,
            official: self.official + o.official,
            probationary: self.probationary + o.probationary,
            female: self.female + o.female,
            minority: self.minority + o.minority,
            cells: self.cells + o.cells,
        }
    }
    pub fn is_zero(&self) -> bool {
        *self == OrgStats::default()
    }
}

/// A party organisation as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Org {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub path: String,
    pub depth: i64,
    pub next_child: i64,
    pub input: OrgInput,
    pub stats: OrgStats,
    pub updated_at: OffsetDateTime,
}

impl Org {
    pub fn kind(&self) -> OrgKind {
        self.input.kind
    }
    pub fn is_dissolved(&self) -> bool {
        self.input.dissolved_on.is_some()
    }
}

#[derive(sqlx::FromRow)]
struct OrgRow {
    id: Uuid,
    parent_id: Option<Uuid>,
    path: String,
    depth: i64,
    next_child: i64,
    kind: String,
    name: String,
    short_name: Option<String>,
    province_code: Option<i64>,
    commune_code: Option<i64>,
    village: Option<String>,
    established_on: Option<Date>,
    dissolved_on: Option<Date>,
    has_cell_committee: bool,
    member_count: i64,
    official_count: i64,
    probationary_count: i64,
    female_count: i64,
    minority_count: i64,
    cell_count: i64,
    updated_at: OffsetDateTime,
}

const COLUMNS: &str = "id, parent_id, path, depth, next_child, kind, name, short_name, province_code, commune_code, village, \
     established_on, dissolved_on, has_cell_committee, member_count, official_count, probationary_count, female_count, \
     minority_count, cell_count, updated_at";

impl TryFrom<OrgRow> for Org {
    type Error = StoreError;
    fn try_from(r: OrgRow) -> Result<Org, StoreError> {
        let kind =
            OrgKind::parse(&r.kind).ok_or_else(|| StoreError::Corrupt(format!("org {} kind {}", r.id, r.kind)))?;
        Ok(Org {
            id: r.id,
            parent_id: r.parent_id,
            path: r.path,
            depth: r.depth,
            next_child: r.next_child,
            input: OrgInput {
                name: r.name,
                short_name: r.short_name,
                kind,
                locality: Locality {
                    province_code: r.province_code.map(|c| c as i32),
                    commune_code: r.commune_code.map(|c| c as i32),
                    village: r.village,
                },
                established_on: r.established_on,
                dissolved_on: r.dissolved_on,
                has_cell_committee: r.has_cell_committee,
            },
            stats: OrgStats {
                members: r.member_count,
                official: r.official_count,
                probationary: r.probationary_count,
                female: r.female_count,
                minority: r.minority_count,
                cells: r.cell_count,
            },
            updated_at: r.updated_at,
        })
    }
}

fn convert(rows: Vec<OrgRow>) -> Result<Vec<Org>, StoreError> {
    rows.into_iter().map(Org::try_from).collect()
}

/// Sort organisations by name in Vietnamese order.
pub fn sort_by_name(orgs: &mut [Org]) {
    orgs.sort_by_cached_key(|o| collation::sort_key("", "", &o.input.name));
}

pub async fn by_id(e: &mut impl Exec, id: Uuid) -> Result<Option<Org>, StoreError> {
    let q = dynamic_sql(format!("SELECT {COLUMNS} FROM orgs WHERE id = $1")).bind(id);
    q.fetch_optional::<OrgRow>(e).await?.map(Org::try_from).transpose()
}

/// The `n` active cells with the most members (load tests pick where a busy office works).
pub async fn largest_cells(e: &mut impl Exec, n: i64) -> Result<Vec<Org>, StoreError> {
    let q = dynamic_sql(format!(
        "SELECT {COLUMNS} FROM orgs WHERE kind IN ('base_cell', 'subordinate_cell') AND dissolved_on IS NULL \
         ORDER BY member_count DESC, id LIMIT {}",
        n.clamp(1, 1000)
    ));
    q.fetch_all::<OrgRow>(e).await?.into_iter().map(Org::try_from).collect()
}

/// The organisations of a subtree that are not dissolved, its root included, in path order
/// (import matches cells by name among them; export names each member's cell).
pub async fn active_in_subtree(e: &mut impl Exec, root_path: &str) -> Result<Vec<Org>, StoreError> {
    let q = dynamic_sql(format!(
        "SELECT {COLUMNS} FROM orgs WHERE path >= $1 AND path < $2 AND dissolved_on IS NULL ORDER BY path"
    ))
    .bind(root_path.to_string())
    .bind(path::subtree_end(root_path));
    convert(q.fetch_all(e).await?)
}

/// Organisations by id, in no particular order.
pub async fn by_ids(e: &mut impl Exec, ids: &[Uuid]) -> Result<Vec<Org>, StoreError> {
    // Each once (callers pass one per member), 500 a query: within both engines' limits on
    // parameters (SQLite 32,766) whatever the list.
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let mut q = dynamic_sql(format!("SELECT {COLUMNS} FROM orgs WHERE id IN ({})", placeholders(1, chunk.len())));
        for id in chunk {
            q.push_arg(*id);
        }
        out.extend(convert(q.fetch_all(e).await?)?);
    }
    Ok(out)
}

/// The roots of the stored forest.
pub async fn roots(e: &mut impl Exec) -> Result<Vec<Org>, StoreError> {
    let mut v =
        convert(dynamic_sql(format!("SELECT {COLUMNS} FROM orgs WHERE parent_id IS NULL")).fetch_all(e).await?)?;
    sort_by_name(&mut v);
    Ok(v)
}

/// Direct children, dissolved ones included if asked, sorted by name.
pub async fn children(e: &mut impl Exec, parent: Uuid, include_dissolved: bool) -> Result<Vec<Org>, StoreError> {
    let filter = if include_dissolved { "" } else { " AND dissolved_on IS NULL" };
    let q = dynamic_sql(format!("SELECT {COLUMNS} FROM orgs WHERE parent_id = $1{filter}")).bind(parent);
    let mut v = convert(q.fetch_all(e).await?)?;
    sort_by_name(&mut v);
    Ok(v)
}

/// The ancestors of a path, root first.
pub async fn ancestors(e: &mut impl Exec, of_path: &str) -> Result<Vec<Org>, StoreError> {
    let paths = path::ancestors(of_path);
    if paths.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = dynamic_sql(format!(
        "SELECT {COLUMNS} FROM orgs WHERE path IN ({}) ORDER BY depth",
        placeholders(1, paths.len())
    ));
    for p in paths {
        q.push_arg(p);
    }
    convert(q.fetch_all(e).await?)
}

/// Organisations whose name matches every term, inside any of the given subtrees.
pub async fn search(e: &mut impl Exec, within: &[&str], terms: &[String], limit: i64) -> Result<Vec<Org>, StoreError> {
    if within.is_empty() || terms.is_empty() {
        return Ok(Vec::new());
    }
    let mut text = format!("SELECT {COLUMNS} FROM orgs WHERE (");
    let mut args: Vec<String> = Vec::new();
    for (i, root) in within.iter().enumerate() {
        if i > 0 {
            text.push_str(" OR ");
        }
        text.push_str(&format!("(path >= ${} AND path < ${})", args.len() + 1, args.len() + 2));
        args.push(root.to_string());
        args.push(path::subtree_end(root));
    }
    text.push(')');
    for t in terms {
        text.push_str(&format!(" AND (' ' || name_search) LIKE ${}", args.len() + 1));
        args.push(collation::like_pattern(t));
    }
    text.push_str(&format!(" ORDER BY depth, path LIMIT {}", limit.clamp(1, 200)));
    let mut q = dynamic_sql(text);
    for a in args {
        q.push_arg(a);
    }
    convert(q.fetch_all(e).await?)
}

/// Reserve the path of a new child under `parent` (increments the parent's child counter).
pub async fn allocate_child_path(e: &mut impl Exec, parent: &Org) -> Result<String, StoreError> {
    let n = sql("UPDATE orgs SET next_child = next_child + 1 WHERE id = $1").bind(parent.id).execute(e).await?;
    if n != 1 {
        return Err(StoreError::NotFound);
    }
    let next = sql("SELECT next_child FROM orgs WHERE id = $1").bind(parent.id).fetch_i64(e).await?;
    let seg = path::segment((next - 1) as u32).ok_or_else(|| StoreError::Corrupt("too many children".into()))?;
    Ok(format!("{}{seg}", parent.path))
}

/// A new organisation at a known path (from [`allocate_child_path`], or a root segment).
pub struct NewOrg<'a> {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub path: &'a str,
    pub next_child: i64,
    pub input: &'a OrgInput,
}

const INSERT_COLUMNS: &str = "id, parent_id, path, depth, next_child, kind, name, short_name, name_search, province_code, \
     commune_code, village, established_on, dissolved_on, has_cell_committee, cell_count, created_at, updated_at";
const INSERT_WIDTH: usize = 18;

fn push_org(q: &mut crate::db::Sql, o: &NewOrg<'_>, now: OffsetDateTime) {
    let i = o.input;
    let active_cell = i64::from(i.kind.is_cell() && i.dissolved_on.is_none());
    q.push_arg(o.id);
    q.push_arg(o.parent_id);
    q.push_arg(o.path);
    q.push_arg(path::depth(o.path) as i64);
    q.push_arg(o.next_child);
    q.push_arg(i.kind.code());
    q.push_arg(i.name.trim());
    q.push_arg(i.short_name.clone());
    q.push_arg(collation::fold(&i.name));
    q.push_arg(i.locality.province_code);
    q.push_arg(i.locality.commune_code);
    q.push_arg(i.locality.village.clone());
    q.push_arg(i.established_on);
    q.push_arg(i.dissolved_on);
    q.push_arg(i.has_cell_committee);
    q.push_arg(active_cell);
    q.push_arg(now);
    q.push_arg(now);
}

/// Insert one organisation. Its own cell count starts at 1 if it is an active cell; the
/// caller adds that to the ancestors with [`add_stats`].
pub async fn insert(e: &mut impl Exec, o: &NewOrg<'_>) -> Result<(), StoreError> {
    insert_many(e, std::slice::from_ref(o)).await?;
    crate::org_changes::Counted::default().settle(e, crate::org_changes::Which::One(o.id)).await?;
    crate::org_counts::inserted(e, o.path, o.input).await
}

/// Insert many organisations in one statement (parents before children). The kept
/// organisation counts and their changes by month are left to the caller (`org_counts::rebuild`
/// and `org_changes::rebuild` after a bulk load).
pub async fn insert_many(e: &mut impl Exec, orgs: &[NewOrg<'_>]) -> Result<(), StoreError> {
    if orgs.is_empty() {
        return Ok(());
    }
    let rows = crate::db::values_rows(e.engine(), orgs.len(), INSERT_WIDTH);
    let mut q = dynamic_sql(format!("INSERT INTO orgs ({INSERT_COLUMNS}) VALUES {}", rows));
    let now = OffsetDateTime::now_utc();
    for o in orgs {
        push_org(&mut q, o, now);
    }
    q.execute(e).await.map_err(|err| match err {
        StoreError::Db(d) => StoreError::from_unique(d, &["path"]),
        other => other,
    })?;
    // Each organisation's place and name through time start with its first link.
    let links: Vec<Link> = orgs
        .iter()
        .map(|o| Link {
            org_id: o.id,
            parent_id: o.parent_id,
            name: o.input.name.trim().to_string(),
            from: o.input.established_on,
            to: o.input.dissolved_on,
        })
        .collect();
    crate::history::insert_links(e, &links).await
}

/// Replace the editable fields of an organisation (not its place in the tree).
pub async fn update_fields(e: &mut impl Exec, id: Uuid, i: &OrgInput) -> Result<(), StoreError> {
    #[derive(sqlx::FromRow)]
    struct EstablishedRow {
        established_on: Option<Date>,
    }
    let was = sql("SELECT established_on FROM orgs WHERE id = $1").bind(id).fetch_optional::<EstablishedRow>(e).await?;
    crate::org_counts::edited(e, id, i).await?;
    // The village and the dates change what the organisation's places count by month.
    let counted = crate::org_changes::count(e, crate::org_changes::Which::One(id)).await?;
    sql("UPDATE orgs SET name = $2, short_name = $3, name_search = $4, province_code = $5, commune_code = $6, \
         village = $7, established_on = $8, dissolved_on = $9, has_cell_committee = $10, updated_at = $11 WHERE id = $1")
    .bind(id)
    .bind(i.name.trim())
    .bind(i.short_name.clone())
    .bind(collation::fold(&i.name))
    .bind(i.locality.province_code)
    .bind(i.locality.commune_code)
    .bind(i.locality.village.clone())
    .bind(i.established_on)
    .bind(i.dissolved_on)
    .bind(i.has_cell_committee)
    .bind(OffsetDateTime::now_utc())
    .execute(e)
    .await?;
    // A corrected name or dissolution date is the latest link's too (a dated renaming is a
    // restructuring event instead); a corrected date of establishment is the first link's start
    // (the caller checked it with `chibo_domain::org::check_established_on`).
    let moved = was.is_some_and(|w| w.established_on != i.established_on);
    let links = if moved { crate::history::links_of(e, &[id]).await? } else { Vec::new() };
    if let Some(first) = links.iter().min_by_key(|l| l.from) {
        sql("UPDATE org_links SET from_on = $3 WHERE org_id = $1 AND (from_on = $2 OR (from_on IS NULL AND $2 IS NULL))")
            .bind(id)
            .bind(first.from)
            .bind(i.established_on)
            .execute(&mut *e)
            .await?;
    }
    let latest = crate::history::links_of(e, &[id]).await?.into_iter().max_by_key(|l| l.from);
    if let Some(l) = latest {
        sql("UPDATE org_links SET name = $3, to_on = $4 WHERE org_id = $1 AND (from_on = $2 OR (from_on IS NULL AND $2 IS NULL))")
            .bind(id)
            .bind(l.from)
            .bind(i.name.trim())
            .bind(i.dissolved_on)
            .execute(&mut *e)
            .await?;
    }
    counted.settle(e, crate::org_changes::Which::One(id)).await
}

/// Add `delta` to the counters of the organisation at `path` and all its ancestors.
pub async fn add_stats(e: &mut impl Exec, at_path: &str, delta: OrgStats) -> Result<(), StoreError> {
    if delta.is_zero() {
        return Ok(());
    }
    let mut paths = path::ancestors(at_path);
    paths.push(at_path);
    stats_update(delta, &paths).execute(e).await?;
    Ok(())
}

/// Add to the counters the changes of the members at several paths (an import's rows, summed
/// over its batches): spread to every ancestor and summed there first, so each organisation's
/// row is written once.
pub async fn add_stats_summed(e: &mut impl Exec, at: &HashMap<String, OrgStats>) -> Result<(), StoreError> {
    let mut each: std::collections::BTreeMap<&str, OrgStats> = std::collections::BTreeMap::new();
    for (p, delta) in at {
        for q in path::ancestors(p).into_iter().chain([p.as_str()]) {
            let sum = each.entry(q).or_default();
            *sum = sum.plus(*delta);
        }
    }
    for (p, delta) in each.into_iter().filter(|(_, d)| !d.is_zero()) {
        stats_update(delta, &[p]).execute(&mut *e).await?;
    }
    Ok(())
}

/// The statement adding `delta` to the counters of the organisations at `paths`.
fn stats_update(delta: OrgStats, paths: &[&str]) -> crate::db::Sql {
    let mut q = dynamic_sql(format!(
        "UPDATE orgs SET member_count = member_count + $1, official_count = official_count + $2, \
         probationary_count = probationary_count + $3, female_count = female_count + $4, \
         minority_count = minority_count + $5, cell_count = cell_count + $6 WHERE path IN ({})",
        placeholders(7, paths.len())
    ))
    .bind(delta.members)
    .bind(delta.official)
    .bind(delta.probationary)
    .bind(delta.female)
    .bind(delta.minority)
    .bind(delta.cells);
    for p in paths {
        q.push_arg(*p);
    }
    q
}

/// Move the subtree rooted at `org` under `new_parent`: every path in the subtree, the
/// members' paths, and the counters of the old and new ancestors. Returns the new path.
/// The caller checks that the move is allowed (kinds, cycles, rights).
pub async fn move_subtree(e: &mut impl Exec, org: &Org, new_parent: &Org) -> Result<String, StoreError> {
    let old = org.path.clone();
    let new = allocate_child_path(e, new_parent).await?;
    let depth_delta = path::depth(&new) as i64 - path::depth(&old) as i64;
    let keep_from = old.len() as i64 + 1;
    // The counters travel with the subtree: off the old ancestors, onto the new ones.
    let old_parent = path::ancestors(&old).last().map(|p| p.to_string());
    crate::structure_counts::move_subtree(e, org.id, old_parent.as_deref(), &new_parent.path).await?;
    crate::structure_changes::move_subtree(e, &old, old_parent.as_deref(), &new_parent.path).await?;
    crate::org_counts::moved(e, org.id, &old, &new).await?;
    // Every path in the subtree changes: its places count at the keepers above the new place.
    let counted = crate::org_changes::before_move(e, &old, old_parent.as_deref(), &new_parent.path).await?;
    if let Some(p) = old_parent {
        add_stats(e, &p, org.stats.negate()).await?;
    }
    // Positions are inlined: they are lengths of fixed-width paths, and PostgreSQL has no
    // substr(text, bigint).
    dynamic_sql(format!(
        "UPDATE orgs SET path = $1 || substr(path, {keep_from}), depth = depth + $2, updated_at = $5 \
         WHERE path >= $3 AND path < $4"
    ))
    .bind(new.as_str())
    .bind(depth_delta)
    .bind(old.as_str())
    .bind(path::subtree_end(&old))
    .bind(OffsetDateTime::now_utc())
    .execute(e)
    .await?;
    sql("UPDATE orgs SET parent_id = $2 WHERE id = $1").bind(org.id).bind(new_parent.id).execute(e).await?;
    crate::words::move_subtree(e, &old, &new).await?;
    for table in ["members", "audit_log", "candidates"] {
        dynamic_sql(format!(
            "UPDATE {table} SET org_path = $1 || substr(org_path, {keep_from}) WHERE org_path >= $2 AND org_path < $3"
        ))
        .bind(new.as_str())
        .bind(old.as_str())
        .bind(path::subtree_end(&old))
        .execute(e)
        .await?;
    }
    if let Some(counted) = counted {
        counted.settle(e, crate::org_changes::Which::Under(&new)).await?;
    }
    add_stats(e, &new_parent.path, org.stats).await?;
    Ok(new)
}

#[derive(sqlx::FromRow)]
struct OrgShape {
    id: Uuid,
    path: String,
    kind: String,
    dissolved_on: Option<Date>,
}

/// The counters of every organisation recomputed from the member and organisation rows.
pub async fn computed_stats(e: &mut impl Exec) -> Result<Vec<(Uuid, OrgStats)>, StoreError> {
    let direct: Vec<crate::history::OrgTally> = sql("SELECT org_id, COUNT(*) AS members, \
         SUM(CASE WHEN status = 'official' THEN 1 ELSE 0 END) AS official, \
         SUM(CASE WHEN status = 'probationary' THEN 1 ELSE 0 END) AS probationary, \
         SUM(CASE WHEN gender = 'female' THEN 1 ELSE 0 END) AS female, \
         SUM(CASE WHEN ethnicity_code <> 1 THEN 1 ELSE 0 END) AS minority \
         FROM members WHERE status IN ('official', 'probationary') AND transit_org_id IS NULL GROUP BY org_id")
    .fetch_all(e)
    .await?;
    let mut shapes: Vec<OrgShape> = sql("SELECT id, path, kind, dissolved_on FROM orgs").fetch_all(e).await?;
    // Deepest first, so each organisation's total is complete before it is added upward.
    shapes.sort_by(|a, b| b.path.len().cmp(&a.path.len()).then_with(|| a.path.cmp(&b.path)));
    let mut by_path: std::collections::HashMap<String, OrgStats> =
        std::collections::HashMap::with_capacity(shapes.len());
    let by_id: std::collections::HashMap<Uuid, Tally> = direct.iter().map(|d| (d.org_id, d.tally())).collect();
    let mut out = Vec::with_capacity(shapes.len());
    for s in &shapes {
        let own = by_id.get(&s.id).map_or(OrgStats::default(), |d| OrgStats {
            members: d.members,
            official: d.official,
            probationary: d.probationary,
            female: d.female,
            minority: d.minority,
            cells: 0,
        });
        let cell = OrgKind::parse(&s.kind).is_some_and(OrgKind::is_cell) && s.dissolved_on.is_none();
        let own = own.plus(OrgStats { cells: i64::from(cell), ..OrgStats::default() });
        let total = by_path.remove(&s.path).unwrap_or_default().plus(own);
        if let Some(parent) = path::ancestors(&s.path).last() {
            let entry = by_path.entry(parent.to_string()).or_default();
            *entry = entry.plus(total);
        }
        out.push((s.id, total));
    }
    Ok(out)
}

/// Organisations whose stored counters differ from the records: (id, stored, computed).
pub async fn recount(e: &mut impl Exec) -> Result<Vec<(Uuid, OrgStats, OrgStats)>, StoreError> {
    let computed = computed_stats(e).await?;
    let stored: Vec<OrgRow> = dynamic_sql(format!("SELECT {COLUMNS} FROM orgs")).fetch_all(e).await?;
    let stored: std::collections::HashMap<Uuid, OrgStats> =
        convert(stored)?.into_iter().map(|o| (o.id, o.stats)).collect();
    Ok(computed
        .into_iter()
        .filter_map(|(id, c)| {
            let s = stored.get(&id).copied().unwrap_or_default();
            (s != c).then_some((id, s, c))
        })
        .collect())
}

/// Write recomputed counters to every organisation (after a bulk load, or to repair).
pub async fn rebuild_stats(e: &mut impl Exec) -> Result<usize, StoreError> {
    let computed = computed_stats(e).await?;
    for (id, s) in &computed {
        sql("UPDATE orgs SET member_count = $2, official_count = $3, probationary_count = $4, female_count = $5, \
             minority_count = $6, cell_count = $7 WHERE id = $1")
        .bind(*id)
        .bind(s.members)
        .bind(s.official)
        .bind(s.probationary)
        .bind(s.female)
        .bind(s.minority)
        .bind(s.cells)
        .execute(e)
        .await?;
    }
    Ok(computed.len())
}

/// Number of organisations stored.
pub async fn count(e: &mut impl Exec) -> Result<i64, StoreError> {
    sql("SELECT COUNT(*) FROM orgs").fetch_i64(e).await
}
