//! The audit log on every engine: read by subtree (two roots, an administrator of one cannot
//! reach the other's entries by any parameter), personal data only where the record is
//! readable now, reads of a member record logged, and the hash chain that reveals an edited,
//! deleted or inserted row.

use crate::common;

use chibo_access::domain::access::Role;
use chibo_access::domain::life::EventKind::{TransferredIn, TransferredOut};
use chibo_access::domain::org::OrgKind;
use chibo_access::{AuditRecord, Member, Org, Problem};
use chibo_store::audit_chain::{self, Break};
use chibo_store::db::{dynamic_sql, sql};
use common::{Env, Person, With, days_ago, each_engine, ev, member_input};
use uuid::Uuid;

const CCCD_A: &str = "001080000001";
const CCCD_B: &str = "079080000002";
const PHONE_B: &str = "0912 345 678";

struct Roots {
    a: Org,
    b: Org,
    b1: Org,
    ma: Member,
    mb: Member,
}

async fn roots(env: &Env) -> Roots {
    let a = env.org(None, "Đảng bộ Tỉnh A", OrgKind::Provincial).await;
    let ac = env.org(Some(&a), "Đảng bộ Xã A", OrgKind::Commune).await;
    let a1 = env.org(Some(&ac), "Chi bộ A1", OrgKind::SubordinateCell).await;
    let b = env.org(None, "Đảng bộ Tỉnh B", OrgKind::Provincial).await;
    let bc = env.org(Some(&b), "Đảng bộ Xã B", OrgKind::Commune).await;
    let b1 = env.org(Some(&bc), "Chi bộ B1", OrgKind::SubordinateCell).await;
    let mut ia = member_input("An", a1.id, Person::official(common::d(2010, 3, 1)));
    ia.profile.citizen_id = Some(CCCD_A.into());
    let ma = env.app.create_member(&env.c, ia).await.unwrap().member;
    let mut ib = member_input("Bình", b1.id, Person::official(common::d(2011, 3, 1)));
    ib.profile.citizen_id = Some(CCCD_B.into());
    ib.profile.phone = Some(PHONE_B.into());
    let mb = env.app.create_member(&env.c, ib).await.unwrap().member;
    // An edit in B: before and after images with personal data.
    let mut edited = mb.input.clone();
    edited.profile.occupation = Some("Giáo viên".into());
    let mb = env.app.update_member(&env.c, mb.id, edited, mb.version).await.unwrap().member;
    Roots { a, b, b1, ma, mb }
}

fn text(rows: &[AuditRecord]) -> String {
    rows.iter().map(|r| format!("{:?}|{:?}|{:?}\n", r.org_path, r.before_json, r.after_json)).collect()
}

fn inside(path: &Option<String>, root: &Org) -> bool {
    path.as_deref().is_some_and(|p| p.starts_with(&root.path))
}

#[tokio::test]
async fn an_administrator_reads_its_own_root_only() {
    each_engine(async |env: &Env| {
        let r = roots(env).await;
        let admin_a = env.user(Role::Admin, &r.a).await;
        let admin_b = env.user(Role::Admin, &r.b).await;
        let staff_b = env.user(Role::Staff, &r.b1).await;
        let all = env.app.audit_log(&env.c, None, 500).await.unwrap();
        assert!(all.iter().any(|e| inside(&e.org_path, &r.b)), "the console sees B");

        let seen = env.app.audit_log(&admin_a, None, 500).await.unwrap();
        assert!(!seen.is_empty());
        assert!(seen.iter().all(|e| !inside(&e.org_path, &r.b)), "B's entries leak: {}", text(&seen));
        let t = text(&seen);
        assert!(!t.contains(CCCD_B) && !t.contains(PHONE_B), "B's personal data leaks: {t}");
        let b_ids = [r.b.id, r.b1.id, r.mb.id, admin_b.user_id().unwrap(), staff_b.user_id().unwrap()];
        assert!(seen.iter().all(|e| !e.entity_id.is_some_and(|id| b_ids.contains(&id))));
        // Its own account's entries (no place) are in; B's accounts' are not.
        let own = admin_a.user_id().unwrap();
        assert!(seen.iter().any(|e| e.action == "user.create" && e.entity_id == Some(own)));
        // Any parameter: every entity of B is not found, a large limit changes nothing.
        for id in b_ids {
            assert!(matches!(env.app.audit_log(&admin_a, Some(id), 500).await, Err(Problem::NotFound)), "{id}");
        }
        let big = env.app.audit_log(&admin_a, None, i64::MAX).await.unwrap();
        assert!(big.iter().all(|e| !inside(&e.org_path, &r.b)));
        let unknown = env.app.audit_log(&admin_a, Some(Uuid::now_v7()), 10).await.unwrap();
        assert!(unknown.is_empty());
        // Its own record: found, with its personal data.
        let mine = env.app.audit_log(&admin_a, Some(r.ma.id), 500).await.unwrap();
        assert!(text(&mine).contains(CCCD_A));
        // B's administrator sees B, not A; staff read no audit at all.
        let seen_b = env.app.audit_log(&admin_b, None, 500).await.unwrap();
        assert!(text(&seen_b).contains(CCCD_B));
        assert!(seen_b.iter().all(|e| !inside(&e.org_path, &r.a)));
        assert!(matches!(env.app.audit_log(&staff_b, None, 10).await, Err(Problem::Forbidden)));
    })
    .await;
}

#[tokio::test]
async fn a_transferred_record_takes_its_personal_data_along() {
    each_engine(async |env: &Env| {
        let r = roots(env).await;
        let admin_a = env.user(Role::Admin, &r.a).await;
        let admin_b = env.user(Role::Admin, &r.b).await;
        env.record(r.ma.id, ev(TransferredOut, days_ago(10)).org(r.b1.id)).await.unwrap();
        env.record(r.ma.id, ev(TransferredIn, days_ago(5)).org(r.b1.id)).await.unwrap();
        // A keeps the entries it recorded (who did what, when) without the personal data.
        let seen = env.app.audit_log(&admin_a, None, 500).await.unwrap();
        let about: Vec<&AuditRecord> = seen.iter().filter(|e| e.entity_id == Some(r.ma.id)).collect();
        assert!(about.iter().any(|e| e.action == "member.create"));
        assert!(!text(&seen).contains(CCCD_A), "{}", text(&seen));
        assert!(about.iter().all(|e| e.after_json.as_deref().is_none_or(|j| j.contains("\"redacted\":true"))));
        assert!(matches!(env.app.audit_log(&admin_a, Some(r.ma.id), 10).await, Err(Problem::NotFound)));
        // B reads the record now, and its whole history, recorded in A included.
        let history = env.app.audit_log(&admin_b, Some(r.ma.id), 500).await.unwrap();
        assert!(history.iter().any(|e| e.action == "member.create" && inside(&e.org_path, &r.a)));
        assert!(text(&history).contains(CCCD_A));
    })
    .await;
}

#[tokio::test]
async fn opening_a_member_record_is_logged_once() {
    each_engine(async |env: &Env| {
        let r = roots(env).await;
        let admin_b = env.user(Role::Admin, &r.b).await;
        let before = env.app.audit_log(&env.c, None, 500).await.unwrap().len();
        env.app.member(&admin_b, r.mb.id).await.unwrap();
        let after = env.app.audit_log(&env.c, None, 500).await.unwrap();
        assert_eq!(after.len(), before + 1);
        let e = &after[0];
        assert_eq!(
            (e.action.as_str(), e.entity_id, e.username.as_str()),
            ("member.read", Some(r.mb.id), admin_b.username())
        );
        assert!(e.before_json.is_none() && e.after_json.is_none());
        // A refused read leaves nothing.
        let admin_a = env.user(Role::Admin, &r.a).await;
        let n = env.app.audit_log(&env.c, None, 500).await.unwrap().len();
        assert!(env.app.member(&admin_a, r.mb.id).await.is_err());
        assert_eq!(env.app.audit_log(&env.c, None, 500).await.unwrap().len(), n);
    })
    .await;
}

async fn verify(env: &Env) -> audit_chain::Verification {
    let mut c = env.db.pools.read().await.unwrap();
    audit_chain::verify(&mut c).await.unwrap()
}

async fn exec(env: &Env, q: chibo_store::db::Sql) {
    let mut tx = env.db.pools.begin().await.unwrap();
    q.execute(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
}

async fn id_at(env: &Env, seq: i64) -> Uuid {
    let mut c = env.db.pools.read().await.unwrap();
    let rows: Vec<audit_chain::ChainRow> =
        sql("SELECT seq, id, at, user_id, username, action, entity, entity_id, before_json, after_json, row_hash \
         FROM audit_log WHERE seq = $1")
        .bind(seq)
        .fetch_all(&mut c)
        .await
        .unwrap();
    rows[0].id
}

#[tokio::test]
async fn the_chain_reveals_edited_deleted_and_inserted_rows() {
    each_engine(async |env: &Env| {
        let r = roots(env).await;
        env.user(Role::Admin, &r.a).await;
        let clean = verify(env).await;
        assert!(clean.breaks.is_empty(), "{:?}", clean.breaks);
        let n = clean.head.seq;
        assert!(n >= 10 && clean.rows == n, "{clean:?}");

        // Edited: a before/after image changed by hand.
        let id3 = id_at(env, 3).await;
        let mut c = env.db.pools.read().await.unwrap();
        let original: Vec<(Option<String>,)> =
            sql("SELECT after_json FROM audit_log WHERE seq = 3").fetch_all(&mut c).await.unwrap();
        drop(c);
        exec(env, sql("UPDATE audit_log SET after_json = '{\"citizen_id\":\"000000000000\"}' WHERE seq = 3")).await;
        assert_eq!(verify(env).await.breaks, vec![Break::Edited { seq: 3, id: id3 }]);
        exec(env, sql("UPDATE audit_log SET after_json = $1 WHERE seq = 3").bind(original[0].0.clone())).await;
        assert!(verify(env).await.breaks.is_empty(), "restored");

        // Inserted: a forged row after the last, and one outside the chain.
        let forged = Uuid::now_v7();
        let loose = Uuid::now_v7();
        for (id, seq) in [(forged, Some(n + 1)), (loose, None)] {
            exec(
                env,
                dynamic_sql(
                    "INSERT INTO audit_log (id, at, username, action, entity, seq, row_hash) \
                     VALUES ($1, $2, 'admin', 'user.create', 'user', $3, $4)"
                        .into(),
                )
                .bind(id)
                .bind(time::OffsetDateTime::now_utc())
                .bind(seq)
                .bind(audit_chain::GENESIS),
            )
            .await;
        }
        let v = verify(env).await;
        assert!(v.breaks.contains(&Break::Inserted { seq: Some(n + 1), id: forged }), "{:?}", v.breaks);
        assert!(v.breaks.contains(&Break::Inserted { seq: None, id: loose }), "{:?}", v.breaks);
        assert_eq!(v.breaks.len(), 2, "{:?}", v.breaks);
        exec(env, sql("DELETE FROM audit_log WHERE id = $1 OR id = $2").bind(forged).bind(loose)).await;
        assert!(verify(env).await.breaks.is_empty());

        // Deleted: a row in the middle, then the last one.
        exec(env, sql("DELETE FROM audit_log WHERE seq = 5")).await;
        assert_eq!(verify(env).await.breaks, vec![Break::Deleted { from_seq: 5, to_seq: 5 }]);
        exec(env, sql("DELETE FROM audit_log WHERE seq = $1").bind(n)).await;
        assert_eq!(
            verify(env).await.breaks,
            vec![Break::Deleted { from_seq: 5, to_seq: 5 }, Break::Deleted { from_seq: n, to_seq: n }]
        );
    })
    .await;
}

#[tokio::test]
async fn concurrent_writers_and_readers_do_not_fork_the_chain() {
    each_engine(async |env: &Env| {
        let root = env.org(None, "Đảng bộ Tỉnh", OrgKind::Provincial).await;
        let x = env.org(Some(&root), "Đảng bộ Xã", OrgKind::Commune).await;
        let cell = env.org(Some(&x), "Chi bộ Một", OrgKind::SubordinateCell).await;
        let m = env.member(&cell, "An", Person::official(common::d(2010, 3, 1))).await;
        let before = verify(env).await.head.seq;
        let mut tasks = Vec::new();
        for i in 0..24 {
            let (app, c, parent) = (env.app.clone(), env.c.clone(), root.id);
            tasks.push(tokio::spawn(async move {
                let input = common::org_input(&format!("Đảng bộ Xã {i}"), OrgKind::Commune);
                app.create_org(&c, Some(parent), input).await.map(|_| ())
            }));
            let (app, c) = (env.app.clone(), env.c.clone());
            tasks.push(tokio::spawn(async move { app.member(&c, m.id).await.map(|_| ()) }));
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        env.app.flush_audit().await.unwrap();
        let v = verify(env).await;
        assert!(v.breaks.is_empty(), "{:?}", v.breaks);
        assert_eq!(v.head.seq, before + 48);
        assert_eq!(v.rows, v.head.seq);
        let reads = env.app.audit_log(&env.c, Some(m.id), 500).await.unwrap();
        assert_eq!(reads.iter().filter(|e| e.action == "member.read").count(), 24);
    })
    .await;
}
