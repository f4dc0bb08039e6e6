//! The manifest of a backup (bản kê sao lưu): what the backed-up database held — rows per table,
//! the counters of every root organisation, the meeting figures of every opened period at the
//! roots — read from the backup's own snapshot and written beside the file as
//! `FILE.manifest.json`. A restore reads the same figures from the restored database and
//! requires them equal.

use anyhow::{Context, Result, bail};
use chibo_store::{Exec, meeting_figures, orgs, schema};
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};

const FORMAT: &str = "chibo-backup-manifest/1";

/// The figures of a database, engine-neutral.
pub async fn figures(c: &mut impl Exec) -> Result<Value> {
    let mut rows = Map::new();
    for (table, n) in schema::row_counts(c).await? {
        rows.insert(table, json!(n));
    }
    let roots = orgs::roots(c).await?;
    let ids: Vec<uuid::Uuid> = roots.iter().map(|o| o.id).collect();
    let mut periods = Map::new();
    for (key, _) in meeting_figures::opened_since(c, None).await? {
        let sums = meeting_figures::rollups(c, &ids, key).await?;
        let at_roots: Map<String, Value> = sums.into_iter().map(|(id, r)| (id.to_string(), json!(r))).collect();
        periods.insert(key.code(), Value::Object(at_roots));
    }
    let roots: Map<String, Value> =
        roots.iter().map(|o| (o.id.to_string(), json!({ "name": o.input.name, "counters": o.stats }))).collect();
    Ok(json!({ "rows": rows, "roots": roots, "meeting_figures": periods }))
}

/// Where the manifest of `file` is kept.
pub fn path_of(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".manifest.json");
    PathBuf::from(name)
}

/// Write the manifest of the backup `file`.
pub fn write(file: &Path, engine: &str, figures: Value) -> Result<PathBuf> {
    let path = path_of(file);
    let created = time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339)?;
    let doc = json!({ "format": FORMAT, "engine": engine, "created_at": created, "figures": figures });
    std::fs::write(&path, serde_json::to_vec_pretty(&doc)?).with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

/// The figures recorded for the backup `file`; `None` when it has no manifest.
pub fn read(file: &Path) -> Result<Option<Value>> {
    let path = path_of(file);
    let text = match std::fs::read(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let doc: Value = serde_json::from_slice(&text).with_context(|| format!("{} is not a manifest", path.display()))?;
    if doc["format"] != FORMAT {
        bail!("{}: unknown manifest format {}", path.display(), doc["format"]);
    }
    Ok(Some(doc["figures"].clone()))
}

/// Where `got` differs from `want` (tables only `got` has are allowed when empty: a migration
/// newer than the backup), as readable lines.
pub fn differences(want: &Value, got: &Value) -> Vec<String> {
    let mut out = Vec::new();
    diff("", want, got, &mut out);
    out
}

fn diff(at: &str, want: &Value, got: &Value, out: &mut Vec<String>) {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                let here = format!("{at}/{k}");
                match g.get(k) {
                    Some(gv) => diff(&here, wv, gv, out),
                    None => out.push(format!("{here}: {wv} in the backup, missing after restore")),
                }
            }
            for (k, gv) in g.iter().filter(|(k, _)| !w.contains_key(*k)) {
                if !(at == "/rows" && *gv == json!(0)) {
                    out.push(format!("{at}/{k}: {gv} after restore, not in the backup"));
                }
            }
        }
        _ if want != got => out.push(format!("{at}: {want} in the backup ≠ {got} after restore")),
        _ => {}
    }
}

/// One line about the figures: tables, rows, members at the roots, periods.
pub fn summary(f: &Value) -> String {
    let rows = f["rows"].as_object().map_or(0, |r| r.values().filter_map(Value::as_i64).sum::<i64>());
    let tables = f["rows"].as_object().map_or(0, Map::len);
    let members: i64 =
        f["roots"].as_object().map_or(0, |r| r.values().filter_map(|o| o["counters"]["members"].as_i64()).sum());
    let periods = f["meeting_figures"].as_object().map_or(0, Map::len);
    format!(
        "{tables} bảng, {rows} dòng, {members} đảng viên ở gốc, {periods} kỳ sinh hoạt / {tables} tables, {rows} rows, \
         {members} members at the roots, {periods} meeting periods"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_name_the_place() {
        let want = json!({ "rows": { "orgs": 3, "members": 10 }, "roots": { "a": { "counters": { "members": 10 } } } });
        assert!(differences(&want, &want).is_empty());
        let got = json!({ "rows": { "orgs": 3, "members": 9, "new_table": 0 }, "roots": { "a": { "counters": { "members": 9 } } } });
        assert_eq!(
            differences(&want, &got),
            vec![
                "/roots/a/counters/members: 10 in the backup ≠ 9 after restore".to_string(),
                "/rows/members: 10 in the backup ≠ 9 after restore".to_string(),
            ]
        );
        let more = json!({ "rows": { "orgs": 3, "members": 10, "x": 1 }, "roots": { "a": { "counters": { "members": 10 } } } });
        assert_eq!(differences(&want, &more), vec!["/rows/x: 1 after restore, not in the backup".to_string()]);
    }
}
