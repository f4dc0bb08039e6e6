use super::*;
use crate::date::ymd;

fn t(s: &str) -> SheetCell {
    SheetCell::Text(s.to_string())
}

fn d(y: i32, m: u8, day: u8) -> Date {
    ymd(y, m, day).unwrap_or(Date::MIN)
}

fn member(n: u128, name: &str, cccd: Option<&str>, card: Option<&str>) -> IntroducerRef {
    IntroducerRef {
        member_id: Uuid::from_u128(n),
        full_name: name.into(),
        citizen_id: cccd.map(str::to_string),
        party_card_number: card.map(str::to_string),
    }
}

#[test]
fn headers_people_write_are_understood() {
    let map = CandidateHeaderMap::of(&[
        t("STT"),
        t("Ho va ten"),
        t("Ngày sinh"),
        t("Giới tính"),
        t("CMND/CCCD"),
        t("Chi bộ"),
        t("Ngày làm đơn"),
        t("Người giới thiệu thứ nhất"),
        t("Người giới thiệu 2"),
        t("Ngày chi bộ xét kết nạp"),
        t("Lớp cảm tình Đảng"),
        t("Ghi chú"),
    ])
    .unwrap();
    assert_eq!(map.ignored, vec!["Ghi chú".to_string()]);
    let cols: Vec<CandidateColumn> = map.columns.iter().map(|(_, c)| *c).collect();
    assert_eq!(
        cols,
        vec![
            C::Person(Column::FullName),
            C::Person(Column::BirthDate),
            C::Person(Column::Gender),
            citizen_id(),
            C::Person(Column::Cell),
            C::Application,
            C::Introducer(0),
            C::Introducer(1),
            C::CellResolution,
            C::CourseCertificate,
        ]
    );
}

#[test]
fn missing_columns_are_named() {
    let errs = CandidateHeaderMap::of(&[t("Họ và tên"), t("Họ"), t("Ngày sinh")]).unwrap_err();
    let got: Vec<(&str, &str)> = errs.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert_eq!(
        got,
        vec![
            ("full_name", "name_both_ways"),
            ("gender", "column_missing"),
            ("org_id", "column_missing"),
            ("application_on", "column_missing"),
        ]
    );
}

#[test]
fn a_row_reads_into_a_dossier_and_writes_back() {
    let map = CandidateHeaderMap::of(&candidate_columns().map(|c| t(c.header(Lang::Vi))).collect::<Vec<_>>()).unwrap();
    let row: Vec<SheetCell> = [
        "Lò",
        "Văn",
        "Pá",
        "01/05/2000",
        "Nam",
        "Thái",
        "014200001234",
        "Chi bộ Thôn 1",
        "01/03/2025",
        "01/04/2025",
        "90000001",
        "01/01/2023",
        "Hà Thị Ơn",
        "01/06/2022",
        "",
        "02/06/2025",
        "8",
        "9",
        "",
        "",
        "",
    ]
    .iter()
    .map(|s| t(s))
    .collect();
    let r = map.read(&row);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!((r.input.given_name.as_str(), r.input.ethnicity_code), ("Pá", 3));
    assert_eq!(r.input.application_on, d(2025, 4, 1));
    assert_eq!((r.input.cell_votes_for, r.input.cell_vote_base), (Some(8), Some(9)));
    assert_eq!(r.cell, "Chi bộ Thôn 1");
    assert_eq!(
        r.introducers,
        vec![
            WrittenIntroducer { index: 0, written: "90000001".into(), known_since: Some(d(2023, 1, 1)) },
            WrittenIntroducer { index: 1, written: "Hà Thị Ơn".into(), known_since: Some(d(2022, 6, 1)) },
        ]
    );
    let mut input = r.input.clone();
    input.introducers = r
        .introducers
        .iter()
        .map(|w| IntroducerInput { member_id: Uuid::from_u128(w.index as u128), known_since: w.known_since })
        .collect();
    let back = candidate_row_of(&input, "Chi bộ Thôn 1", &["90000001".into(), "Hà Thị Ơn".into()]);
    assert_eq!(back, row.iter().map(SheetCell::text).collect::<Vec<_>>());
}

#[test]
fn unreadable_cells_name_their_column() {
    let map = CandidateHeaderMap::of(&[
        t("Họ và tên"),
        t("Ngày sinh"),
        t("Giới tính"),
        t("Chi bộ"),
        t("Ngày làm đơn xin vào Đảng"),
        t("Người giới thiệu 1"),
        t("Người giới thiệu 1 cùng công tác từ ngày"),
        t("Số phiếu tán thành"),
        t("Ngoại lệ tuổi kết nạp"),
    ])
    .unwrap();
    let r =
        map.read(&[t("Lò Văn Pá"), t("31/02/2000"), t(""), t(""), t(""), t(""), t("01/01/2023"), t("tám"), t("có lẽ")]);
    let got: Vec<(&str, &str)> = r.errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert_eq!(
        got,
        vec![
            ("birth_date", "bad_value"),
            ("gender", "required"),
            ("org_id", "required"),
            ("application_on", "required"),
            ("introducers.0.member_id", "required"),
            ("cell_votes_for", "bad_value"),
            ("age_exception_approved", "bad_value"),
        ]
    );
    assert_eq!(CandidateColumn::of_field("introducers"), Some(C::Introducer(0)));
    assert_eq!(CandidateColumn::of_field("cell_votes_for"), Some(C::VotesFor));
    assert_eq!(CandidateColumn::of_field("citizen_id"), Some(citizen_id()));
}

#[test]
fn introducers_by_card_citizen_id_or_exact_name() {
    let cell = [
        member(1, "Hà Thị Ơn", Some("001080001111"), Some("90000001")),
        member(2, "Lò Văn Pá", None, None),
        member(3, "Lò Văn Pá", None, None),
        member(4, "Hạ Thị Ơn", None, None),
    ];
    assert_eq!(match_introducer("90000001", &cell), Ok(Uuid::from_u128(1)));
    assert_eq!(match_introducer(" 0010 8000 1111 ", &cell), Ok(Uuid::from_u128(1)));
    assert_eq!(match_introducer("hà  thị ơn", &cell), Ok(Uuid::from_u128(1)), "case and spaces aside");
    assert_eq!(match_introducer("Hạ Thị Ơn", &cell), Ok(Uuid::from_u128(4)), "diacritics count");
    assert_eq!(match_introducer("Lò Văn Pá", &cell), Err(IntroducerMiss::Ambiguous));
    assert_eq!(match_introducer("Ha Thi On", &cell), Err(IntroducerMiss::Unknown));
    assert_eq!(match_introducer("90000009", &cell), Err(IntroducerMiss::Unknown));
    assert!(is_identifier("0123 456") && !is_identifier("Lò Văn 1"));
    assert_eq!(cell[0].written(), "90000001");
    assert_eq!(cell[1].written(), "Lò Văn Pá");
}
