//! Many rows written at once (`insert_rows`: PostgreSQL's `COPY`, SQLite's multi-row
//! `INSERT`): every field comes back as written, text with tabs, newlines and backslashes
//! included, and a duplicate identifier among them is the same refusal a single record gets,
//! with nothing written.

use super::{member, small_tree};
use chibo_store::members::{self, NewMember};
use chibo_store::testing::TestDb;
use chibo_store::{StoreError, words};
use uuid::Uuid;

/// More members than a form writes (which `INSERT` on both engines): the bulk path.
const MANY: usize = 40;

pub(super) async fn members_in_bulk(db: &TestDb) {
    let (_, _, cell, _, _) = small_tree(db).await;
    let inputs: Vec<_> = (0..MANY)
        .map(|i| {
            let mut m = member("Nguyễn", "Văn", &format!("An{i}"), cell.id);
            for (k, slot) in m.profile.values_mut().into_iter().enumerate() {
                // Every other field empty, the others with COPY's special characters.
                *slot = ((i + k) % 2 == 0).then(|| format!("giá trị {k}\tcủa {i}\\N\nhết\r"));
            }
            m.profile.citizen_id = Some(format!("0511850{i:05}"));
            m
        })
        .collect();
    let ids: Vec<Uuid> = (0..MANY).map(|_| Uuid::now_v7()).collect();
    let mut tx = db.pools.begin().await.unwrap();
    let new: Vec<NewMember<'_>> = ids
        .iter()
        .zip(&inputs)
        .map(|(id, m)| NewMember { id: *id, org_path: &cell.path, province_code: Some(51), input: m })
        .collect();
    members::insert_many(&mut tx, &new).await.unwrap();
    tx.commit().await.unwrap();
    let mut c = db.pools.read().await.unwrap();
    let back = members::by_ids(&mut c, &ids).await.unwrap();
    assert_eq!(back.len(), MANY);
    for got in back {
        let k = ids.iter().position(|id| *id == got.id).unwrap();
        assert_eq!(got.input, inputs[k], "member {k}");
        assert_eq!((got.org_path.as_str(), got.version), (cell.path.as_str(), 1));
    }
    assert!(words::recount(&mut c).await.unwrap().is_empty(), "the word index and its counts agree");
    assert_eq!(words::pairs_differ(&mut c).await.unwrap(), 0, "and the pairs of words");
    let indexed: usize = inputs.iter().map(|m| chibo_domain::collation::words(&m.search_key()).len()).sum();
    let rows = chibo_store::db::sql("SELECT COUNT(*) FROM member_words").fetch_i64(&mut c).await.unwrap();
    assert_eq!(rows, indexed as i64, "every word of every name");
    drop(c);

    // A duplicate CCCD in the 30th row: refused as the form's record is, and nothing written.
    let mut twins = inputs.clone();
    for (i, m) in twins.iter_mut().enumerate() {
        m.profile.citizen_id = Some(format!("0511860{i:05}"));
        m.profile.party_card_number = Some(format!("thẻ {i}"));
    }
    twins[29].profile.citizen_id = inputs[3].profile.citizen_id.clone();
    let twin_ids: Vec<Uuid> = (0..MANY).map(|_| Uuid::now_v7()).collect();
    let mut tx = db.pools.begin().await.unwrap();
    let new: Vec<NewMember<'_>> = twin_ids
        .iter()
        .zip(&twins)
        .map(|(id, m)| NewMember { id: *id, org_path: &cell.path, province_code: None, input: m })
        .collect();
    let err = members::insert_many(&mut tx, &new).await.unwrap_err();
    assert!(matches!(err, StoreError::Duplicate { field: "citizen_id" }), "{err:?}");
    drop(tx);
    let mut c = db.pools.read().await.unwrap();
    assert_eq!(members::count(&mut c).await.unwrap(), MANY as i64);
}
