//! The audit chain at migration time, on every engine: rows written before the chain existed
//! are chained once, in the order they were written, from the genesis hash; a row slipped in
//! without a number afterwards is not chained by a later migration and stays reported.

use chibo_store::audit_chain::{self, Break};
use chibo_store::db::sql;
use chibo_store::testing::{TestDb, engines};
use chibo_store::{audit, schema};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

async fn exec(db: &TestDb, q: chibo_store::db::Sql) {
    let mut tx = db.pools.begin().await.unwrap();
    q.execute(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
}

/// An entry as written before migration 0006: no sequence number, no hash.
async fn old_row(db: &TestDb, at: OffsetDateTime, action: &str) -> Uuid {
    let id = Uuid::now_v7();
    exec(
        db,
        sql("INSERT INTO audit_log (id, at, username, action, entity, org_path, after_json) \
             VALUES ($1, $2, 'admin', $3, 'org', '0001', '{\"name\":\"Chi bộ\"}')")
        .bind(id)
        .bind(at)
        .bind(action),
    )
    .await;
    id
}

async fn verify(db: &TestDb) -> audit_chain::Verification {
    let mut c = db.pools.read().await.unwrap();
    audit_chain::verify(&mut c).await.unwrap()
}

#[tokio::test]
async fn rows_before_the_chain_are_chained_once_at_migration() {
    for engine in engines() {
        let db = TestDb::new(engine).await.unwrap();
        // As just after the migration's SQL ran on a database holding three entries, written
        // out of id order.
        exec(&db, sql("UPDATE audit_head SET seq = 0, hash = 'pending' WHERE id = 1")).await;
        let t0 = OffsetDateTime::now_utc() - Duration::days(30);
        let third = old_row(&db, t0 + Duration::days(2), "org.update").await;
        let first = old_row(&db, t0, "org.create").await;
        let second = old_row(&db, t0 + Duration::days(1), "org.rename").await;
        assert_eq!(verify(&db).await.breaks.len(), 3, "unchained rows are reported");

        schema::migrate(&db.pools).await.unwrap();
        let v = verify(&db).await;
        assert!(v.breaks.is_empty(), "{:?}", v.breaks);
        assert_eq!((v.rows, v.head.seq), (3, 3));
        let mut c = db.pools.read().await.unwrap();
        let order: Vec<(Uuid,)> = sql("SELECT id FROM audit_log ORDER BY seq").fetch_all(&mut c).await.unwrap();
        drop(c);
        assert_eq!(order.into_iter().map(|r| r.0).collect::<Vec<_>>(), [first, second, third]);

        // New entries continue the chain.
        let mut tx = db.pools.begin().await.unwrap();
        let entry = audit::AuditEntry {
            user_id: None,
            username: "console",
            action: "org.create",
            entity: "org",
            entity_id: None,
            org_path: Some("0002"),
            before: None,
            after: Some(serde_json::json!({"name": "Đảng bộ"})),
            session: None,
        };
        audit::record(&mut tx, &entry).await.unwrap();
        tx.commit().await.unwrap();
        assert!(verify(&db).await.breaks.is_empty());

        // A row slipped in later is not legitimised by migrating again.
        let forged = old_row(&db, OffsetDateTime::now_utc(), "user.create").await;
        schema::migrate(&db.pools).await.unwrap();
        assert_eq!(verify(&db).await.breaks, vec![Break::Inserted { seq: None, id: forged }]);
        db.drop_db().await;
    }
}
