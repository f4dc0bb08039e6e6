//! Admission candidates and the badge work lists.

use super::*;

fn candidate_form<'a>(org: &'a str, introducer: &'a str, birth: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("org_id", org),
        ("family_name", "Lò"),
        ("middle_name", "Thị"),
        ("given_name", "Xuân"),
        ("birth_date", birth),
        ("gender", "female"),
        ("ethnicity_code", "3"),
        ("course_certificate_on", "01/03/2025"),
        ("application_on", "01/04/2025"),
        ("youth_union_resolution_on", "20/03/2025"),
        ("introducer_1", introducer),
        ("known_since_1", "01/01/2023"),
        ("introducer_2", ""),
        ("known_since_2", ""),
        ("cell_resolution_on", "02/06/2025"),
        ("cell_votes_for", "1"),
        ("cell_vote_base", "1"),
        ("base_resolution_on", "20/06/2025"),
    ]
}

#[tokio::test]
async fn candidate_pages_story() {
    each_engine(false, candidate_pages).await;
}

async fn candidate_pages(w: &World) {
    let mut b = Browser::login(w, "staff").await;
    let (x1, m1) = (w.x1.to_string(), w.m1.to_string());
    let org = b.get(&format!("/orgs/{x1}")).await;
    for link in ["candidates", "probation", "badges"] {
        assert!(org.body.contains(&format!("href=\"/orgs/{x1}/{link}\"")), "{link}");
    }
    assert!(org.body.contains("Quần chúng ưu tú / Hồ sơ kết nạp") && org.body.contains("Huy hiệu Đảng"));
    let list = b.get(&format!("/orgs/{x1}/candidates")).await;
    assert_eq!(list.status, StatusCode::OK);
    for text in ["Quần chúng ưu tú / Hồ sơ kết nạp", "Đang làm hồ sơ", "Đã kết nạp", "Thêm quần chúng ưu tú"]
    {
        assert!(list.body.contains(text), "{text}");
    }
    // The form offers the cell's official members as introducers.
    let form = b.get(&format!("/candidates/new?org={x1}")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(field_block(&form.body, "introducer_1").contains(&format!("value=\"{m1}\"")), "{}", form.body);
    assert!(form.body.contains("Người vào Đảng") && form.body.contains("Người giới thiệu"));
    // Bad input: shown beside the fields, values kept; an introducer from outside is refused.
    let bad = b.post("/candidates", &candidate_form(&x1, &m1, "31/02/2001")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(field_block(&bad.body, "birth_date").contains("class=\"error\""));
    assert!(field_block(&bad.body, "given_name").contains("value=\"Xuân\""));
    let m3 = w.m3.to_string();
    let bad = b.post("/candidates", &candidate_form(&x1, &m3, "19/08/2001")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(field_block(&bad.body, "introducer_1").contains("class=\"error\""), "{}", bad.body);
    assert!(!bad.body.contains("Bí Mật"), "nothing of the outside is named");
    let p = b.post_without_csrf("/candidates", &candidate_form(&x1, &m1, "19/08/2001")).await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    let made = b.post("/candidates", &candidate_form(&x1, &m1, "19/08/2001")).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let case = made.location.split('?').next().unwrap_or_default().to_string();
    let page = b.get(&made.location).await;
    for text in ["Lò Thị Xuân", "Quá hạn", "Đã lưu.", "Nguyễn Thị Lan", "02/06/2025", "Dừng hồ sơ"] {
        assert!(page.body.contains(text), "{text}");
    }
    let list = b.get(&format!("/orgs/{}/candidates", w.x)).await;
    assert!(list.body.contains("Lò Thị Xuân") && list.body.contains("tag overdue"), "{}", list.body);
    let edit = b.get(&format!("{case}/edit")).await;
    assert!(field_block(&edit.body, "application_on").contains("value=\"01/04/2025\""));
    let version = edit.body.split("name=\"version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let mut changed = candidate_form(&x1, &m1, "19/08/2001");
    changed.extend([("version", version.as_str()), ("middle_name", "Thị Thu")]);
    let saved = b.post(&case, &changed).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    // The admission form: the ceremony before the decision is refused beside its field.
    let admit = b.get(&format!("{case}/admit")).await;
    assert_eq!(admit.status, StatusCode::OK);
    assert!(admit.body.contains("Kết nạp vào Đảng") && admit.body.contains("Ngày tổ chức lễ kết nạp"));
    let version = admit.body.split("name=\"version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let decision = |ceremony| {
        vec![
            ("version", version.clone()),
            ("decision_number", "125-QĐ/ĐU".to_string()),
            ("decision_body", "Đảng ủy Phường Hoàn Kiếm".to_string()),
            ("decision_signed_on", "15/07/2025".to_string()),
            ("ceremony_on", ceremony),
        ]
    };
    let pairs = decision("10/07/2025".into());
    let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let p = b.post(&format!("{case}/admit"), &refs).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.body);
    assert!(field_block(&p.body, "ceremony_on").contains("class=\"error\""), "{}", p.body);
    let pairs = decision("20/07/2025".into());
    let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let p = b.post(&format!("{case}/admit"), &refs).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert!(p.location.starts_with("/members/"), "{}", p.location);
    let member = b.get(&p.location).await;
    assert!(member.body.contains("Lò Thị Thu Xuân") && member.body.contains("Dự bị"));
    assert!(member.body.contains("/ui/members/") && member.body.contains("hx-trigger=\"load\""));
    let closed = b.get(&case).await;
    assert!(closed.body.contains("Đã kết nạp") && !closed.body.contains("Dừng hồ sơ"));
    assert_eq!(b.get(&format!("{case}/edit")).await.status, StatusCode::FORBIDDEN);

    // Probation from 20/07/2025 ended 20/07/2026: on the work list with its dates.
    let prob = b.get(&format!("/orgs/{}/probation", w.x)).await;
    assert_eq!(prob.status, StatusCode::OK);
    for text in ["Đảng viên dự bị sắp hết hạn / quá hạn xét chính thức", "Lò Thị Thu Xuân", "20/07/2026"]
    {
        assert!(prob.body.contains(text), "{text}: {}", prob.body);
    }

    // Withdrawing another case from its page.
    let made = b.post("/candidates", &candidate_form(&x1, &m1, "19/08/2001")).await;
    let case = made.location.split('?').next().unwrap_or_default().to_string();
    let page = b.get(&case).await;
    let version = page.body.split("name=\"version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let p = b.post(&format!("{case}/withdraw"), &[("version", &version)]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let list = b.get(&format!("/orgs/{x1}/candidates?state=withdrawn")).await;
    assert!(list.body.contains("Lò Thị Xuân"), "{}", list.body);

    // Readers see the lists, not the actions; bad ids are not found.
    let mut inspector = Browser::login(w, "inspector").await;
    let list = inspector.get(&format!("/orgs/{x1}/candidates")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.body.contains("Thêm quần chúng ưu tú"));
    assert_eq!(inspector.get(&format!("/candidates/new?org={x1}")).await.status, StatusCode::FORBIDDEN);
    for uri in ["/candidates/nope", "/orgs/nope/candidates", "/orgs/nope/probation", "/orgs/nope/badges"] {
        assert_eq!(inspector.get(uri).await.status, StatusCode::NOT_FOUND, "{uri}");
    }
    let mut secretary = Browser::login(w, "secretary").await;
    let y1 = w.y1.to_string();
    assert_eq!(secretary.get(&format!("/orgs/{y1}/candidates")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn badge_pages_story() {
    each_engine(false, badge_pages).await;
}

async fn badge_pages(w: &World) {
    let mut veteran = member("Hoàng", "Văn", "Cựu", w.x1);
    veteran.admission_date = time::macros::date!(1990 - 11 - 07);
    veteran.official_date = Some(time::macros::date!(1991 - 11 - 07));
    let vet = w.app.create_member(&Viewer::console(), veteran).await.unwrap().member.id;
    let mut b = Browser::login(w, "secretary").await;
    let x1 = w.x1.to_string();
    let page = b.get(&format!("/orgs/{x1}/badges")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Huy hiệu Đảng") && page.body.contains("<option value=\""), "{}", page.body);
    let bad = b.get(&format!("/orgs/{x1}/badges?award_on=2021-11-08")).await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.body.contains("ngày trao Huy hiệu Đảng"), "{}", bad.body);
    let list = b.get(&format!("/orgs/{x1}/badges?award_on=2021-11-07")).await;
    for text in ["Hoàng Văn Cựu", "Huy hiệu 30 năm tuổi Đảng", "07/11/2020", "Ghi nhận đã trao"] {
        assert!(list.body.contains(text), "{text}: {}", list.body);
    }
    let back = format!("/orgs/{x1}/badges?award_on=2021-11-07");
    let award = [("years", "30"), ("award_on", "07/11/2021"), ("decision_number", "08-QĐ/TU"), ("next", back.as_str())];
    let p = b.post(&format!("/members/{vet}/badges"), &award).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert_eq!(p.location, format!("{back}&saved=1"));
    let list = b.get(&p.location).await;
    assert!(list.body.contains("Đã lưu.") && !list.body.contains("Hoàng Văn Cựu"), "{}", list.body);
    // Twice: refused beside the badge field on the member's badges page.
    let p = b.post(&format!("/members/{vet}/badges"), &award).await;
    assert_eq!(p.status, StatusCode::CONFLICT, "{}", p.body);
    assert!(field_block(&p.body, "years").contains("đã trao"), "{}", p.body);
    let frag = b.fragment(&format!("/ui/members/{vet}/badges")).await;
    assert_eq!(frag.status, StatusCode::OK);
    assert!(frag.body.contains("Huy hiệu 30 năm tuổi Đảng") && frag.body.contains("08-QĐ/TU"));
    assert!(!frag.body.contains("<html"), "a fragment");
    let own = b.get(&format!("/members/{vet}/badges")).await;
    assert!(own.body.contains("Ghi nhận huy hiệu đã trao") && own.body.contains("07/11/2021"));
    let mut inspector = Browser::login(w, "inspector").await;
    let list = inspector.get(&format!("/orgs/{x1}/badges?award_on=2022-02-03")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.body.contains("Ghi nhận đã trao"));
    let own = inspector.get(&format!("/members/{vet}/badges")).await;
    assert!(own.body.contains("Huy hiệu 30 năm tuổi Đảng") && !own.body.contains("Ghi nhận huy hiệu đã trao"));
}

/// The probation and candidate lists as spreadsheets: the page's columns under the title block,
/// the rows of the subtree, refused outside it and to a member.
#[tokio::test]
async fn list_spreadsheets() {
    each_engine(false, async |w: &World| {
        let c = Viewer::console();
        let admitted = common::today() - time::Duration::days(300);
        let input = chibo_access::domain::member::MemberInput {
            status: chibo_access::domain::member::MemberStatus::Probationary,
            admission_date: admitted,
            official_date: None,
            ..member("Lò", "Văn", "Páo", w.x1)
        };
        w.app.create_member(&c, input).await.unwrap();
        let mut staff = w.client("staff").await;
        let (status, rows) = staff.sheet(&format!("/orgs/{}/probation.xlsx", w.x)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(rows[0][0], "DANH SÁCH ĐẢNG VIÊN DỰ BỊ", "{rows:?}");
        assert_eq!(rows[1][0], "Đảng bộ Phường Hoàn Kiếm", "{rows:?}");
        let header = rows.iter().position(|r| r.first().is_some_and(|c| c == "Họ và tên")).expect("header row");
        assert_eq!(rows[header].len(), 4, "{rows:?}");
        let data = &rows[header + 1..];
        assert_eq!(data.len(), 1, "{rows:?}");
        assert_eq!(data[0][0], "Lò Văn Páo");
        assert_eq!(data[0][1], chibo_access::domain::date::format_vn(admitted));
        assert_eq!(data[0][2], "Đang dự bị", "{rows:?}");
        // The page: the same columns, for the running probation too, and a print button.
        let (status, page) = staff.call("GET", &format!("/orgs/{}/probation", w.x), None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("data-print") && page.contains("Lò Văn Páo"), "{page}");
        assert_eq!(page_headers(&page), header_row(&rows, "Họ và tên"));

        let (status, rows) = staff.sheet(&format!("/orgs/{}/candidates.xlsx?state=open", w.x)).await;
        assert_eq!(status, StatusCode::OK);
        let header = rows.iter().position(|r| r.first().is_some_and(|c| c == "Họ và tên")).expect("header row");
        assert_eq!(rows[header].len(), 5, "{rows:?}");
        assert!(rows[header + 1..].is_empty(), "{rows:?}");
        // A case past its decision deadline: the sheet says so as the page does, same columns.
        let (status, k) =
            staff.call("POST", &format!("/api/v1/orgs/{}/candidates", w.x1), Some(common::dossier(w.m1))).await;
        assert_eq!(status, StatusCode::CREATED, "{k}");
        let (_, rows) = staff.sheet(&format!("/orgs/{}/candidates.xlsx?state=open", w.x)).await;
        let (_, page) = staff.call("GET", &format!("/orgs/{}/candidates?state=open", w.x), None).await;
        assert_eq!(page_headers(&page), header_row(&rows, "Họ và tên"));
        assert!(page.contains("data-print"), "{page}");
        let data = rows.iter().find(|r| r.first().is_some_and(|c| c == "Lò Thị Xuân")).expect("the case");
        assert!(data[4].starts_with("Quá hạn: "), "{rows:?}");
        assert!(page.contains(&format!("<strong class=\"overdue-text\">{}</strong>", data[4])), "{page}");

        let mut other = w.client("staff_y").await;
        assert_eq!(other.sheet(&format!("/orgs/{}/probation.xlsx", w.x)).await.0, StatusCode::NOT_FOUND);
        let mut member = w.client("member").await;
        assert_eq!(member.sheet(&format!("/orgs/{}/candidates.xlsx", w.x1)).await.0, StatusCode::FORBIDDEN);
    })
    .await;
}

/// A badge due posthumously (the member died lacking months of the party age): the page and
/// the sheet both mark it after the date.
#[tokio::test]
async fn a_posthumous_badge_is_marked_on_the_page_and_in_the_sheet() {
    each_engine(false, async |w: &World| {
        use chibo_access::domain::life::{Decision, Detail, EventKind};
        let c = Viewer::console();
        let mut input = member("Đinh", "Văn", "Cố", w.x1);
        input.birth_date = time::macros::date!(1970 - 01 - 01);
        input.admission_date = time::macros::date!(1996 - 11 - 20);
        input.official_date = Some(time::macros::date!(1997 - 11 - 20));
        let id = w.app.create_member(&c, input).await.unwrap().member.id;
        let died = chibo_access::EventInput {
            kind: EventKind::Died,
            effective: time::macros::date!(2026 - 06 - 01),
            org_id: None,
            ref_id: None,
            decision: Decision::default(),
            detail: Detail::default(),
        };
        w.app.record_event(&c, id, died).await.unwrap();
        let mut staff = w.client("staff").await;
        let (status, page) = staff.call("GET", &format!("/orgs/{}/badges?award_on=2026-11-07", w.x1), None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Đinh Văn Cố") && page.contains("20/11/2026 · truy tặng"), "{page}");
        let (status, rows) = staff.sheet(&format!("/orgs/{}/badges.xlsx?award_on=2026-11-07", w.x1)).await;
        assert_eq!(status, StatusCode::OK);
        let row = rows.iter().find(|r| r.first().is_some_and(|n| n == "Đinh Văn Cố")).expect("the member");
        assert_eq!(row[3], "20/11/2026 · truy tặng", "{rows:?}");
    })
    .await;
}
