//! The audit route and member accounts over HTTP, on every engine: with two roots, the
//! administrator of one reaches none of the other's entries by any parameter; a member
//! account follows its record out of its old cell.

use crate::common;

use axum::http::StatusCode;
use chibo_access::Viewer;
use chibo_access::domain::access::Role;
use chibo_access::domain::member::Gender;
use chibo_access::domain::org::OrgKind;
use chibo_store::testing::engines;
use common::{PASSWORD, World, member, org};

const CCCD_B: &str = "079080000002";

#[tokio::test]
async fn the_audit_route_stays_inside_one_root() {
    for engine in engines() {
        let w = World::new(engine).await;
        let c = Viewer::console();
        let b = w.app.create_org(&c, None, org("Đảng bộ Tỉnh Khác", OrgKind::Provincial)).await.unwrap();
        let bc = w.app.create_org(&c, Some(b.id), org("Đảng bộ Xã Khác", OrgKind::Commune)).await.unwrap();
        let b1 = w.app.create_org(&c, Some(bc.id), org("Chi bộ Khác", OrgKind::SubordinateCell)).await.unwrap();
        let mut input = member("Lê", "Văn", "Khác", b1.id);
        input.gender = Gender::Male;
        input.profile.citizen_id = Some(CCCD_B.into());
        let mb = w.app.create_member(&c, input).await.unwrap().member;
        let u = w.app.create_user(&c, "admin_b", "Quản trị B", PASSWORD).await.unwrap();
        w.app.grant(&c, u.id, Role::Admin, b.id, None).await.unwrap();

        // `admin` administers the first root only, now that there are two.
        let mut admin = w.client("admin").await;
        let (status, text) = admin.call("GET", "/api/v1/audit?limit=100000", None).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        assert!(text.contains("member.create"), "{text}");
        for leak in [CCCD_B, &mb.id.to_string(), &b.id.to_string(), &b1.id.to_string(), &u.id.to_string()] {
            assert!(!text.contains(leak), "{leak} in {text}");
        }
        for id in [mb.id, b.id, bc.id, b1.id, u.id] {
            let (status, text) = admin.call("GET", &format!("/api/v1/audit?entity_id={id}"), None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{id}: {text}");
        }
        // As the member route answers.
        let (status, _) = admin.call("GET", &format!("/api/v1/members/{}", mb.id), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, text) = admin.call("GET", &format!("/api/v1/audit?entity_id={}", w.m1), None).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        assert!(text.contains("member.create"));

        let mut admin_b = w.client("admin_b").await;
        let (status, text) = admin_b.call("GET", "/api/v1/audit", None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(text.contains(CCCD_B) && !text.contains(&w.m1.to_string()), "{text}");
        let (status, _) = admin_b.call("GET", &format!("/api/v1/audit?entity_id={}", w.m1), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        w.finish().await;
    }
}

#[tokio::test]
async fn a_member_session_follows_the_record_to_its_new_cell() {
    for engine in engines() {
        let w = World::new(engine).await;
        let mut own = w.client("member").await;
        let mut admin = w.client("admin").await;
        let (x1, x2) = (format!("/api/v1/orgs/{}", w.x1), format!("/api/v1/orgs/{}", w.x2));
        assert_eq!(own.call("GET", &x1, None).await.0, StatusCode::OK);
        assert_eq!(own.call("GET", &x2, None).await.0, StatusCode::NOT_FOUND);
        let events = format!("/api/v1/members/{}/events", w.m1);
        let out = serde_json::json!({"kind": "transferred_out", "effective": "2025-09-01", "org_id": w.x2});
        let (status, text) = admin.call("POST", &events, Some(out)).await;
        assert_eq!(status, StatusCode::CREATED, "{text}");
        // The same session, next request: the old cell is gone.
        assert_eq!(own.call("GET", &x1, None).await.0, StatusCode::NOT_FOUND);
        assert_eq!(own.call("GET", &x2, None).await.0, StatusCode::NOT_FOUND);
        let arrive = serde_json::json!({"kind": "transferred_in", "effective": "2025-09-15", "org_id": w.x2});
        let (status, text) = admin.call("POST", &events, Some(arrive)).await;
        assert_eq!(status, StatusCode::CREATED, "{text}");
        assert_eq!(own.call("GET", &x1, None).await.0, StatusCode::NOT_FOUND);
        assert_eq!(own.call("GET", &x2, None).await.0, StatusCode::OK);
        let (status, _) = own.call("GET", &format!("/api/v1/members/{}", w.m1), None).await;
        assert_eq!(status, StatusCode::OK);
        w.finish().await;
    }
}
