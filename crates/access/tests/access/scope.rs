//! The application itself refuses what lies outside a viewer's grants: no HTTP involved.

use chibo_access::domain::access::Role;
use chibo_access::domain::member::{MemberInput, OwnCorrection};
use chibo_access::domain::org::{OrgInput, OrgKind};
use chibo_access::{Chibo, PageRequest, Problem, Viewer};
use chibo_store::testing::{TestDb, engines};
use time::macros::date;
use uuid::Uuid;

const PASSWORD: &str = "mat-khau-kiem-thu";

fn org(name: &str, kind: OrgKind) -> OrgInput {
    chibo_testkit::org(name, kind)
}

fn member(given: &str, cell: Uuid) -> MemberInput {
    MemberInput {
        birth_date: date!(1975 - 09 - 02),
        admission_date: date!(2000 - 01 - 01),
        official_date: Some(date!(2001 - 01 - 01)),
        ..chibo_testkit::member("Đỗ", "Văn", given, cell)
    }
}

async fn login(app: &Chibo, name: &str) -> Viewer {
    app.login(name, PASSWORD, Some("10.0.0.1")).await.expect("login").1
}

fn hidden<T: std::fmt::Debug>(r: Result<T, Problem>) -> bool {
    matches!(r, Err(Problem::NotFound))
        || matches!(&r, Err(Problem::Invalid(v)) if v.errors.iter().all(|e| e.code == "not_found"))
}

#[tokio::test]
async fn every_operation_stays_inside_the_grant() {
    for engine in engines() {
        let db = TestDb::new(engine).await.unwrap();
        let app =
            Chibo::with_pools(db.pools.clone()).with_clock(chibo_access::Clock::Pinned(chibo_store::testing::TODAY));
        let c = Viewer::console();
        let p = app.create_org(&c, None, org("Đảng bộ Tỉnh A", OrgKind::Provincial)).await.unwrap();
        let x = app.create_org(&c, Some(p.id), org("Đảng bộ Xã X", OrgKind::Commune)).await.unwrap();
        let x1 = app.create_org(&c, Some(x.id), org("Chi bộ X1", OrgKind::SubordinateCell)).await.unwrap();
        let y = app.create_org(&c, Some(p.id), org("Đảng bộ Xã Y", OrgKind::Commune)).await.unwrap();
        let y1 = app.create_org(&c, Some(y.id), org("Chi bộ Y1", OrgKind::SubordinateCell)).await.unwrap();
        let mx = app.create_member(&c, member("Bình", x1.id)).await.unwrap().member;
        let my = app.create_member(&c, member("Yên", y1.id)).await.unwrap().member;
        for (name, role, at, linked) in [
            ("staff", Role::Staff, x.id, None),
            ("insp", Role::Inspector, x.id, None),
            ("self", Role::Member, x1.id, Some(mx.id)),
        ] {
            let u = app.create_user(&c, name, name, PASSWORD).await.unwrap();
            app.grant(&c, u.id, role, at, linked).await.unwrap();
        }
        let staff = login(&app, "staff").await;
        let insp = login(&app, "insp").await;
        let own = login(&app, "self").await;

        // Reading outside: not found, as if it did not exist.
        for v in [&staff, &insp, &own] {
            assert!(hidden(app.org(v, y1.id, false).await));
            assert!(hidden(app.member(v, my.id).await));
            assert!(hidden(app.members_page(v, p.id, &PageRequest::default()).await));
            assert!(app.search_orgs(v, "y1", 10).await.unwrap().is_empty());
        }
        // Writing outside, or into outside, is refused and changes nothing.
        assert!(hidden(app.create_org(&staff, Some(y.id), org("Chi bộ lạ", OrgKind::SubordinateCell)).await));
        assert!(hidden(app.create_member(&staff, member("Lạ", y1.id)).await));
        let mut moved = mx.input.clone();
        moved.org_id = y1.id;
        assert!(hidden(app.update_member(&staff, mx.id, moved, mx.version).await));
        assert!(hidden(app.move_org(&staff, x1.id, y.id).await));
        assert!(hidden(app.move_org(&staff, y1.id, x.id).await));
        assert!(matches!(
            app.create_org(&staff, None, org("Gốc mới", OrgKind::Provincial)).await,
            Err(Problem::Forbidden)
        ));
        // Inside, but without the right: forbidden.
        assert!(matches!(app.update_org(&insp, x1.id, x1.input.clone()).await, Err(Problem::Forbidden)));
        assert!(matches!(app.members_page(&own, x1.id, &PageRequest::default()).await, Err(Problem::Forbidden)));
        assert!(matches!(app.update_member(&own, mx.id, mx.input.clone(), mx.version).await, Err(Problem::Forbidden)));
        assert!(matches!(app.users(&staff).await, Err(Problem::Forbidden)));
        assert!(matches!(app.audit_log(&staff, None, 10).await, Err(Problem::Forbidden)));
        // The member corrects their own contact fields and nothing else.
        let fix = OwnCorrection { phone: Some("0987 654 321".into()), ..OwnCorrection::default() };
        let after = app.correct_own(&own, mx.id, &fix, mx.version).await.unwrap();
        assert_eq!(after.member.input.profile.phone.as_deref(), Some("0987 654 321"));
        assert_eq!(after.member.input.given_name, "Bình");
        // Nothing outside changed, and every counter still equals the records.
        assert_eq!(app.member(&c, my.id).await.unwrap().member.version, 1);
        assert_eq!(app.org(&c, p.id, false).await.unwrap().org.stats.members, 2);
        let audit = app.audit_log(&c, None, 100).await.unwrap();
        assert!(audit.iter().any(|a| a.action == "member.correct_own" && a.username == "self"));
        db.drop_db().await;
    }
}
