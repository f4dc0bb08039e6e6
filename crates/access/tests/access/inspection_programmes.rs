//! Editing a programme on every engine: items changed, added and removed while not started; a
//! started item refused if changed or removed (409); a stale version and two edits at once
//! (one written, the other 409); another commune's inspector gets "not found".

use crate::common;

use chibo_access::domain::access::Role;
use chibo_access::domain::inspection::CaseKind;
use chibo_access::domain::org::OrgKind;
use chibo_access::{CaseInput, ItemEdit, ItemInput, Problem, ProgrammeEdit, ProgrammeInput};
use common::{Env, Person, d, each_engine};

fn item(org: Option<uuid::Uuid>, member: Option<uuid::Uuid>, month: u8, content: &str) -> ItemInput {
    ItemInput { subject_org_id: org, subject_member_id: member, content: content.into(), planned_month: month }
}

fn conflict_on<T: std::fmt::Debug>(r: &Result<T, Problem>, field: &str) {
    assert!(matches!(r, Err(Problem::Conflict(e)) if e.field == field), "{r:?}");
}

async fn edit_a_programme(env: &Env) {
    let province = env.org(None, "Đảng bộ tỉnh Bắc Ninh", OrgKind::Provincial).await;
    let commune = env.org(Some(&province), "Đảng bộ xã Tam Sơn", OrgKind::Commune).await;
    let other = env.org(Some(&province), "Đảng bộ xã Đồng Nguyên", OrgKind::Commune).await;
    let cells = [
        env.org(Some(&commune), "Chi bộ thôn Dương Lôi", OrgKind::SubordinateCell).await,
        env.org(Some(&commune), "Chi bộ thôn Tam Sơn", OrgKind::SubordinateCell).await,
    ];
    let lan = env.member(&cells[1], "Lan", Person::official(d(2012, 5, 19))).await;
    let ins = env.user(Role::Inspector, &commune).await;
    let stranger = env.user(Role::Inspector, &other).await;
    let input = ProgrammeInput {
        year: 2026,
        kind: "inspection".into(),
        title: "Chương trình kiểm tra năm 2026".into(),
        items: vec![item(Some(cells[0].id), None, 3, "Nghị quyết"), item(Some(cells[1].id), None, 5, "Tài chính")],
    };
    let p = env.app.create_programme(&ins, commune.id, &input).await.unwrap();
    let (_, list) = env.app.programmes(&ins, commune.id).await.unwrap();
    let ids: Vec<_> = list[0].items.iter().map(|(i, _)| i.id).collect();
    // The first item is carried out by a case.
    let case = CaseInput {
        kind: CaseKind::InspectOrg,
        mode: None,
        by_inspection: true,
        subject_org_id: Some(cells[0].id),
        subject_member_id: None,
        decision_number: "02-QĐ/UBKT".into(),
        decided_on: d(2026, 3, 4),
        team: String::new(),
        content: String::new(),
        due_on: d(2026, 4, 30),
        item_id: Some(ids[0]),
    };
    env.app.decide_case(&ins, commune.id, &case).await.unwrap();
    let edit = |items: Vec<ItemEdit>, version: i64| ProgrammeEdit {
        title: "Chương trình kiểm tra năm 2026 (điều chỉnh)".into(),
        items,
        version,
    };
    let first = ItemEdit { id: Some(ids[0]), item: item(Some(cells[0].id), None, 3, "Nghị quyết") };
    let mut changed = first.clone();
    changed.item.content = "Nội dung khác".into();
    let second = ItemEdit { id: Some(ids[1]), item: item(Some(cells[1].id), None, 6, "Tài chính, đảng phí") };
    // A started item is neither changed nor removed.
    conflict_on(&env.app.edit_programme(&ins, p.id, &edit(vec![changed, second.clone()], 1)).await, "items.0");
    conflict_on(&env.app.edit_programme(&ins, p.id, &edit(vec![second.clone()], 1)).await, "items.0");
    let bad = ItemEdit { id: None, item: item(Some(other.id), None, 13, "") };
    let refused = env.app.edit_programme(&ins, p.id, &edit(vec![first.clone(), bad], 1)).await;
    assert!(
        matches!(&refused, Err(Problem::Invalid(v)) if v.errors.iter().any(|e| e.field == "items.1.planned_month"))
    );
    assert!(matches!(env.app.edit_programme(&stranger, p.id, &edit(vec![], 1)).await, Err(Problem::NotFound)));
    // The second item moves to June, a member is added by name.
    let member = ItemEdit { id: None, item: item(None, Some(lan.id), 9, "Kê khai tài sản") };
    let items = vec![first.clone(), second.clone(), member];
    let after = env.app.edit_programme(&ins, p.id, &edit(items.clone(), 1)).await.unwrap();
    assert_eq!((after.version, after.title.as_str()), (2, "Chương trình kiểm tra năm 2026 (điều chỉnh)"));
    let (_, list) = env.app.programmes(&ins, commune.id).await.unwrap();
    let got: Vec<(i64, String, bool)> =
        list[0].items.iter().map(|(i, name)| (i.planned_month, name.clone(), i.case_id.is_some())).collect();
    assert_eq!(
        got,
        [
            (3, "Chi bộ thôn Dương Lôi".to_string(), true),
            (6, "Chi bộ thôn Tam Sơn".to_string(), false),
            (9, lan.full_name.clone(), false)
        ]
    );
    assert!(matches!(env.app.edit_programme(&ins, p.id, &edit(items, 1)).await, Err(Problem::Conflict(_))));
    // Two edits at once from the same version: one written, the other a conflict.
    let jobs: Vec<_> = (0..2)
        .map(|n| {
            let (app, v, id) = (env.app.clone(), ins.clone(), p.id);
            let items = vec![first.clone(), ItemEdit { id: None, item: item(Some(cells[1].id), None, 10 + n, "Thêm") }];
            let e = edit(items, 2);
            async move { app.edit_programme(&v, id, &e).await }
        })
        .collect();
    let out = crate::races::all_at_once(jobs).await;
    assert_eq!(out.iter().filter(|o| o.is_ok()).count(), 1, "{out:?}");
    assert!(out.iter().any(|o| matches!(o, Err(Problem::Conflict(_)))), "{out:?}");
    let (_, list) = env.app.programmes(&ins, commune.id).await.unwrap();
    assert_eq!(list[0].items.len(), 2, "the second item and the member removed, one added");
}

#[tokio::test]
async fn a_programme_is_edited_while_its_items_are_not_started() {
    each_engine(edit_a_programme).await;
}
