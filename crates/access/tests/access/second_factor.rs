//! Two-factor login on every engine: enrolment required of administrators, staff and
//! inspectors (no right until then), codes and recovery codes, each accepted once, wrong
//! codes throttled, and an administrator's reset within their subtree.

use crate::common;

use chibo_access::domain::access::Role;
use chibo_access::domain::org::OrgKind;
use chibo_access::{Chibo, LoginStep, Problem, RECOVERY_CODES, code_at};
use common::{Env, PASSWORD, each_engine, hidden};

const ADDR: &str = "10.0.0.1";

fn field_code<T: std::fmt::Debug>(r: &Result<T, Problem>, code: &str) -> bool {
    matches!(r, Err(Problem::Invalid(v)) if v.errors.iter().any(|e| e.code == code))
}

async fn step(app: &Chibo, name: &str, addr: &str) -> LoginStep {
    app.login_start(name, PASSWORD, Some(addr)).await.expect("password step")
}

async fn pending(app: &Chibo, name: &str, addr: &str) -> String {
    match step(app, name, addr).await {
        LoginStep::SecondFactor(t) => t,
        LoginStep::Session(..) => panic!("{name}: a session without the second factor"),
    }
}

/// A code valid in none of the accepted steps (now, before, after).
fn wrong_code(secret: &str) -> String {
    let valid: Vec<String> = [-30, 0, 30].iter().filter_map(|o| code_at(secret, *o)).collect();
    (0..10).map(|d| format!("{d}{d}{d}{d}{d}{d}")).find(|c| !valid.contains(c)).expect("a wrong code")
}

#[tokio::test]
async fn second_factor_enrolment_login_recovery_and_reset() {
    each_engine(async |env: &Env| {
        let app = common::app(&env.db).with_second_factor(true);
        let p = env.org(None, "Đảng bộ Tỉnh A", OrgKind::Provincial).await;
        let x = env.org(Some(&p), "Đảng bộ Xã X", OrgKind::Commune).await;
        let cell = env.org(Some(&x), "Chi bộ X1", OrgKind::SubordinateCell).await;
        let other = env.org(None, "Đảng bộ Tỉnh B", OrgKind::Provincial).await;
        for (name, role, at) in
            [("canbo", Role::Staff, &x), ("bithu", Role::Secretary, &cell), ("qtb", Role::Admin, &other)]
        {
            let u = app.create_user(&env.c, name, name, PASSWORD).await.expect("user");
            app.grant(&env.c, u.id, role, at.id, None).await.expect("grant");
        }
        // A secretary needs no second factor.
        let LoginStep::Session(_, secretary) = step(&app, "bithu", ADDR).await else { panic!("secretary") };
        assert!(!secretary.enrolment_required());
        // Staff without a second factor: logged in, but holding no right until enrolled.
        let LoginStep::Session(token, staff) = step(&app, "canbo", ADDR).await else { panic!("staff") };
        assert!(staff.enrolment_required() && staff.grants().is_empty());
        assert!(hidden(&app.org(&staff, x.id, false).await));
        assert!(field_code(&app.totp_confirm(&staff, "123456").await, "not_started"));
        let e = app.totp_begin(&staff).await.expect("begin");
        assert!(e.otpauth_url.starts_with("otpauth://totp/") && e.otpauth_url.contains(&e.secret), "{}", e.otpauth_url);
        assert!(field_code(&app.totp_confirm(&staff, &wrong_code(&e.secret)).await, "bad_code"));
        let codes = app.totp_confirm(&staff, &code_at(&e.secret, 0).expect("code")).await.expect("confirm");
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert!(matches!(app.totp_begin(&staff).await, Err(Problem::Conflict(_))));
        // The same session now carries its rights.
        let staff = app.viewer_for_session(&token.0).await.expect("session");
        assert!(!staff.enrolment_required());
        app.org(&staff, x.id, false).await.expect("reads its organisation");
        assert_eq!(app.totp_status(&staff).await.expect("status"), Some(RECOVERY_CODES as i64));
        // Logging in: password, then code. The one-call login refuses, naming `code`.
        assert!(field_code(&app.login("canbo", PASSWORD, Some(ADDR)).await, "second_factor_required"));
        let t = pending(&app, "canbo", ADDR).await;
        assert!(field_code(&app.login_code(&t, &wrong_code(&e.secret), Some(ADDR)).await, "bad_code"));
        let next = code_at(&e.secret, 30).expect("next code");
        let (_, v) = app.login_code(&t, &next, Some(ADDR)).await.expect("code accepted");
        assert!(!v.enrolment_required() && !v.grants().is_empty());
        // The pending token is spent; the same code is not accepted twice.
        assert!(field_code(&app.login_code(&t, &next, Some(ADDR)).await, "expired"));
        let t = pending(&app, "canbo", ADDR).await;
        assert!(field_code(&app.login_code(&t, &next, Some(ADDR)).await, "bad_code"));
        // A recovery code works once, typed in any case.
        app.login_code(&t, &codes[0].to_uppercase(), Some(ADDR)).await.expect("recovery code");
        let t = pending(&app, "canbo", ADDR).await;
        assert!(field_code(&app.login_code(&t, &codes[0], Some(ADDR)).await, "bad_code"));
        assert_eq!(app.totp_status(&staff).await.expect("status"), Some(RECOVERY_CODES as i64 - 1));
        // One pending token sent at once with two recovery codes: one session.
        let t = pending(&app, "canbo", ADDR).await;
        let (a, b) = tokio::join!(app.login_code(&t, &codes[1], Some(ADDR)), app.login_code(&t, &codes[2], Some(ADDR)));
        assert_eq!(usize::from(a.is_ok()) + usize::from(b.is_ok()), 1, "{a:?} {b:?}");
        let lost = a.map(|_| ()).and(b.map(|_| ()));
        assert!(field_code(&lost, "expired"), "{lost:?}");
        // Guessing codes is throttled like guessing passwords.
        let t = pending(&app, "canbo", "192.0.2.1").await;
        let mut refused = false;
        for _ in 0..6 {
            if let Err(Problem::TooManyAttempts { .. }) =
                app.login_code(&t, &wrong_code(&e.secret), Some("192.0.2.1")).await
            {
                refused = true;
            }
        }
        assert!(refused, "wrong codes are throttled");
        // An administrator elsewhere cannot reset; the province's administrator can.
        let qtb = app.login("qtb", PASSWORD, Some(ADDR)).await;
        let Ok((_, qtb)) = qtb else { panic!("admin without enrolment still logs in: {qtb:?}") };
        assert!(qtb.enrolment_required());
        let canbo = app.user_by_name(&env.c, "canbo").await.expect("user").id;
        assert!(matches!(app.totp_reset(&qtb, canbo).await, Err(Problem::Forbidden | Problem::NotFound)));
        let boss = env.user(Role::Admin, &p).await;
        assert!(matches!(app.totp_reset(&secretary, canbo).await, Err(Problem::Forbidden | Problem::NotFound)));
        app.totp_reset(&boss, canbo).await.expect("reset");
        assert!(matches!(app.viewer_for_session(&token.0).await, Err(Problem::Unauthenticated)));
        let LoginStep::Session(_, again) = step(&app, "canbo", ADDR).await else { panic!("after reset") };
        assert!(again.enrolment_required());
    })
    .await;
}
