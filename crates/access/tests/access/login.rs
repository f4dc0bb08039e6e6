//! Logging in under attack, and account life, on every engine: the throttle per (account,
//! address) kept in the database, the bound on password checks, an administrator's unlock,
//! disabling, password resets, sessions, and the scope of account management.

use crate::common;

use chibo_access::domain::access::Role;
use chibo_access::domain::org::OrgKind;
use chibo_access::{Chibo, Org, Problem, Viewer};
use common::{Env, PASSWORD, each_engine, hidden};

const OFFICE: &str = "10.0.0.1";
const ATTACKER: &str = "203.0.113.9";

fn throttled<T: std::fmt::Debug>(r: &Result<T, Problem>) -> bool {
    matches!(r, Err(Problem::TooManyAttempts { retry_after }) if *retry_after >= 1)
}

fn wrong<T: std::fmt::Debug>(r: &Result<T, Problem>) -> bool {
    matches!(r, Err(Problem::Invalid(v)) if v.errors.iter().any(|e| e.code == "bad_credentials"))
}

async fn account(env: &Env, name: &str, role: Role, at: &Org) -> uuid::Uuid {
    let u = env.app.create_user(&env.c, name, name, PASSWORD).await.expect("create user");
    env.app.grant(&env.c, u.id, role, at.id, None).await.expect("grant");
    u.id
}

async fn login(app: &Chibo, name: &str, addr: &str) -> Result<Viewer, Problem> {
    app.login(name, PASSWORD, Some(addr)).await.map(|(_, v)| v)
}

/// A province with two communes, an administrator of the province and one of commune X.
async fn tree(env: &Env) -> (Org, Org, Org) {
    let p = env.org(None, "Đảng bộ Tỉnh A", OrgKind::Provincial).await;
    let x = env.org(Some(&p), "Đảng bộ Xã X", OrgKind::Commune).await;
    let y = env.org(Some(&p), "Đảng bộ Xã Y", OrgKind::Commune).await;
    (p, x, y)
}

#[tokio::test]
async fn an_attacker_is_throttled_by_address_and_the_owner_still_logs_in() {
    each_engine(async |env: &Env| {
        let (p, x, _) = tree(env).await;
        account(env, "chuvan", Role::Staff, &x).await;
        account(env, "dongnghiep", Role::Staff, &x).await;
        let boss = account(env, "quantri", Role::Admin, &p).await;
        // Five wrong passwords are answered as wrong; then the attacker's address waits.
        for i in 0..5 {
            let r = env.app.login("chuvan", "sai-mat-khau", Some(ATTACKER)).await;
            assert!(wrong(&r), "attempt {i}: {r:?}");
        }
        let r = env.app.login("chuvan", PASSWORD, Some(ATTACKER)).await;
        assert!(throttled(&r), "even the right password waits at the attacker's address: {r:?}");
        // The owner from the office, and a colleague behind the attacker's address, log in.
        assert!(login(&env.app, "chuvan", OFFICE).await.is_ok());
        assert!(login(&env.app, "dongnghiep", ATTACKER).await.is_ok());
        // The count lives in the database: a new application on the same database keeps it.
        let restarted = common::app(&env.db);
        assert!(throttled(&restarted.login("chuvan", PASSWORD, Some(ATTACKER)).await));
        // The administrator sees the block and lifts it; an administrator elsewhere cannot.
        let admin = login(&env.app, "quantri", OFFICE).await.expect("admin");
        let blocks = env.app.login_blocks(&admin).await.expect("blocks");
        assert!(blocks.iter().any(|b| b.account == "chuvan" && b.addr == ATTACKER), "{blocks:?}");
        let y_admin = env.user(Role::Admin, &env.org(None, "Đảng bộ Tỉnh B", OrgKind::Provincial).await).await;
        let chuvan = env.app.user_by_name(&env.c, "chuvan").await.expect("user");
        assert!(hidden(&env.app.unlock_logins(&y_admin, chuvan.id).await));
        assert!(env.app.login_blocks(&y_admin).await.expect("blocks").is_empty());
        assert!(env.app.unlock_logins(&admin, chuvan.id).await.expect("unlock") >= 1);
        assert!(login(&restarted, "chuvan", ATTACKER).await.is_ok());
        let _ = boss;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_wrong_logins_reach_verification_a_bounded_number_of_times() {
    each_engine(async |env: &Env| {
        let (_, x, _) = tree(env).await;
        account(env, "muctieu", Role::Staff, &x).await;
        let before = env.app.password_verifications();
        let mut tasks = Vec::new();
        for _ in 0..200 {
            let app = env.app.clone();
            tasks.push(tokio::spawn(async move { app.login("muctieu", "doan-mo-mat-khau", Some(ATTACKER)).await }));
        }
        let (mut wrong_n, mut throttled_n) = (0, 0);
        for t in tasks {
            let r = t.await.expect("task");
            if wrong(&r) {
                wrong_n += 1;
            } else if throttled(&r) {
                throttled_n += 1;
            } else {
                panic!("unexpected answer {r:?}");
            }
        }
        let checked = env.app.password_verifications() - before;
        eprintln!("one account: {checked} verifications, {wrong_n} wrong, {throttled_n} throttled");
        // Exactly the free attempts, however the 200 interleave: none refused early.
        assert_eq!(checked, 5, "{checked} verifications");
        assert_eq!(wrong_n, checked as usize);
        // Spraying many account names from one address stops at the address's cap.
        let before = env.app.password_verifications();
        let mut tasks = Vec::new();
        for i in 0..200 {
            let app = env.app.clone();
            tasks.push(tokio::spawn(async move {
                app.login(&format!("ten{i}"), "doan-mo-mat-khau", Some("198.51.100.7")).await
            }));
        }
        for t in tasks {
            let r = t.await.expect("task");
            assert!(wrong(&r) || throttled(&r), "{r:?}");
        }
        let checked = env.app.password_verifications() - before;
        eprintln!("many names: {checked} verifications");
        assert!(checked <= 30, "{checked} verifications");
    })
    .await;
}

/// The free attempts sent at once are each answered, in whatever order they take their turn:
/// an attempt that read the clock before the one ahead of it committed is not told to wait.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn free_attempts_sent_at_once_are_each_answered() {
    each_engine(async |env: &Env| {
        let (_, x, _) = tree(env).await;
        for round in 0..6 {
            let (name, addr) = (format!("dongthoi{round}"), format!("10.0.1.{round}"));
            account(env, &name, Role::Staff, &x).await;
            let tasks: Vec<_> = (0..5)
                .map(|_| {
                    let (app, name, addr) = (env.app.clone(), name.clone(), addr.clone());
                    tokio::spawn(async move { app.login(&name, "sai-mat-khau", Some(&addr)).await })
                })
                .collect();
            for t in tasks {
                let r = t.await.expect("task");
                assert!(wrong(&r), "round {round}: a free attempt refused: {r:?}");
            }
            let r = login(&env.app, &name, &addr).await;
            assert!(matches!(r, Err(Problem::TooManyAttempts { retry_after }) if retry_after >= 25), "{r:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn wrong_current_passwords_on_password_change_are_throttled() {
    each_engine(async |env: &Env| {
        let (_, x, _) = tree(env).await;
        account(env, "doimatkhau", Role::Staff, &x).await;
        let v = login(&env.app, "doimatkhau", OFFICE).await.expect("login");
        for _ in 0..5 {
            let r = env.app.change_password(&v, "khong-dung-dau", "mat-khau-moi-dai").await;
            assert!(matches!(&r, Err(Problem::Invalid(e)) if e.has("current_password")), "{r:?}");
        }
        let r = env.app.change_password(&v, PASSWORD, "mat-khau-moi-dai").await;
        assert!(throttled(&r), "{r:?}");
        // Logging in is not affected by the password-change counter.
        assert!(login(&env.app, "doimatkhau", OFFICE).await.is_ok());
    })
    .await;
}

/// A password change asked from a session that has ended meanwhile (logged out elsewhere, or
/// every session ended by a reset) changes nothing: a conflict, the old password still works.
#[tokio::test]
async fn a_password_change_from_an_ended_session_changes_nothing() {
    each_engine(async |env: &Env| {
        let (_, x, _) = tree(env).await;
        account(env, "hethan", Role::Staff, &x).await;
        let v = login(&env.app, "hethan", OFFICE).await.expect("login");
        env.app.logout(&v).await.expect("logout");
        let r = env.app.change_password(&v, PASSWORD, "mat-khau-moi-dai").await;
        assert!(matches!(r, Err(Problem::Conflict(_))), "{r:?}");
        assert!(login(&env.app, "hethan", OFFICE).await.is_ok(), "the password is unchanged");
    })
    .await;
}

/// A page read behind a long write (an import holds the write's turn) with a session due to be
/// touched is answered at once, not made to wait for the turn nor refused; the touch comes
/// with a later request.
#[tokio::test]
async fn a_session_due_a_touch_reads_behind_a_long_write() {
    each_engine(async |env: &Env| {
        let (_, x, _) = tree(env).await;
        account(env, "doc", Role::Staff, &x).await;
        let (token, me) = env.app.login("doc", PASSWORD, Some(OFFICE)).await.expect("login");
        let last_seen = async || {
            let mut c = env.db.pools.read().await.unwrap();
            let now = time::OffsetDateTime::now_utc();
            let user = me.user_id().expect("an account");
            chibo_store::users::sessions_of(&mut c, user, now).await.unwrap()[0].last_seen_at
        };
        let age = |minutes: i64| async move {
            let mut tx = env.db.pools.begin().await.unwrap();
            chibo_store::db::sql("UPDATE sessions SET last_seen_at = $1")
                .bind(time::OffsetDateTime::now_utc() - time::Duration::minutes(minutes))
                .execute(&mut tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
        };
        age(10).await;
        let held = env.db.pools.begin().await.unwrap();
        let started = std::time::Instant::now();
        let v = env.app.viewer_for_session(&token.0).await;
        assert!(v.is_ok(), "{:?}", v.err());
        assert!(started.elapsed() < std::time::Duration::from_secs(4), "{:?}", started.elapsed());
        drop(held);
        let old = last_seen().await;
        assert!(time::OffsetDateTime::now_utc() - old > time::Duration::minutes(9), "not touched behind the write");
        // The turn free: touched by the next request (its last use is now).
        env.app.viewer_for_session(&token.0).await.expect("session");
        assert!(time::OffsetDateTime::now_utc() - last_seen().await < time::Duration::minutes(1));
    })
    .await;
}

/// A write asked from a session that ended before the write's turn came writes nothing: 401,
/// however its checks went. Sessions end when the account is disabled, and when one of its
/// grants is revoked (the account logs in again with what it keeps).
#[tokio::test]
async fn a_write_from_a_session_ended_meanwhile_writes_nothing() {
    each_engine(async |env: &Env| {
        let (_, x, _) = tree(env).await;
        let cell = env.org(Some(&x), "Chi bộ 9", OrgKind::SubordinateCell).await;
        let members = async || env.app.org(&env.c, cell.id, false).await.expect("cell").org.stats.members;
        let before = members().await;
        let refused = async |v: &Viewer| {
            let input = common::member_input("Lan", cell.id, common::Person::official(common::d(2015, 5, 19)));
            let r = env.app.create_member(v, input).await;
            assert!(matches!(r, Err(Problem::Unauthenticated)), "{r:?}");
        };
        // Disabled meanwhile.
        let id = account(env, "trongphien", Role::Staff, &x).await;
        let v = login(&env.app, "trongphien", OFFICE).await.expect("login");
        env.app.set_account_active(&env.c, id, false).await.expect("disable");
        refused(&v).await;
        // A grant revoked meanwhile.
        let u = env.app.create_user(&env.c, "thuhoi", "thuhoi", PASSWORD).await.expect("user");
        let granted = env.app.grant(&env.c, u.id, Role::Staff, x.id, None).await.expect("grant");
        let v = login(&env.app, "thuhoi", OFFICE).await.expect("login");
        env.app.revoke(&env.c, granted.id).await.expect("revoke");
        refused(&v).await;
        let again = login(&env.app, "thuhoi", OFFICE).await.expect("logs in again");
        assert!(hidden(&env.app.org(&again, x.id, false).await), "no right left");
        assert_eq!(members().await, before, "nothing written");
    })
    .await;
}

#[tokio::test]
async fn account_life_disable_reset_sessions_inside_the_subtree() {
    each_engine(async |env: &Env| {
        let (p, x, y) = tree(env).await;
        let x_admin_id = account(env, "qtx", Role::Admin, &x).await;
        let staff = account(env, "canbox", Role::Staff, &x).await;
        let both = account(env, "haixa", Role::Staff, &x).await;
        env.app.grant(&env.c, both, Role::Staff, y.id, None).await.expect("grant y");
        let other = account(env, "canboy", Role::Staff, &y).await;
        let x_admin = login(&env.app, "qtx", OFFICE).await.expect("x admin");
        // Listing: accounts with a grant inside the subtree only.
        let names: Vec<String> =
            env.app.users(&x_admin).await.expect("users").into_iter().map(|(u, _)| u.username).collect();
        assert!(names.contains(&"canbox".to_string()) && names.contains(&"haixa".to_string()), "{names:?}");
        assert!(!names.contains(&"canboy".to_string()), "{names:?}");
        // Managing: every grant inside the subtree.
        assert!(hidden(&env.app.set_account_active(&x_admin, other, false).await));
        assert!(matches!(env.app.set_account_active(&x_admin, both, false).await, Err(Problem::Forbidden)));
        assert!(matches!(env.app.reset_password(&x_admin, both, "mot-mat-khau-moi").await, Err(Problem::Forbidden)));
        let r = env.app.set_account_active(&x_admin, x_admin_id, false).await;
        assert!(matches!(&r, Err(Problem::Invalid(v)) if v.has("user_id")), "{r:?}");
        // Sessions: the owner lists them; disabling ends them and refuses logins.
        let (token, owner) = env.app.login("canbox", PASSWORD, Some(OFFICE)).await.expect("login");
        let (token2, _) = env.app.login("canbox", PASSWORD, Some("10.0.0.2")).await.expect("login 2");
        let mine = env.app.sessions(&owner, staff).await.expect("own sessions");
        assert_eq!(mine.len(), 2);
        assert!(hidden(&env.app.sessions(&owner, other).await));
        let own_id = env.app.own_session_id(&owner).expect("own id");
        let second = mine.iter().find(|s| s.id != own_id).expect("other session").id.clone();
        env.app.end_session(&owner, staff, &second).await.expect("end");
        assert!(matches!(env.app.viewer_for_session(&token2.0).await, Err(Problem::Unauthenticated)));
        assert!(hidden(&env.app.end_session(&owner, staff, "0123456789abcdef").await));
        assert_eq!(env.app.sessions(&x_admin, staff).await.expect("admin sees").len(), 1);
        env.app.set_account_active(&x_admin, staff, false).await.expect("disable");
        assert!(matches!(env.app.viewer_for_session(&token.0).await, Err(Problem::Unauthenticated)));
        assert!(wrong(&login(&env.app, "canbox", OFFICE).await));
        env.app.set_account_active(&x_admin, staff, true).await.expect("enable");
        assert!(login(&env.app, "canbox", OFFICE).await.is_ok());
        // Ending one's own current session from its list: done (its audit entry comes after).
        let (own_token, me) = env.app.login("canbox", PASSWORD, Some(OFFICE)).await.expect("login");
        let own = env.app.own_session_id(&me).expect("own id");
        env.app.end_session(&me, staff, &own).await.expect("own session ends");
        assert!(matches!(env.app.viewer_for_session(&own_token.0).await, Err(Problem::Unauthenticated)));
        // A reset password replaces the old one and ends the sessions.
        let (t3, _) = env.app.login("canbox", PASSWORD, Some(OFFICE)).await.expect("login 3");
        let r = env.app.reset_password(&x_admin, staff, "ngan").await;
        assert!(matches!(&r, Err(Problem::Invalid(v)) if v.has("new_password")), "{r:?}");
        env.app.reset_password(&x_admin, staff, "mat-khau-dat-lai").await.expect("reset");
        assert!(matches!(env.app.viewer_for_session(&t3.0).await, Err(Problem::Unauthenticated)));
        assert!(wrong(&login(&env.app, "canbox", OFFICE).await));
        assert!(env.app.login("canbox", "mat-khau-dat-lai", Some(OFFICE)).await.is_ok());
        // The province's administrator manages the account in both communes.
        let p_admin = env.user(Role::Admin, &p).await;
        env.app.set_account_active(&p_admin, both, false).await.expect("province disables");
    })
    .await;
}

#[tokio::test]
async fn serve_says_which_admin_password_is_in_force() {
    use chibo_access::AdminStatus;
    each_engine(async |env: &Env| {
        let (p, x, _) = tree(env).await;
        // Demo accounts without `admin`: the administrator is still created.
        account(env, "canbo", Role::Staff, &x).await;
        let s = env.app.ensure_admin(Some("mat-khau-quan-tri")).await.expect("ensure");
        assert_eq!(s, AdminStatus::Created { generated: None });
        let admin = login_with(&env.app, "admin", "mat-khau-quan-tri").await;
        assert!(admin.grants().iter().any(|g| g.role == Role::Admin && g.org_id == p.id));
        // Run again with a password: not applied, and said so.
        let s = env.app.ensure_admin(Some("mot-mat-khau-khac")).await.expect("again");
        assert_eq!(s, AdminStatus::Existing { username: Some("admin".into()), password_ignored: true });
        assert!(wrong(&env.app.login("admin", "mot-mat-khau-khac", Some(OFFICE)).await));
        // The console recovers a lost password.
        let id = env.app.user_by_name(&env.c, "admin").await.expect("admin").id;
        env.app.reset_password(&env.c, id, "mat-khau-khoi-phuc").await.expect("reset");
        login_with(&env.app, "admin", "mat-khau-khoi-phuc").await;
        // A fresh database gets a random password.
        let fresh = chibo_store::testing::TestDb::new(env.app.engine()).await.expect("fresh database");
        let app = common::app(&fresh);
        let s = app.ensure_admin(None).await.expect("fresh");
        let AdminStatus::Created { generated: Some(pw) } = s else { panic!("{s:?}") };
        assert!(pw.len() >= 16);
        login_with(&app, "admin", &pw).await;
        fresh.drop_db().await;
        // Two servers started at once on a fresh database: one creates `admin`, the other
        // finds it; one account.
        let fresh = chibo_store::testing::TestDb::new(env.app.engine()).await.expect("fresh database");
        let app = common::app(&fresh);
        let (a, b) = tokio::join!(app.ensure_admin(Some("mat-khau-quan-tri")), app.ensure_admin(None));
        let (a, b) = (a.expect("first start"), b.expect("second start"));
        // The first was given a password, the second not: the winner's is in force, the
        // other says whether it had one to ignore.
        let pw = match (&a, &b) {
            (AdminStatus::Created { generated: None }, AdminStatus::Existing { password_ignored: false, .. }) => {
                "mat-khau-quan-tri".to_string()
            }
            (AdminStatus::Existing { password_ignored: true, .. }, AdminStatus::Created { generated: Some(pw) }) => {
                pw.clone()
            }
            _ => panic!("one created, one found: {a:?} {b:?}"),
        };
        login_with(&app, "admin", &pw).await;
        let mut c = fresh.pools.read().await.expect("connection");
        let admins = chibo_store::db::sql("SELECT COUNT(*) FROM users").fetch_i64(&mut c).await.expect("count");
        assert_eq!(admins, 1);
        drop(c);
        fresh.drop_db().await;
    })
    .await;
}

async fn login_with(app: &Chibo, name: &str, password: &str) -> Viewer {
    app.login(name, password, Some(OFFICE)).await.expect("login").1
}
