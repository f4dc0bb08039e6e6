//! Documents attached to a case (*hồ sơ, tài liệu*): the file's checked type, size and hash,
//! with the bytes read only when downloaded.

use super::insert_rows;
use crate::StoreError;
use crate::db::{Exec, dynamic_sql, sql};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

/// A document of a case, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CaseDocument {
    pub id: Uuid,
    pub case_id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: OffsetDateTime,
}

const COLUMNS: &str = "id, case_id, file_name, content_type, size, sha256, uploaded_by, uploaded_at";

pub async fn insert_case_document(e: &mut impl Exec, d: &CaseDocument, body: &[u8]) -> Result<(), StoreError> {
    let row = vec![
        d.id.into(),
        d.case_id.into(),
        d.file_name.as_str().into(),
        d.content_type.as_str().into(),
        d.size.into(),
        d.sha256.as_str().into(),
        d.uploaded_by.as_str().into(),
        d.uploaded_at.into(),
        body.to_vec().into(),
    ];
    insert_rows(e, "inspection_documents", &format!("{COLUMNS}, body"), vec![row]).await
}

/// The documents of a case, oldest first.
pub async fn case_documents(e: &mut impl Exec, case: Uuid) -> Result<Vec<CaseDocument>, StoreError> {
    dynamic_sql(format!("SELECT {COLUMNS} FROM inspection_documents WHERE case_id = $1 ORDER BY uploaded_at, id"))
        .bind(case)
        .fetch_all(e)
        .await
}

/// A document without its bytes (to check who may read it before reading them).
pub async fn case_document(e: &mut impl Exec, id: Uuid) -> Result<Option<CaseDocument>, StoreError> {
    dynamic_sql(format!("SELECT {COLUMNS} FROM inspection_documents WHERE id = $1")).bind(id).fetch_optional(e).await
}

/// A document's bytes.
pub async fn case_document_body(e: &mut impl Exec, id: Uuid) -> Result<Option<Vec<u8>>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        body: Vec<u8>,
    }
    let row: Option<Row> =
        sql("SELECT body FROM inspection_documents WHERE id = $1").bind(id).fetch_optional(e).await?;
    Ok(row.map(|r| r.body))
}

pub async fn delete_case_document(e: &mut impl Exec, id: Uuid) -> Result<(), StoreError> {
    sql("DELETE FROM inspection_documents WHERE id = $1").bind(id).execute(e).await?;
    Ok(())
}
