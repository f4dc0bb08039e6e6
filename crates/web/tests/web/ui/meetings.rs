//! The cell meetings' pages.

use super::*;

#[tokio::test]
async fn meeting_pages_story() {
    each_engine(false, meeting_pages).await;
}

async fn meeting_pages(w: &World) {
    let c = Viewer::console();
    let mut ids = Vec::new();
    for (family, middle, given) in [("Lê", "Văn", "An"), ("Hoàng", "Thị", "Bình"), ("Vũ", "Đức", "Cường")]
    {
        ids.push(w.app.create_member(&c, member(family, middle, given, w.x1)).await.unwrap().member.id.to_string());
    }
    let (an, binh, cuong, lan) = (ids[0].clone(), ids[1].clone(), ids[2].clone(), w.m1.to_string());
    // Cường is exempt from activities from 01/08/2025.
    let mut api = w.client("staff").await;
    let (status, text) = api
        .call(
            "POST",
            &format!("/api/v1/members/{cuong}/events"),
            Some(serde_json::json!({"kind": "exemption_started", "effective": "2025-08-01", "reason": "Tuổi cao"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let x1 = w.x1.to_string();
    let mut b = Browser::login(w, "secretary").await;

    // From the cell's page to its meetings and the scheduling form.
    let org = b.get(&format!("/orgs/{x1}")).await;
    assert!(org.body.contains(&format!("href=\"/orgs/{x1}/meetings?year=")), "{}", org.body);
    assert!(org.body.contains("Sinh hoạt chi bộ") && org.body.contains("Số liệu sinh hoạt chi bộ"));
    let list = b.get(&format!("/orgs/{x1}/meetings?year=2025")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Lên lịch sinh hoạt") && list.body.contains("Chưa có buổi sinh hoạt nào"));
    let plan = |time: &'static str| {
        vec![
            ("kind", "regular"),
            ("held_on", "10/09/2025"),
            ("starts_at", time),
            ("place", "Nhà văn hóa tổ dân phố số 1"),
            ("agenda", "Sinh hoạt thường kỳ tháng 9"),
            ("guests", ""),
        ]
    };
    let bad = b.post(&format!("/orgs/{x1}/meetings"), &plan("25:00")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(field_block(&bad.body, "starts_at").contains("class=\"error\""), "{}", bad.body);
    assert!(field_block(&bad.body, "held_on").contains("value=\"10/09/2025\""), "values are kept");
    let made = b.post(&format!("/orgs/{x1}/meetings"), &plan("19:30")).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let id = meeting_of(&made.location);
    let page = b.get(&made.location).await;
    for text in ["Sinh hoạt thường kỳ — 10/09/2025", "Đã lưu.", "Đã lên lịch", "Nhà văn hóa tổ dân phố số 1"]
    {
        assert!(page.body.contains(text), "{text}");
    }
    assert!(page.body.contains(&format!("href=\"/meetings/{id}/attendance\"")));
    let list = b.get(&format!("/orgs/{x1}/meetings?year=2025")).await;
    assert!(list.body.contains("10/09/2025 · 19:30"), "{}", list.body);

    // The attendance form for a phone: one row per member, everyone present but the exempt
    // member, big radio labels, no table, no correction reason before anything is recorded.
    let form = b.get(&format!("/meetings/{id}/attendance")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let body = &form.body;
    assert!(body.contains("name=\"viewport\" content=\"width=device-width, initial-scale=1\""));
    assert_eq!(body.matches("<fieldset class=\"mark-row").count(), 4, "{body}");
    for m in [&an, &binh, &lan] {
        assert!(body.contains(&format!("name=\"mark.{m}\" value=\"present\" class=\"m-present\" checked")), "{m}");
        assert!(body.contains(&format!("name=\"mark.{m}\" value=\"excused\"")), "{m}");
    }
    assert!(body.contains(&format!("name=\"mark.{cuong}\" value=\"exempt\" class=\"m-exempt\" checked")), "{body}");
    assert!(!body.contains(&format!("name=\"mark.{cuong}\" value=\"unexcused\"")));
    assert!(body.contains("Miễn sinh hoạt") && body.contains("Vắng có lý do") && body.contains("Vắng không lý do"));
    assert!(!body.contains("<table") && !body.contains("style="), "stacked rows, no inline style");
    assert!(!body.contains("id=\"reason\""), "no correction reason before any mark");
    assert_eq!(body.matches("type=\"submit\"").count(), 1 + 2, "one submit (and the header's two)");
    let marks = |binh_mark: &'static str| {
        vec![
            (format!("mark.{an}"), "excused".to_string()),
            (format!("reason.{an}"), "Ốm".to_string()),
            (format!("mark.{binh}"), binh_mark.to_string()),
            (format!("reason.{binh}"), String::new()),
            (format!("mark.{cuong}"), "exempt".to_string()),
            (format!("mark.{lan}"), "present".to_string()),
            ("version".to_string(), "1".to_string()),
        ]
    };
    let first = marks("unexcused");
    let done = b.post(&format!("/meetings/{id}/attendance"), &pairs(&first)).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let again = b.get(&format!("/meetings/{id}/attendance")).await;
    assert!(again.body.contains("id=\"reason\""), "the day has passed and marks exist: a reason is asked");
    assert!(
        again.body.contains(&format!("name=\"mark.{an}\" value=\"excused\" class=\"m-excused wants-reason\" checked"))
    );
    assert!(again.body.contains(&format!("name=\"reason.{an}\" value=\"Ốm\"")));
    // A changed mark without the reason: refused, the reason field says why.
    let mut second = marks("present");
    second.push(("version".into(), "2".into()));
    let refused = b.post(&format!("/meetings/{id}/attendance"), &pairs(&second)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(field_block(&refused.body, "reason").contains("class=\"error\""), "{}", refused.body);
    second.push(("reason".into(), "Ghi nhầm".into()));
    let done = b.post(&format!("/meetings/{id}/attendance"), &pairs(&second)).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = b.get(&format!("/meetings/{id}")).await;
    assert!(page.body.contains("Ghi nhầm") && page.body.contains("Đã họp"), "{}", page.body);

    // The minutes: the vote base shown, more speaker rows on request, errors beside fields.
    let form = b.get(&format!("/meetings/{id}/minutes/edit")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("Số đảng viên chính thức được tính để biểu quyết: 2"), "{}", form.body);
    assert!(field_block(&form.body, "chair_id").contains(&format!("value=\"{lan}\"")));
    assert!(!field_block(&form.body, "chair_id").contains(&format!("value=\"{an}\"")), "only those present");
    assert!(form.body.contains("Không có buổi sinh hoạt trước."));
    let minutes = |start: &'static str| {
        vec![
            ("version", "3"),
            ("starts_at", start),
            ("ends_at", "21:30"),
            ("place", "Nhà văn hóa tổ dân phố số 1"),
            ("agenda", "Đánh giá tháng 8, nhiệm vụ tháng 9"),
            ("guests", "Đồng chí Trần Văn Hải"),
            ("followup", ""),
            ("speakers.0.member_id", ""),
            ("speakers.0.name", ""),
            ("speakers.0.opinion", ""),
            ("speakers.1.member_id", ""),
            ("speakers.1.name", "Đồng chí Trần Văn Hải"),
            ("speakers.1.opinion", "Ghi nhận kết quả"),
            ("conclusions", "Thống nhất nhiệm vụ tháng 9"),
            ("resolution", "Tổng vệ sinh ngày 15/9"),
            ("votes_for", "2"),
            ("votes_against", "0"),
            ("votes_abstain", "0"),
        ]
    };
    let mut more = minutes("19:30");
    more.push(("more", "1"));
    let more = b.post(&format!("/meetings/{id}/minutes/edit"), &more).await;
    assert_eq!(more.status, StatusCode::OK);
    assert!(more.body.contains("name=\"speakers.5.opinion\""), "more rows");
    assert!(field_block(&more.body, "speakers.0.name").contains("Đồng chí Trần Văn Hải"), "blank rows closed up");
    let bad = b.post(&format!("/meetings/{id}/minutes/edit"), &minutes("7h")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(field_block(&bad.body, "starts_at").contains("class=\"error\""));
    let mut good = minutes("19:30");
    good.extend([("chair_id", lan.as_str()), ("recorder_id", binh.as_str())]);
    good.extend([("speakers.0.member_id", lan.as_str()), ("speakers.0.opinion", "Đề nghị giữ gìn vệ sinh")]);
    let done = b.post(&format!("/meetings/{id}/minutes/edit"), &good).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);

    // The printable minutes carry the header, the totals and the absent with their reasons.
    let print = b.get(&format!("/meetings/{id}/minutes")).await;
    assert_eq!(print.status, StatusCode::OK, "{}", print.body);
    for text in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "BIÊN BẢN SINH HOẠT CHI BỘ",
        "CHI BỘ TỔ DÂN PHỐ SỐ 1",
        "ngày 10 tháng 9 năm 2025",
        "Tổng số đảng viên: <strong>4</strong>",
        "Có mặt: <strong>2</strong>",
        "Vắng có lý do: <strong>1</strong>",
        "Vắng không lý do: <strong>0</strong>",
        "Miễn sinh hoạt: <strong>1</strong>",
        "Lê Văn An — Vắng mặt có lý do: Ốm",
        "Nguyễn Thị Lan</strong>: <span class=\"pre\">Đề nghị giữ gìn vệ sinh",
        "Tổng vệ sinh ngày 15/9",
        "Số phiếu tán thành: 2/2",
        "CHỦ TRÌ",
        "THƯ KÝ",
        "data-print",
        "Bản nháp",
    ] {
        assert!(print.body.contains(text), "{text}: {}", print.body);
    }
    let css = b.get("/static/app.css").await;
    assert!(css.body.contains("@media print"));

    // Rating: judged criteria entered, the result shown.
    let rate = b.get(&format!("/meetings/{id}/assess")).await;
    assert!(rate.body.contains("name=\"scores.preparation\"") && rate.body.contains("Tính từ hồ sơ"), "{}", rate.body);
    let rated = b
        .post(
            &format!("/meetings/{id}/assess"),
            &[("version", "4"), ("scores.preparation", "18"), ("scores.principles", "9"), ("scores.resolution", "")],
        )
        .await;
    assert_eq!(rated.status, StatusCode::UNPROCESSABLE_ENTITY, "a judged criterion is missing");
    assert!(field_block(&rated.body, "scores.resolution").contains("class=\"error\""), "{}", rated.body);
    let rated = b
        .post(
            &format!("/meetings/{id}/assess"),
            &[("version", "4"), ("scores.preparation", "18"), ("scores.principles", "9"), ("scores.resolution", "14")],
        )
        .await;
    assert_eq!(rated.status, StatusCode::OK, "{}", rated.body);
    assert!(rated.body.contains("Kết quả:"), "{}", rated.body);

    // Documents: uploaded with the form, downloaded, refused when the type is not allowed.
    let up = b.upload(&format!("/meetings/{id}/documents"), "Nghị quyết.txt", "Nội dung nghị quyết").await;
    assert_eq!(up.status, StatusCode::SEE_OTHER, "{}", up.body);
    let page = b.get(&format!("/meetings/{id}")).await;
    let doc = link_starting(&page.body, "/documents/").to_string();
    assert!(page.body.contains("Nghị quyết.txt"));
    assert_eq!(b.get(&doc).await.body, "Nội dung nghị quyết");
    let up = b.upload(&format!("/meetings/{id}/documents"), "virus.exe", "MZ").await;
    assert_eq!(up.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(up.body.contains("Tệp: chỉ nhận PDF"), "{}", up.body);
    let mut stranger = Browser::new(w);
    stranger.csrf = "forged".into();
    stranger.cookies = b.cookies.clone();
    assert_eq!(stranger.upload(&format!("/meetings/{id}/documents"), "a.txt", "x").await.status, StatusCode::FORBIDDEN);

    // Approval locks the minutes.
    let page = b.get(&format!("/meetings/{id}")).await;
    let version = page.body.split("name=\"version\" value=\"").nth(1).and_then(|s| s.split('"').next()).unwrap();
    let version = version.to_string();
    let done = b.post(&format!("/meetings/{id}/approve"), &[("version", version.as_str())]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = b.get(&format!("/meetings/{id}")).await;
    assert!(page.body.contains("Biên bản đã thông qua"));
    assert_eq!(b.get(&format!("/meetings/{id}/attendance")).await.status, StatusCode::FORBIDDEN);
    assert!(!b.get(&format!("/meetings/{id}/minutes")).await.body.contains("Bản nháp"));

    // A member sees the coming meeting and tells an absence; the secretary accepts it.
    let soon = chibo_access::domain::date::format_vn(common::today().saturating_add(time::Duration::days(5)));
    let next = b
        .post(
            &format!("/orgs/{x1}/meetings"),
            &[("kind", "thematic"), ("held_on", soon.as_str()), ("agenda", "Chuyên đề")],
        )
        .await;
    assert_eq!(next.status, StatusCode::SEE_OTHER, "{}", next.body);
    let next = meeting_of(&next.location);
    // A second meeting of the same kind on the same day is said to be one, and listed as such.
    let again = b
        .post(
            &format!("/orgs/{x1}/meetings"),
            &[("kind", "thematic"), ("held_on", soon.as_str()), ("agenda", "Chuyên đề")],
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    let page = b.get(&again.location).await;
    assert!(page.body.contains("alert warn duplicate"), "{}", page.body);
    assert!(b.get(&format!("/meetings/{next}")).await.body.contains("alert warn duplicate"), "both are flagged");
    let version = page.body.split("name=\"version\" value=\"").nth(1).and_then(|s| s.split('"').next()).unwrap();
    let version = version.to_string();
    let again = meeting_of(&again.location);
    let gone = b.post(&format!("/meetings/{again}/cancel"), &[("version", version.as_str())]).await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER, "{}", gone.body);
    assert!(
        !b.get(&format!("/meetings/{next}")).await.body.contains("alert warn duplicate"),
        "a cancelled one is no twin"
    );
    let mut m = Browser::login(w, "member").await;
    let home = m.get("/").await;
    assert!(home.body.contains("Sinh hoạt sắp tới") && home.body.contains(&soon), "the member's home: {}", home.body);
    assert!(!home.body.contains("href=\"/tree\""), "a member alone has no tree in the menu");
    let up = m.get("/my/meetings").await;
    assert!(up.body.contains("Sinh hoạt chuyên đề") && up.body.contains(&soon), "{}", up.body);
    let bad = m.post(&format!("/meetings/{next}/notice"), &[("reason", ""), ("next", "/my/meetings")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("class=\"error\""));
    let sent =
        m.post(&format!("/meetings/{next}/notice"), &[("reason", "Đi công tác"), ("next", "/my/meetings")]).await;
    assert_eq!((sent.status, sent.location.as_str()), (StatusCode::SEE_OTHER, "/my/meetings?saved=1"));
    assert!(m.get("/my/meetings").await.body.contains("Chờ bí thư xác nhận"));
    let seen = m.get(&format!("/meetings/{next}")).await;
    assert!(seen.body.contains("Điểm danh của bạn") && !seen.body.contains("Lê Văn An"), "own line only");
    assert_eq!(
        m.get(&format!("/meetings/{id}/minutes")).await.status,
        StatusCode::FORBIDDEN,
        "the minutes name everyone"
    );
    // The secretary's home leads with what waits: the notice, answered in place; the header counts.
    let home = b.get("/").await;
    assert!(home.body.contains("Việc đang chờ") && home.body.contains("Đi công tác"), "{}", home.body);
    assert!(home.body.contains(&format!("action=\"/meetings/{next}/notices/{lan}\"")));
    assert!(home.body.contains("hx-get=\"/ui/waiting\""));
    assert!(b.fragment("/ui/waiting").await.body.contains("class=\"count\""));
    assert!(!m.fragment("/ui/waiting").await.body.contains("count"), "a member has no count");
    let page = b.get(&format!("/meetings/{next}")).await;
    assert!(page.body.contains("Đi công tác") && page.body.contains("Đồng ý (vắng có lý do)"), "{}", page.body);
    let done = b.post(&format!("/meetings/{next}/notices/{lan}"), &[("accept", "1")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert!(m.get("/my/meetings").await.body.contains("Đã đồng ý"));
    // The member's home: their own record and the meeting, where the notice is withdrawn.
    let home = m.get("/").await;
    assert!(home.body.contains(&format!("href=\"/members/{lan}\"")), "{}", home.body);
    assert!(home.body.contains("Rút lại báo vắng") && home.body.contains("Sinh hoạt chuyên đề"));
    let gone = m.post(&format!("/meetings/{next}/notice/withdraw"), &[("next", "/")]).await;
    assert_eq!((gone.status, gone.location.as_str()), (StatusCode::SEE_OTHER, "/?saved=1"));
    assert!(!m.get("/").await.body.contains("Rút lại báo vắng"));
    let page = b.get(&format!("/meetings/{next}")).await;
    assert!(!page.body.contains("Đồng ý (vắng có lý do)"), "the notice is gone for the secretary too");

    // Topics of the year.
    let bad = b.post(&format!("/orgs/{x1}/topics"), &[("year", "2025"), ("month", "10"), ("title", "")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_block(&bad.body, "title").contains("class=\"error\""));
    let done =
        b.post(&format!("/orgs/{x1}/topics"), &[("year", "2025"), ("month", "10"), ("title", "Chuyển đổi số")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert!(b.get(&done.location).await.body.contains("Chuyển đổi số"));

    // Figures of the commune: the period selector, shares with num/den, drill-down links.
    let mut s = Browser::login(w, "staff").await;
    let x = w.x.to_string();
    let f = s.get(&format!("/orgs/{x}/meeting-figures?period=2025-09")).await;
    assert_eq!(f.status, StatusCode::OK, "{}", f.body);
    for text in [
        "Số liệu sinh hoạt chi bộ: Tháng 09/2025",
        "50% (1/2)",
        "2/3",
        &format!("href=\"/orgs/{x1}/meeting-figures?period=2025-09\""),
        "Chi bộ Tổ dân phố số 2",
        "Chi bộ chưa sinh hoạt thường kỳ, theo tháng",
    ] {
        assert!(f.body.contains(text), "{text}: {}", f.body);
    }
    // The whole list of a month, page by page, with the count.
    let list = s.get(&format!("/orgs/{x}/meeting-figures/missing?period=2025-09")).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    for text in ["Chưa sinh hoạt thường kỳ: Tháng 09/2025", "<strong>1</strong>", "Chi bộ Tổ dân phố số 2"]
    {
        assert!(list.body.contains(text), "{text}: {}", list.body);
    }
    let bad = s.get(&format!("/orgs/{x}/meeting-figures/missing?period=2025-09&offset=x")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let f = s.get(&format!("/orgs/{x}/meeting-figures?p=quarter&year=2025&quarter=3")).await;
    assert!(f.body.contains("Quý 3/2025"), "{}", f.body);
    let f = s.get(&format!("/orgs/{x}/meeting-figures?p=custom&from=01/09/2025&to=31/10/2025")).await;
    assert_eq!(f.status, StatusCode::OK);
    assert!(f.body.contains("01/09/2025 – 31/10/2025"), "{}", f.body);
    let f = s.get(&format!("/orgs/{x}/meeting-figures?p=custom&from=h%C3%B4m%20qua&to=")).await;
    assert_eq!(f.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(f.body.contains("Kỳ báo cáo"), "{}", f.body);
    // The committee above the cell heads the minutes for whoever may read it.
    assert!(s.get(&format!("/meetings/{id}/minutes")).await.body.contains("ĐẢNG BỘ PHƯỜNG HOÀN KIẾM"));
    let cell = s.get(&format!("/orgs/{x1}/meeting-figures?period=2025-09")).await;
    assert!(cell.body.contains(&format!("href=\"/meetings/{id}\"")), "the cell's meetings: {}", cell.body);
    let absences = s.get(&format!("/orgs/{x1}/absences?year=2025")).await;
    assert_eq!(absences.status, StatusCode::OK);
    assert!(absences.body.contains("Không có đảng viên nào cần quan tâm."), "{}", absences.body);
    // The commune's list gathers its cells' lists (the same here: nobody), with a cell column.
    let absences = s.get(&format!("/orgs/{}/absences?year=2025", w.x)).await;
    assert_eq!(absences.status, StatusCode::OK);
    assert!(absences.body.contains("Không có đảng viên nào cần quan tâm."), "{}", absences.body);
    // Outside the grants: not found.
    let mut y = Browser::login(w, "staff_y").await;
    for uri in
        [format!("/meetings/{id}"), format!("/meetings/{id}/minutes"), format!("/orgs/{x1}/meetings"), doc.clone()]
    {
        assert_eq!(y.get(&uri).await.status, StatusCode::NOT_FOUND, "{uri}");
    }
}
