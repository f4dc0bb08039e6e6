//! Documents attached to a case (*hồ sơ, tài liệu*), as for meetings: the same type and size
//! checks ([`crate::meeting_extras::checked_file`]); attached and removed by the deciding body
//! while the case is open; listed and downloaded by whoever may read the case (the same
//! confidentiality: everyone else gets "not found"). Audit entries carry the ids, size and hash,
//! never the file's name.

use crate::inspection::{audit_case, load_case, load_own_case};
use crate::meeting_extras::checked_file;
use crate::transaction::write;
use crate::{Chibo, Outcome, Viewer};
use chibo_domain::{FieldError, Problem};
use chibo_store::inspection::{self as store, Case, CaseDocument};
use time::OffsetDateTime;
use uuid::Uuid;

/// Documents are attached and removed while the case is open (not after its conclusion).
fn open(case: &Case) -> Outcome<()> {
    if case.concluded_on.is_some() {
        return Err(Problem::Conflict(FieldError::new(
            "case",
            "concluded",
            "Cuộc kiểm tra, giám sát đã kết luận: hồ sơ không thay đổi được nữa.",
            "The case is concluded: its documents cannot change any more.",
        )));
    }
    Ok(())
}

fn audited(d: &CaseDocument) -> serde_json::Value {
    serde_json::json!({"document": d.id, "size": d.size, "sha256": d.sha256})
}

impl Chibo {
    /// Whether the viewer may attach a document to this case now: it decides the case and the
    /// case is open. Asked before an upload's body is read; asked again when writing.
    pub async fn may_attach_case_document(&self, v: &Viewer, case_id: Uuid) -> Outcome<()> {
        let mut c = self.pools.read().await?;
        open(&load_own_case(&mut c, v, case_id).await?)
    }

    /// Attach a document to an open case: the deciding body.
    pub async fn attach_case_document(
        &self,
        v: &Viewer,
        case_id: Uuid,
        file_name: &str,
        bytes: &[u8],
    ) -> Outcome<CaseDocument> {
        self.may_attach_case_document(v, case_id).await?;
        let (name, content_type, sha256) = checked_file(file_name, bytes).await?;
        write!(self, |tx| {
            let case = load_own_case(tx, v, case_id).await?;
            open(&case)?;
            let d = CaseDocument {
                id: Uuid::now_v7(),
                case_id,
                file_name: name.clone(),
                content_type: content_type.into(),
                size: bytes.len() as i64,
                sha256: sha256.clone(),
                uploaded_by: v.display_name().into(),
                uploaded_at: OffsetDateTime::now_utc(),
            };
            store::insert_case_document(tx, &d, bytes).await?;
            audit_case(tx, v, "inspection.document", &case, audited(&d)).await?;
            Ok(d)
        })
    }

    /// The documents of a case, for whoever may read it.
    pub async fn case_documents(&self, v: &Viewer, case_id: Uuid) -> Outcome<Vec<CaseDocument>> {
        let mut c = self.pools.read().await?;
        load_case(&mut c, v, case_id).await?;
        Ok(store::case_documents(&mut c, case_id).await?)
    }

    /// A document with its bytes, for whoever may read its case (read only once that is known).
    pub async fn case_document(&self, v: &Viewer, id: Uuid) -> Outcome<(CaseDocument, Vec<u8>)> {
        let mut c = self.pools.read().await?;
        let d = store::case_document(&mut c, id).await?.ok_or(Problem::NotFound)?;
        load_case(&mut c, v, d.case_id).await?;
        let body = store::case_document_body(&mut c, id).await?.ok_or(Problem::NotFound)?;
        Ok((d, body))
    }

    /// Remove a document from an open case: the deciding body.
    pub async fn delete_case_document(&self, v: &Viewer, id: Uuid) -> Outcome<CaseDocument> {
        write!(self, |tx| {
            let d = store::case_document(tx, id).await?.ok_or(Problem::NotFound)?;
            let case = load_own_case(tx, v, d.case_id).await?;
            open(&case)?;
            store::delete_case_document(tx, id).await?;
            audit_case(tx, v, "inspection.document_delete", &case, audited(&d)).await?;
            Ok(d)
        })
    }
}
