//! Store stories, each run on SQLite and (when CHIBO_TEST_PG_URL is set) PostgreSQL.

use chibo_domain::member::{Gender, MemberInput, MemberStatus, TheoryLevel};
use chibo_domain::org::{Locality, OrgInput, OrgKind};
use chibo_domain::{access::Role, path};
use chibo_store::members::{self, NewMember, PageQuery, Plan};
use chibo_store::orgs::{self, NewOrg, Org};
use chibo_store::page::{anchor, page_with};
use chibo_store::testing::{TestDb, engines};
use chibo_store::words;
use chibo_store::{StoreError, Tx, audit, users};
use time::macros::date;
use uuid::Uuid;

/// Run a story on every engine.
macro_rules! on_every_engine {
    ($story:ident) => {
        for engine in engines() {
            let db = TestDb::new(engine).await.expect("test database");
            let name = db.name.clone();
            eprintln!("story {} on {name}", stringify!($story));
            $story(&db).await;
            db.drop_db().await;
        }
    };
}

fn org_input(name: &str, kind: OrgKind) -> OrgInput {
    OrgInput {
        locality: Locality { province_code: Some(51), commune_code: None, village: None },
        established_on: Some(date!(2025 - 07 - 01)),
        ..chibo_testkit::org(name, kind)
    }
}

async fn add_root(tx: &mut Tx, name: &str, kind: OrgKind, seg: u32) -> Org {
    let id = Uuid::now_v7();
    let p = path::segment(seg).unwrap();
    let input = org_input(name, kind);
    orgs::insert(tx, &NewOrg { id, parent_id: None, path: &p, next_child: 0, input: &input }).await.unwrap();
    orgs::add_stats(tx, &p, orgs::OrgStats { cells: i64::from(kind.is_cell()), ..Default::default() }).await.unwrap();
    orgs::by_id(tx, id).await.unwrap().unwrap()
}

async fn add_child(tx: &mut Tx, parent: &Org, name: &str, kind: OrgKind) -> Org {
    let parent = orgs::by_id(tx, parent.id).await.unwrap().unwrap();
    let id = Uuid::now_v7();
    let p = orgs::allocate_child_path(tx, &parent).await.unwrap();
    let input = org_input(name, kind);
    orgs::insert(tx, &NewOrg { id, parent_id: Some(parent.id), path: &p, next_child: 0, input: &input }).await.unwrap();
    let active_cell = orgs::OrgStats { cells: i64::from(kind.is_cell()), ..Default::default() };
    if let Some(parent_path) = path::ancestors(&p).last() {
        orgs::add_stats(tx, parent_path, active_cell).await.unwrap();
    }
    orgs::by_id(tx, id).await.unwrap().unwrap()
}

fn member(family: &str, middle: &str, given: &str, org: Uuid) -> MemberInput {
    MemberInput {
        birth_date: date!(1985 - 04 - 12),
        gender: Gender::Male,
        profile: chibo_domain::member::MemberProfile {
            home_town: Some("Quế Lộc".into()),
            general_education: Some("12/12".into()),
            occupation: Some("Nông dân".into()),
            ..Default::default()
        },
        theory_level: TheoryLevel::Elementary,
        admission_date: date!(2010 - 05 - 19),
        official_date: Some(date!(2011 - 05 - 19)),
        ..chibo_testkit::member(family, middle, given, org)
    }
}

async fn add_member(tx: &mut Tx, cell: &Org, m: &MemberInput) -> Uuid {
    let id = Uuid::now_v7();
    let cell = orgs::by_id(tx, cell.id).await.unwrap().unwrap();
    members::insert_many(tx, &[NewMember { id, org_path: &cell.path, province_code: Some(51), input: m }])
        .await
        .unwrap();
    orgs::add_stats(tx, &cell.path, members::stats_of(m)).await.unwrap();
    id
}

/// province → commune → two cells; a second commune.
async fn small_tree(db: &TestDb) -> (Org, Org, Org, Org, Org) {
    let mut tx = db.pools.begin().await.unwrap();
    let province = add_root(&mut tx, "Đảng bộ Tỉnh Quảng Ngãi", OrgKind::Provincial, 1).await;
    let commune = add_child(&mut tx, &province, "Đảng bộ Xã Quế Lộc", OrgKind::Commune).await;
    let cell_a = add_child(&mut tx, &commune, "Chi bộ thôn Đông", OrgKind::SubordinateCell).await;
    let cell_b = add_child(&mut tx, &commune, "Chi bộ thôn Ấp Bắc", OrgKind::SubordinateCell).await;
    let other = add_child(&mut tx, &province, "Đảng bộ Xã Bình Sơn", OrgKind::Commune).await;
    tx.commit().await.unwrap();
    (province, commune, cell_a, cell_b, other)
}

async fn tree_and_counters(db: &TestDb) {
    let (province, commune, cell_a, cell_b, other) = small_tree(db).await;
    let mut tx = db.pools.begin().await.unwrap();
    add_member(&mut tx, &cell_a, &member("Nguyễn", "Văn", "An", cell_a.id)).await;
    let mut f = member("Trần", "Thị", "Bình", cell_a.id);
    f.gender = Gender::Female;
    f.ethnicity_code = 2;
    add_member(&mut tx, &cell_a, &f).await;
    let mut p = member("Lê", "Văn", "Cường", cell_b.id);
    p.status = MemberStatus::Probationary;
    p.official_date = None;
    add_member(&mut tx, &cell_b, &p).await;
    tx.commit().await.unwrap();

    let mut c = db.pools.read().await.unwrap();
    let prov = orgs::by_id(&mut c, province.id).await.unwrap().unwrap();
    assert_eq!((prov.stats.members, prov.stats.official, prov.stats.probationary), (3, 2, 1));
    assert_eq!((prov.stats.female, prov.stats.minority, prov.stats.cells), (1, 1, 2));
    assert!(orgs::recount(&mut c).await.unwrap().is_empty());
    // Children sorted the Vietnamese way: "Ấp Bắc" after … "Đông"? Ấ is â: a < â < … < đ.
    let kids = orgs::children(&mut c, commune.id, false).await.unwrap();
    assert_eq!(
        kids.iter().map(|o| o.input.name.as_str()).collect::<Vec<_>>(),
        ["Chi bộ thôn Ấp Bắc", "Chi bộ thôn Đông"]
    );
    let anc = orgs::ancestors(&mut c, &cell_a.path).await.unwrap();
    assert_eq!(anc.iter().map(|o| o.id).collect::<Vec<_>>(), [province.id, commune.id]);
    // Search ignores diacritics, inside the subtree only.
    let found = orgs::search(&mut c, &[&commune.path], &["dong".into()], 10).await.unwrap();
    assert_eq!(found.len(), 1);
    assert!(orgs::search(&mut c, &[&other.path], &["dong".into()], 10).await.unwrap().is_empty());
    drop(c);

    // Move cell A (two members) from Quế Lộc to Bình Sơn.
    let mut tx = db.pools.begin().await.unwrap();
    let cell_a_now = orgs::by_id(&mut tx, cell_a.id).await.unwrap().unwrap();
    let other_now = orgs::by_id(&mut tx, other.id).await.unwrap().unwrap();
    let new_path = orgs::move_subtree(&mut tx, &cell_a_now, &other_now).await.unwrap();
    tx.commit().await.unwrap();
    assert!(new_path.starts_with(&other.path));
    let mut c = db.pools.read().await.unwrap();
    let commune_now = orgs::by_id(&mut c, commune.id).await.unwrap().unwrap();
    let other_now = orgs::by_id(&mut c, other.id).await.unwrap().unwrap();
    assert_eq!((commune_now.stats.members, commune_now.stats.cells), (1, 1));
    assert_eq!((other_now.stats.members, other_now.stats.cells), (2, 1));
    assert_eq!(orgs::by_id(&mut c, province.id).await.unwrap().unwrap().stats.members, 3);
    assert!(orgs::recount(&mut c).await.unwrap().is_empty(), "counters equal the records after a move");
    // Members' paths followed, so the subtree page finds them.
    let (page, _) = members::page(&mut c, &query(&other_now.path, 2, 3, &[])).await.unwrap();
    assert_eq!(page.len(), 2);
    assert!(page.iter().all(|m| m.org_path == new_path));
    // The word index followed the move: a word search of the new commune finds them, the old
    // commune finds only its own.
    let terms = vec![String::from("nguyen"), String::from("tran"), String::from("le")];
    for (org, expected) in [(&other_now, 2usize), (&commune_now, 1)] {
        let mut found = 0;
        for t in &terms {
            let one = std::slice::from_ref(t);
            let a = anchor(&mut c, one, 3).await.unwrap();
            let (rows, _) = page_with(&mut c, &query(&org.path, 3, 3, one), Plan::Words, a.as_ref()).await.unwrap();
            found += rows.len();
        }
        assert_eq!(found, expected, "{}", org.input.name);
    }
    assert!(words::recount(&mut c).await.unwrap().is_empty());
    assert_eq!(words::pairs_differ(&mut c).await.unwrap(), 0, "the pairs of words followed the move");
    drop(c);

    // The index emptied (a database from before it), then filled by two starts at once: one
    // fills it, the other finds it begun, and the counts equal the rows.
    let mut tx = db.pools.begin().await.unwrap();
    let indexed = chibo_store::db::sql("SELECT COUNT(*) FROM member_words").fetch_i64(&mut tx).await.unwrap();
    let pairs = chibo_store::db::sql("SELECT COUNT(*) FROM member_word_pairs").fetch_i64(&mut tx).await.unwrap();
    assert_eq!(pairs, 9, "three names of three words, three pairs each");
    for table in ["member_words", "name_words", "member_word_pairs"] {
        chibo_store::db::dynamic_sql(format!("DELETE FROM {table}")).execute(&mut tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    let (a, b) = tokio::join!(words::backfill(&db.pools), words::backfill(&db.pools));
    let mut done = [a.unwrap(), b.unwrap()];
    done.sort_unstable();
    assert_eq!(done, [0, 3], "one start fills the index of the three members");
    let mut c = db.pools.read().await.unwrap();
    assert_eq!(chibo_store::db::sql("SELECT COUNT(*) FROM member_words").fetch_i64(&mut c).await.unwrap(), indexed);
    assert!(words::recount(&mut c).await.unwrap().is_empty());
    assert_eq!(words::pairs_differ(&mut c).await.unwrap(), 0);
    drop(c);

    // The pairs emptied (a database from before them, migration 0028): the next start fills
    // them from the members; a pair made wrong is found by the recount.
    let mut tx = db.pools.begin().await.unwrap();
    chibo_store::db::sql("DELETE FROM member_word_pairs").execute(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    words::backfill_pairs(&db.pools).await.unwrap();
    let mut tx = db.pools.begin().await.unwrap();
    assert_eq!(chibo_store::db::sql("SELECT COUNT(*) FROM member_word_pairs").fetch_i64(&mut tx).await.unwrap(), 9);
    assert_eq!(words::pairs_differ(&mut tx).await.unwrap(), 0);
    chibo_store::db::sql("UPDATE member_word_pairs SET org_path = 'x' WHERE first = 'nguyen'")
        .execute(&mut tx)
        .await
        .unwrap();
    assert!(words::pairs_differ(&mut tx).await.unwrap() > 0);
    drop(tx);
}

fn query<'a>(root: &'a str, sub: i64, all: i64, terms: &'a [String]) -> PageQuery<'a> {
    PageQuery { root_path: root, subtree_members: sub, all_members: all, terms, status: None, after: None, limit: 50 }
}

async fn member_round_trip_and_uniqueness(db: &TestDb) {
    let (_, _, cell, _, _) = small_tree(db).await;
    let mut m = member("Nguyễn", "Thị", "Lan", cell.id);
    m.gender = Gender::Female;
    m.profile.citizen_id = Some("051185001234".into());
    m.profile.party_card_number = Some("12345678".into());
    m.profile.email = Some("lan@example.vn".into());
    m.profile.religion = Some("Phật giáo".into());
    let mut tx = db.pools.begin().await.unwrap();
    let id = add_member(&mut tx, &cell, &m).await;
    tx.commit().await.unwrap();
    let mut c = db.pools.read().await.unwrap();
    let got = members::by_id(&mut c, id).await.unwrap().unwrap();
    assert_eq!(got.input, m);
    assert_eq!(got.full_name, "Nguyễn Thị Lan");
    assert_eq!(got.version, 1);
    drop(c);

    // Every field of the profile table is written and read back, by the insert and the update
    // (so a field added to the table is stored without another edit here).
    let mut full = member("Lò", "Văn", "Páo", cell.id);
    for (k, slot) in full.profile.values_mut().into_iter().enumerate() {
        *slot = Some(format!("giá trị {k}"));
    }
    let mut tx = db.pools.begin().await.unwrap();
    let full_id = add_member(&mut tx, &cell, &full).await;
    tx.commit().await.unwrap();
    let mut c = db.pools.read().await.unwrap();
    assert_eq!(members::by_id(&mut c, full_id).await.unwrap().unwrap().input.profile, full.profile);
    drop(c);
    let mut edited = full.clone();
    for (k, slot) in edited.profile.values_mut().into_iter().enumerate() {
        *slot = (k % 2 == 0).then(|| format!("sửa {k}"));
    }
    let mut tx = db.pools.begin().await.unwrap();
    let new = NewMember { id: full_id, org_path: &cell.path, province_code: Some(51), input: &edited };
    members::update(&mut tx, &new, &full, &cell.path, 1).await.unwrap();
    tx.commit().await.unwrap();
    let mut c = db.pools.read().await.unwrap();
    let got = members::by_id(&mut c, full_id).await.unwrap().unwrap();
    assert_eq!((got.input.profile, got.version), (edited.profile, 2));
    drop(c);

    // The same CCCD twice is refused by the database too.
    let mut tx = db.pools.begin().await.unwrap();
    let mut twin = member("Lê", "", "Hoa", cell.id);
    twin.profile.citizen_id = m.profile.citizen_id.clone();
    let err = members::insert_many(
        &mut tx,
        &[NewMember { id: Uuid::now_v7(), org_path: &cell.path, province_code: None, input: &twin }],
    )
    .await
    .unwrap_err();
    assert!(matches!(err, StoreError::Duplicate { field: "citizen_id" }), "{err:?}");
    drop(tx);
    let mut c = db.pools.read().await.unwrap();
    assert_eq!(members::holder_of(&mut c, "citizen_id", "051185001234", None).await.unwrap(), Some(id));
    assert_eq!(members::holder_of(&mut c, "citizen_id", "051185001234", Some(id)).await.unwrap(), None);
    drop(c);

    // Optimistic update: the second writer with the old version loses.
    let mut tx = db.pools.begin().await.unwrap();
    let mut changed = m.clone();
    changed.profile.phone = Some("0912345678".into());
    members::update(
        &mut tx,
        &NewMember { id, org_path: &cell.path, province_code: Some(51), input: &changed },
        &m,
        &cell.path,
        1,
    )
    .await
    .unwrap();
    let stale = members::update(
        &mut tx,
        &NewMember { id, org_path: &cell.path, province_code: Some(51), input: &changed },
        &m,
        &cell.path,
        1,
    )
    .await;
    assert!(matches!(stale, Err(StoreError::Stale)));
    tx.commit().await.unwrap();

    let mut tx = db.pools.begin().await.unwrap();
    let mut renamed = changed.clone();
    renamed.given_name = "Lành".into();
    members::update(
        &mut tx,
        &NewMember { id, org_path: &cell.path, province_code: Some(51), input: &renamed },
        &changed,
        &cell.path,
        2,
    )
    .await
    .unwrap();
    assert!(words::recount(&mut tx).await.unwrap().is_empty(), "renaming moves the word rows and counts");
    assert_eq!(words::pairs_differ(&mut tx).await.unwrap(), 0, "and the pairs of words");
    tx.commit().await.unwrap();
    let mut tx = db.pools.begin().await.unwrap();
    members::update(
        &mut tx,
        &NewMember { id, org_path: &cell.path, province_code: Some(51), input: &changed },
        &renamed,
        &cell.path,
        3,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    // Same name and birth date in the same province: a candidate duplicate.
    let mut c = db.pools.read().await.unwrap();
    let same = member("Nguyễn", "Thị", "Lan", cell.id);
    let probe = NewMember { id: Uuid::now_v7(), org_path: &cell.path, province_code: Some(51), input: &same };
    let mut same_birth = same.clone();
    same_birth.birth_date = m.birth_date;
    let cands = members::same_person_candidates(&mut c, &NewMember { input: &same_birth, ..probe }).await.unwrap();
    assert_eq!(cands, vec![id]);
    let elsewhere = NewMember { id: Uuid::now_v7(), org_path: &cell.path, province_code: Some(1), input: &same_birth };
    assert!(members::same_person_candidates(&mut c, &elsewhere).await.unwrap().is_empty());
}

async fn pages_sort_vietnamese_and_search_without_diacritics(db: &TestDb) {
    let (province, commune, cell_a, cell_b, _) = small_tree(db).await;
    let names = [
        ("Nguyễn", "Văn", "Đức"),
        ("Trần", "Thị", "Ánh"),
        ("Lê", "Văn", "An"),
        ("Phạm", "Thị", "Ân"),
        ("Nguyễn", "Thị", "Anh"),
        ("Hoàng", "", "Dũng"),
        ("Vũ", "Minh", "Ơn"),
        ("Đặng", "Văn", "Ông"),
        ("Bùi", "Thị", "Mạ"),
        ("Bùi", "Thị", "Ma"),
    ];
    let mut tx = db.pools.begin().await.unwrap();
    for (i, (f, m, g)) in names.iter().enumerate() {
        let cell = if i % 2 == 0 { &cell_a } else { &cell_b };
        add_member(&mut tx, cell, &member(f, m, g, cell.id)).await;
    }
    tx.commit().await.unwrap();
    let expected = [
        "Lê Văn An",
        "Nguyễn Thị Anh",
        "Trần Thị Ánh",
        "Phạm Thị Ân",
        "Hoàng Dũng",
        "Nguyễn Văn Đức",
        "Bùi Thị Ma",
        "Bùi Thị Mạ",
        "Đặng Văn Ông",
        "Vũ Minh Ơn",
    ];
    let mut c = db.pools.read().await.unwrap();
    for (sub, all) in [(10, 10), (10_000, 10_000)] {
        let q = query(&province.path, sub, all, &[]);
        let plan = q.plan(None);
        // Both plans, three pages of four: the same order.
        let mut seen = Vec::new();
        let mut q = PageQuery { limit: 4, ..q };
        loop {
            let (rows, next) = members::page(&mut c, &q).await.unwrap();
            seen.extend(rows.into_iter().map(|r| r.full_name));
            match next {
                Some(cur) => q.after = Some(cur),
                None => break,
            }
        }
        assert_eq!(seen, expected, "plan {plan:?}");
    }
    assert_eq!(query("0001", 10, 1_000, &[]).plan(None), Plan::Range);
    assert_eq!(query("0001", 10_000, 10_000, &[]).plan(None), Plan::Walk);
    assert_eq!(query("0001", 20, 5_600_000, &[]).plan(None), Plan::Range);
    assert_eq!(query("0001", 165_000, 5_600_000, &[]).plan(None), Plan::Walk);
    // A rare search term in a large subtree reads the word index.
    let lan = [String::from("lan")];
    let rare = chibo_store::page::Anchor {
        words: vec!["lan".into()],
        candidates: 2_000,
        match_share: 2_000.0 / 5_600_000.0,
        pairs: vec![],
        pair_share: 0.0,
        rest: vec![],
    };
    assert_eq!(query("0001", 330_000, 5_600_000, &lan).plan(Some(&rare)), Plan::Words);
    assert_eq!(query("0001", 20, 5_600_000, &lan).plan(Some(&rare)), Plan::Range);
    // Two terms at the nation's root, the rarer still common ("lo van": every "lo…" word, 175,000
    // members, a third of them also "van…"): walk the anchor's words in name order to the page.
    let lo_van = [String::from("lo"), String::from("van")];
    let lo = chibo_store::page::Anchor {
        words: ["lo", "loan", "loc", "loi", "long"].map(String::from).to_vec(),
        candidates: 175_000,
        match_share: 60_000.0 / 5_600_000.0,
        pairs: vec![],
        pair_share: 0.0,
        rest: vec![],
    };
    assert_eq!(query("0001", 5_600_000, 5_600_000, &lo_van).plan(Some(&lo)), Plan::WordWalk);
    // In a province (a thirtieth of the entries) sorting its share costs less than the walk.
    assert_eq!(query("0001", 165_000, 5_600_000, &lo_van).plan(Some(&lo)), Plan::Words);
    // With the pairs of the two terms' words (5 × "van", "vang"): every pair entry matches
    // both terms, so the walk reads a page's worth per pair at the root; in a province it
    // reads thirty times that per pair, ten pairs, and sorting the province's share of the
    // rarer word's entries costs less, as in a commune.
    let pairs: Vec<(String, String)> = ["lo", "loan", "loc", "loi", "long"]
        .iter()
        .flat_map(|a| ["van", "vang"].map(|b| (a.to_string(), b.to_string())))
        .collect();
    let lo = chibo_store::page::Anchor { pairs, pair_share: 175_000.0 / 5_600_000.0 * 0.3, ..lo };
    assert_eq!(query("0001", 5_600_000, 5_600_000, &lo_van).plan(Some(&lo)), Plan::PairWalk);
    assert_eq!(query("0001", 165_000, 5_600_000, &lo_van).plan(Some(&lo)), Plan::Words);
    assert_eq!(query("0001", 3_000, 5_600_000, &lo_van).plan(Some(&lo)), Plan::Words);
    // Every plan gives the same searched pages, on every page size.
    for text in ["an", "nguyen", "thi an", "o", "bui ma", "zz", "th a", "nguyen thi an", "van d", "van d an"] {
        let terms = chibo_domain::collation::search_terms(text);
        let a = anchor(&mut c, &terms, 10).await.unwrap();
        let mut results = Vec::new();
        for plan in [Plan::Range, Plan::Walk, Plan::Words, Plan::WordWalk, Plan::PairWalk] {
            if matches!(plan, Plan::Words | Plan::WordWalk | Plan::PairWalk) && a.is_none()
                || plan == Plan::PairWalk && a.as_ref().is_some_and(|a| a.pairs.is_empty())
            {
                continue;
            }
            let mut q = PageQuery { limit: 2, ..query(&province.path, 10, 10, &terms) };
            let mut seen = Vec::new();
            loop {
                let (rows, next) = page_with(&mut c, &q, plan, a.as_ref()).await.unwrap();
                seen.extend(rows.into_iter().map(|r| r.full_name));
                match next {
                    Some(cur) => q.after = Some(cur),
                    None => break,
                }
            }
            results.push((plan, seen));
        }
        for (plan, seen) in &results {
            assert_eq!(seen, &results[0].1, "{text:?}: {plan:?} differs from {:?}", results[0].0);
        }
    }
    assert!(words::recount(&mut c).await.unwrap().is_empty(), "word counts equal the word rows");
    // Search ignores diacritics and matches word starts.
    let terms = chibo_domain::collation::search_terms("an");
    let (rows, _) = members::page(&mut c, &query(&commune.path, 10, 10, &terms)).await.unwrap();
    let got: Vec<_> = rows.iter().map(|r| r.full_name.as_str()).collect();
    assert_eq!(got, ["Lê Văn An", "Nguyễn Thị Anh", "Trần Thị Ánh", "Phạm Thị Ân"]);
    let terms = chibo_domain::collation::search_terms("NGUYEN duc");
    let (rows, _) = members::page(&mut c, &query(&cell_a.path, 5, 10, &terms)).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.full_name.as_str()).collect::<Vec<_>>(), ["Nguyễn Văn Đức"]);
    // Status filter.
    let q = PageQuery { status: Some(MemberStatus::Probationary), ..query(&province.path, 10, 10, &[]) };
    assert!(members::page(&mut c, &q).await.unwrap().0.is_empty());
}

async fn grants_follow_moves_and_sessions_expire(db: &TestDb) {
    let (province, commune, cell_a, _, other) = small_tree(db).await;
    let mut tx = db.pools.begin().await.unwrap();
    let uid = Uuid::now_v7();
    users::insert(&mut tx, uid, "bithu", "Bí thư", "hash").await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = db.pools.begin().await.unwrap();
    assert!(matches!(
        users::insert(&mut tx, Uuid::now_v7(), "bithu", "x", "y").await,
        Err(StoreError::Duplicate { field: "username" })
    ));
    drop(tx);
    let mut tx = db.pools.begin().await.unwrap();
    users::add_grant(&mut tx, uid, Role::Secretary, cell_a.id, None).await.unwrap();
    let cell_now = orgs::by_id(&mut tx, cell_a.id).await.unwrap().unwrap();
    let other_now = orgs::by_id(&mut tx, other.id).await.unwrap().unwrap();
    let new_path = orgs::move_subtree(&mut tx, &cell_now, &other_now).await.unwrap();
    let grants = users::grants_of(&mut tx, uid).await.unwrap();
    assert_eq!(grants[0].org_path, new_path, "a grant follows its organisation");
    assert_eq!(grants[0].to_grant().role, Role::Secretary);

    let now = time::OffsetDateTime::now_utc();
    let s = users::Session {
        token_hash: "h1".into(),
        user_id: uid,
        csrf_token: "c".into(),
        created_at: now,
        expires_at: now + time::Duration::hours(1),
        last_seen_at: now,
    };
    users::insert_session(&mut tx, &s, Some("127.0.0.1")).await.unwrap();
    assert!(users::live_session(&mut tx, "h1", now).await.unwrap().is_some());
    assert!(users::live_session(&mut tx, "h1", now + time::Duration::hours(2)).await.unwrap().is_none());
    assert_eq!(users::delete_expired_sessions(&mut tx, now + time::Duration::hours(2)).await.unwrap(), 1);

    // The audit log reads by subtree.
    for (path, action) in [(&commune.path, "a"), (&province.path, "b")] {
        audit::record(
            &mut tx,
            &audit::AuditEntry {
                user_id: Some(uid),
                username: "bithu",
                action,
                entity: "org",
                entity_id: None,
                org_path: Some(path),
                before: None,
                after: Some(serde_json::json!({"x": 1})),
                session: None,
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let mut c = db.pools.read().await.unwrap();
    let within = audit::list(&mut c, audit::Scope::Within(&[commune.path.as_str()]), None, 10).await.unwrap();
    assert_eq!(within.iter().map(|a| a.action.as_str()).collect::<Vec<_>>(), ["a"]);
    assert_eq!(audit::list(&mut c, audit::Scope::All, None, 10).await.unwrap().len(), 2);
    let v = chibo_store::audit_chain::verify(&mut c).await.unwrap();
    assert!(v.breaks.is_empty() && v.rows == 2, "{v:?}");
}

async fn a_failed_transaction_leaves_nothing(db: &TestDb) {
    let (_, _, cell, _, _) = small_tree(db).await;
    {
        let mut tx = db.pools.begin().await.unwrap();
        add_member(&mut tx, &cell, &member("Ngô", "", "Quyền", cell.id)).await;
        // dropped without commit
    }
    let mut c = db.pools.read().await.unwrap();
    assert_eq!(members::count(&mut c).await.unwrap(), 0);
    assert!(orgs::recount(&mut c).await.unwrap().is_empty());
}

#[tokio::test]
async fn tree_moves_keep_counters_equal_to_records() {
    on_every_engine!(tree_and_counters);
}

#[tokio::test]
async fn member_records_round_trip_and_stay_unique() {
    on_every_engine!(member_round_trip_and_uniqueness);
}

#[tokio::test]
async fn member_pages_sort_and_search() {
    on_every_engine!(pages_sort_vietnamese_and_search_without_diacritics);
}

#[tokio::test]
async fn accounts_grants_sessions_audit() {
    on_every_engine!(grants_follow_moves_and_sessions_expire);
}

/// Organisations by id, however long the list and however often an id comes (one per
/// member of a province: 220,000, past SQLite's 32,766 parameters a statement).
async fn organisations_by_a_list_of_any_length(db: &TestDb) {
    let (province, commune, cell_a, _, _) = small_tree(db).await;
    let mut ids: Vec<Uuid> = (0..70_000).map(|_| Uuid::now_v7()).collect();
    ids.extend([cell_a.id, province.id, cell_a.id, commune.id]);
    ids.rotate_right(35_000);
    let mut c = db.pools.read().await.unwrap();
    let mut found: Vec<Uuid> = orgs::by_ids(&mut c, &ids).await.unwrap().into_iter().map(|o| o.id).collect();
    found.sort();
    let mut want = vec![province.id, commune.id, cell_a.id];
    want.sort();
    assert_eq!(found, want);
}

#[path = "bulk_insert.rs"]
mod bulk_insert;

#[tokio::test]
async fn members_written_in_bulk_round_trip_and_stay_unique() {
    use bulk_insert::members_in_bulk;
    on_every_engine!(members_in_bulk);
}

#[tokio::test]
async fn organisations_by_ids_in_lists_of_any_length() {
    on_every_engine!(organisations_by_a_list_of_any_length);
}

/// A write that cannot get its turn (another holds it: an import) gives up after its wait
/// with a conflict to try again, on both engines; once the turn is free, it begins.
async fn a_write_behind_a_long_one_is_a_conflict_after_its_wait(db: &TestDb) {
    let held = db.pools.begin().await.unwrap();
    let wait = std::time::Duration::from_millis(300);
    let started = std::time::Instant::now();
    let behind = db.pools.begin_waiting(wait).await;
    assert!(matches!(behind, Err(StoreError::Conflict)), "{:?}", behind.err());
    assert!(started.elapsed() >= wait && started.elapsed() < std::time::Duration::from_secs(5));
    drop(held);
    let free = db.pools.begin_waiting(wait).await.unwrap();
    free.commit().await.unwrap();
    // PostgreSQL: every connection of the pool held (by writes waiting their turn behind a
    // long one): the wait covers getting a connection too, and ends in the same conflict,
    // not in the pool's own timeout (a 503 after 10 s).
    if let chibo_store::Pools::Postgres(pool) = &db.pools {
        let mut all = Vec::new();
        for _ in 0..pool.options().get_max_connections() {
            all.push(db.pools.read().await.unwrap());
        }
        let started = std::time::Instant::now();
        let behind = db.pools.begin_waiting(wait).await;
        assert!(matches!(behind, Err(StoreError::Conflict)), "{:?}", behind.err());
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
    }
}

#[tokio::test]
async fn writes_wait_for_their_turn_a_bounded_time() {
    on_every_engine!(a_write_behind_a_long_one_is_a_conflict_after_its_wait);
}

#[tokio::test]
async fn rolled_back_writes_leave_nothing() {
    on_every_engine!(a_failed_transaction_leaves_nothing);
}

// ------------------------------------------------------------ member events and the tree in time

mod life {
    use super::*;
    use chibo_domain::life::{Decision, Detail, DisciplineForm, Event, EventKind, Ledger, Link, Span, SpanKind, Tally};
    use chibo_store::events::{self, EventRecord};
    use chibo_store::history::{self, OrgEvent};
    use time::macros::datetime;
    use time::{Date, Duration, OffsetDateTime};

    fn record(member_id: Uuid, kind: EventKind, on: Date, at: OffsetDateTime) -> EventRecord {
        EventRecord {
            member_id,
            event: Event {
                id: Uuid::now_v7(),
                kind,
                effective: on,
                org_id: None,
                ref_id: None,
                decision: Decision::default(),
                detail: Detail::default(),
            },
            recorded_by: None,
            recorded_by_name: "Console".into(),
            recorded_at: at,
        }
    }

    fn span(kind: SpanKind, org_id: Uuid, status: MemberStatus, from: Date, to: Option<Date>) -> Span {
        Span { kind, org_id, status, from, to }
    }

    async fn statuses(
        c: &mut chibo_store::db::Conn,
        (org, kind, on): (Uuid, SpanKind, Date),
    ) -> Vec<(Uuid, MemberStatus)> {
        events::in_org_on(c, org, kind, on).await.unwrap().into_iter().map(|(id, s)| (id, s.status)).collect()
    }

    fn sorted(mut spans: Vec<Span>) -> Vec<Span> {
        spans.sort_by_key(|s| (s.kind.code(), s.from, s.org_id));
        spans
    }

    /// Events keep every field on both engines and come back in the order recorded; spans
    /// answer "who was there on a date" with `[from, to)`.
    pub(super) async fn events_and_spans_round_trip(db: &TestDb) {
        let (_, _, cell_a, cell_b, _) = small_tree(db).await;
        let mut tx = db.pools.begin().await.unwrap();
        let m = add_member(&mut tx, &cell_a, &member("Phạm", "Thị", "Hằng", cell_a.id)).await;
        let t0 = datetime!(2026-01-02 03:04:05.123456 UTC);
        let mut admitted = record(m, EventKind::Admitted, date!(2010 - 05 - 19), t0);
        admitted.event.org_id = Some(cell_a.id);
        admitted.event.decision = Decision {
            number: Some("125-QĐ/ĐU".into()),
            body: Some("Đảng ủy xã Quế Lộc".into()),
            signed_on: Some(date!(2010 - 05 - 10)),
        };
        admitted.recorded_by = Some(Uuid::now_v7());
        let mut recognized = record(m, EventKind::Recognized, date!(2011 - 05 - 19), t0 + Duration::seconds(1));
        recognized.event.detail = Detail { votes_for: Some(7), vote_base: Some(9), ..Detail::default() };
        let mut disciplined = record(m, EventKind::Disciplined, date!(2015 - 02 - 03), t0 + Duration::seconds(2));
        disciplined.event.detail = Detail {
            form: Some(DisciplineForm::Warning),
            reason: Some("Vi phạm nguyên tắc tập trung dân chủ; “trích dẫn”".into()),
            ..Detail::default()
        };
        let mut out = record(m, EventKind::TransferredOut, date!(2016 - 01 - 01), t0 + Duration::seconds(3));
        out.event.org_id = Some(cell_b.id);
        out.event.detail.place = Some("Đảng bộ Khối Doanh nghiệp".into());
        let mut void = record(m, EventKind::Voided, date!(2026 - 01 - 02), t0 + Duration::seconds(4));
        void.event.ref_id = Some(disciplined.event.id);
        let all = vec![admitted, recognized, disciplined, out, void];
        // Entered newest first in one statement (the void names a row of the same statement).
        let reversed: Vec<EventRecord> = all.iter().rev().cloned().collect();
        events::insert_many(&mut tx, &reversed).await.unwrap();
        tx.commit().await.unwrap();
        let mut c = db.pools.read().await.unwrap();
        assert_eq!(events::of_member(&mut c, m).await.unwrap(), all);
        assert!(events::of_member(&mut c, Uuid::now_v7()).await.unwrap().is_empty());
        drop(c);

        // Spans: written, read back, replaced; dates are [from, to).
        let (a, b) = (cell_a.id, cell_b.id);
        let first = vec![
            span(SpanKind::Home, a, MemberStatus::Probationary, date!(2010 - 05 - 19), Some(date!(2011 - 05 - 19))),
            span(SpanKind::Home, a, MemberStatus::Official, date!(2011 - 05 - 19), None),
            span(SpanKind::Attached, b, MemberStatus::Official, date!(2012 - 01 - 01), Some(date!(2012 - 06 - 01))),
        ];
        let mut tx = db.pools.begin().await.unwrap();
        events::replace_spans(&mut tx, m, &first).await.unwrap();
        tx.commit().await.unwrap();
        let mut c = db.pools.read().await.unwrap();
        assert_eq!(sorted(events::spans_of(&mut c, m).await.unwrap()), sorted(first.clone()));
        let a_on = |d| (a, SpanKind::Home, d);
        assert_eq!(statuses(&mut c, a_on(date!(2010 - 05 - 18))).await, []);
        assert_eq!(statuses(&mut c, a_on(date!(2010 - 05 - 19))).await, [(m, MemberStatus::Probationary)]);
        assert_eq!(statuses(&mut c, a_on(date!(2011 - 05 - 18))).await, [(m, MemberStatus::Probationary)]);
        assert_eq!(statuses(&mut c, a_on(date!(2011 - 05 - 19))).await, [(m, MemberStatus::Official)]);
        assert_eq!(statuses(&mut c, (b, SpanKind::Attached, date!(2012 - 05 - 31))).await.len(), 1);
        assert!(events::in_org_on(&mut c, b, SpanKind::Attached, date!(2012 - 06 - 01)).await.unwrap().is_empty());
        assert!(events::in_org_on(&mut c, b, SpanKind::Home, date!(2012 - 03 - 01)).await.unwrap().is_empty());
        assert_eq!(events::in_org_after(&mut c, b, date!(2012 - 05 - 31)).await.unwrap().len(), 1);
        assert!(events::in_org_after(&mut c, b, date!(2012 - 06 - 01)).await.unwrap().is_empty());
        assert_eq!(events::in_org_after(&mut c, a, date!(2030 - 01 - 01)).await.unwrap().len(), 1);
        drop(c);
        let second = vec![span(SpanKind::Home, b, MemberStatus::Official, date!(2016 - 01 - 01), None)];
        let mut tx = db.pools.begin().await.unwrap();
        events::replace_spans(&mut tx, m, &second).await.unwrap();
        tx.commit().await.unwrap();
        let mut c = db.pools.read().await.unwrap();
        assert_eq!(events::spans_of(&mut c, m).await.unwrap(), second);
        assert_eq!(events::all_spans(&mut c).await.unwrap(), vec![(m, second[0])]);
    }

    /// More events than one statement (SQLite) or one `COPY` (PostgreSQL, 20,000 rows) carries
    /// are split into several, and every field comes back as written.
    pub(super) async fn many_events_in_batches(db: &TestDb) {
        let (_, _, cell, _, _) = small_tree(db).await;
        let mut tx = db.pools.begin().await.unwrap();
        let m = add_member(&mut tx, &cell, &member("Võ", "Văn", "Kiệt", cell.id)).await;
        let t0 = datetime!(2026-01-01 00:00:00 UTC);
        let n = 20_007;
        let rows: Vec<EventRecord> = (0..n)
            .map(|i| {
                let on = date!(2000 - 01 - 01) + Duration::days(i as i64);
                record(m, EventKind::ContactLost, on, t0 + Duration::milliseconds(i as i64))
            })
            .collect();
        events::insert_many(&mut tx, &rows).await.unwrap();
        tx.commit().await.unwrap();
        let mut c = db.pools.read().await.unwrap();
        let back = events::of_member(&mut c, m).await.unwrap();
        assert_eq!(back.len(), n);
        assert_eq!(back, rows);
    }

    fn tally(members: i64, official: i64, female: i64) -> Tally {
        Tally { members, official, probationary: members - official, female, minority: 0 }
    }

    /// Links answer "where and under what name on a date"; the ledger adds up on conflicts and
    /// sums to the counts of a date; organisation events keep their JSON.
    pub(super) async fn links_ledger_and_org_events(db: &TestDb) {
        let (province, commune, cell_a, cell_b, other) = small_tree(db).await;
        let est = date!(2025 - 07 - 01);
        let mut c = db.pools.read().await.unwrap();
        // Inserting an organisation starts its history at its establishment.
        assert!(history::link_on(&mut c, cell_a.id, est - Duration::days(1)).await.unwrap().is_none());
        let l = history::link_on(&mut c, cell_a.id, est).await.unwrap().unwrap();
        assert_eq!(
            (l.parent_id, l.name.as_str(), l.from, l.to),
            (Some(commune.id), "Chi bộ thôn Đông", Some(est), None)
        );
        let roots: Vec<Uuid> = history::roots_on(&mut c, est).await.unwrap().iter().map(|l| l.org_id).collect();
        assert_eq!(roots, [province.id]);
        drop(c);

        // Cell A moves under the other commune on 01/01/2026, then is renamed the same day.
        let moved = date!(2026 - 01 - 01);
        let mut tx = db.pools.begin().await.unwrap();
        history::close_link(&mut tx, cell_a.id, moved).await.unwrap();
        let link = Link {
            org_id: cell_a.id,
            parent_id: Some(other.id),
            name: "Chi bộ thôn Đông".into(),
            from: Some(moved),
            to: None,
        };
        history::insert_links(&mut tx, &[link]).await.unwrap();
        history::amend_link(&mut tx, cell_a.id, Some(other.id), "Chi bộ Khu Đông", moved).await.unwrap();
        tx.commit().await.unwrap();
        let mut c = db.pools.read().await.unwrap();
        let ids = |ls: Vec<Link>| {
            let mut v: Vec<Uuid> = ls.iter().map(|l| l.org_id).collect();
            v.sort();
            v
        };
        let mut both = vec![cell_a.id, cell_b.id];
        both.sort();
        assert_eq!(ids(history::children_on(&mut c, commune.id, moved - Duration::days(1)).await.unwrap()), both);
        assert_eq!(ids(history::children_on(&mut c, commune.id, moved).await.unwrap()), [cell_b.id]);
        assert_eq!(ids(history::children_on(&mut c, other.id, moved).await.unwrap()), [cell_a.id]);
        assert_eq!(ids(history::children_after(&mut c, commune.id, moved - Duration::days(1)).await.unwrap()), both);
        assert_eq!(ids(history::children_after(&mut c, commune.id, moved).await.unwrap()), [cell_b.id]);
        let before = history::link_on(&mut c, cell_a.id, moved - Duration::days(1)).await.unwrap().unwrap();
        assert_eq!((before.name.as_str(), before.to), ("Chi bộ thôn Đông", Some(moved)));
        assert_eq!(history::link_on(&mut c, cell_a.id, moved).await.unwrap().unwrap().name, "Chi bộ Khu Đông");
        assert_eq!(history::links_of(&mut c, &[cell_a.id]).await.unwrap().len(), 2);
        let anc = history::ancestry_links(&mut c, &[cell_a.id]).await.unwrap();
        let mut keys: Vec<Uuid> = anc.keys().copied().collect();
        keys.sort();
        let mut want = vec![cell_a.id, commune.id, other.id, province.id];
        want.sort();
        assert_eq!(keys, want);
        drop(c);

        // The ledger: two writes to the same (organisation, date) add up.
        let (d1, d2, d3) = (date!(2020 - 01 - 01), date!(2021 - 01 - 01), date!(2022 - 01 - 01));
        let mut first = Ledger::default();
        first.add(commune.id, d1, tally(2, 1, 1));
        first.add(commune.id, d2, tally(1, 1, 0));
        first.add(province.id, d1, tally(2, 1, 1));
        let mut second = Ledger::default();
        second.add(commune.id, d2, tally(1, 0, 1));
        second.add(commune.id, d3, -tally(3, 1, 1));
        let mut tx = db.pools.begin().await.unwrap();
        history::apply_ledger(&mut tx, &first).await.unwrap();
        history::apply_ledger(&mut tx, &second).await.unwrap();
        // The counters always equal the sum of an organisation's whole ledger (the access
        // layer writes both in one transaction); `tallies_on` may count back from them.
        let stats = |t: Tally| orgs::OrgStats {
            members: t.members,
            official: t.official,
            probationary: t.probationary,
            female: t.female,
            minority: t.minority,
            cells: 0,
        };
        orgs::add_stats(&mut tx, &commune.path, stats(tally(1, 1, 1))).await.unwrap();
        orgs::add_stats(&mut tx, &province.path, stats(tally(1, 0, 0))).await.unwrap();
        tx.commit().await.unwrap();
        let mut c = db.pools.read().await.unwrap();
        let rows = history::ledger_of(&mut c, commune.id).await.unwrap();
        assert_eq!(rows, vec![(d1, tally(2, 1, 1)), (d2, tally(2, 1, 1)), (d3, -tally(3, 1, 1))]);
        let orgs = [commune.id, province.id, cell_b.id];
        let at = |t: &std::collections::HashMap<Uuid, Tally>, o: Uuid| t.get(&o).copied().unwrap_or_default();
        let t = history::tallies_on(&mut c, &orgs, d1 - Duration::days(1)).await.unwrap();
        assert_eq!((at(&t, commune.id), at(&t, province.id)), (Tally::default(), Tally::default()));
        let t = history::tallies_on(&mut c, &orgs, d2).await.unwrap();
        assert_eq!(
            (at(&t, commune.id), at(&t, province.id), at(&t, cell_b.id)),
            (tally(4, 2, 2), tally(2, 1, 1), Tally::default())
        );
        let t = history::tallies_on(&mut c, &orgs, d3).await.unwrap();
        assert_eq!(at(&t, commune.id), tally(1, 1, 1));
        let mut merged = first.clone();
        merged.merge(&second, 1);
        assert_eq!(history::all_ledger(&mut c).await.unwrap(), merged);
        // Any date, counted forward (near the start) or back from the counters (near the end).
        let mut day = d1 - Duration::days(3);
        while day < d3 + Duration::days(3) {
            let t = history::tallies_on(&mut c, &orgs, day).await.unwrap();
            for o in orgs {
                let want = merged
                    .rows()
                    .filter(|(r, on, _)| *r == o && *on <= day)
                    .fold(Tally::default(), |a, (_, _, t)| a + t);
                assert_eq!(at(&t, o), want, "{o} on {day}");
            }
            day += Duration::days(61);
        }
        drop(c);

        // Organisation events, by date, with their JSON detail.
        let mut tx = db.pools.begin().await.unwrap();
        for (kind, on) in [("renamed", moved), ("moved", moved - Duration::days(30))] {
            let ev = OrgEvent {
                id: Uuid::now_v7(),
                org_id: cell_a.id,
                kind: kind.into(),
                effective: on,
                decision_number: Some("12-QĐ/TU".into()),
                decision_body: None,
                detail: serde_json::json!({ "from_name": "Chi bộ thôn Đông", "n": 3 }),
                recorded_by: None,
                recorded_by_name: "Console".into(),
                recorded_at: datetime!(2026-01-02 03:04:05.000001 UTC),
            };
            history::insert_org_event(&mut tx, &ev).await.unwrap();
        }
        tx.commit().await.unwrap();
        let mut c = db.pools.read().await.unwrap();
        let evs = history::org_events(&mut c, cell_a.id).await.unwrap();
        assert_eq!(evs.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(), ["moved", "renamed"]);
        assert_eq!(evs[0].detail["from_name"], "Chi bộ thôn Đông");
        assert_eq!(evs[0].decision_number.as_deref(), Some("12-QĐ/TU"));
    }

    /// The tree of a day (`report_orgs::tree_on`): the root first, each organisation with its
    /// kind, by the links of that day; an organisation reached twice (overlapping links) kept
    /// once, and a cycle of links (which no write makes) ends at the deepest tree the kinds allow.
    pub(super) async fn tree_of_a_day(db: &TestDb) {
        use chibo_store::report_orgs::tree_on;
        let (province, commune, cell_a, cell_b, other) = small_tree(db).await;
        let (est, moved) = (date!(2025 - 07 - 01), date!(2026 - 01 - 01));
        let mut tx = db.pools.begin().await.unwrap();
        history::close_link(&mut tx, cell_a.id, moved).await.unwrap();
        let link = |org_id, parent: &Org, from| Link {
            org_id,
            parent_id: Some(parent.id),
            name: "Chi bộ".into(),
            from: Some(from),
            to: None,
        };
        history::insert_links(&mut tx, &[link(cell_a.id, &other, moved)]).await.unwrap();
        tx.commit().await.unwrap();
        let tree = |on: Date, root: Uuid| async move {
            let mut c = db.pools.read().await.unwrap();
            let t = tree_on(&mut c, root, on).await.unwrap();
            let mut rest: Vec<(Uuid, &str)> = t.iter().skip(1).map(|o| (o.id, o.kind.code())).collect();
            rest.sort();
            (t.first().map(|o| (o.id, o.kind.code())), rest)
        };
        let sorted = |mut v: Vec<(Uuid, &'static str)>| {
            v.sort();
            v
        };
        let (cell, commune_kind) = (OrgKind::SubordinateCell.code(), OrgKind::Commune.code());
        let (first, rest) = tree(est, province.id).await;
        assert_eq!(first, Some((province.id, OrgKind::Provincial.code())));
        assert_eq!(
            rest,
            sorted(vec![(commune.id, commune_kind), (cell_a.id, cell), (cell_b.id, cell), (other.id, commune_kind)])
        );
        assert_eq!(tree(est, commune.id).await.1, sorted(vec![(cell_a.id, cell), (cell_b.id, cell)]));
        assert_eq!(tree(moved, commune.id).await.1, vec![(cell_b.id, cell)]);
        assert_eq!(tree(moved, other.id).await, (Some((other.id, commune_kind)), vec![(cell_a.id, cell)]));
        assert_eq!(tree(est - Duration::days(1), province.id).await, (None, vec![]));
        // Links no write makes: cell A under both communes at once, and the province under
        // cell B (a cycle).
        let mut tx = db.pools.begin().await.unwrap();
        history::insert_links(&mut tx, &[link(cell_a.id, &commune, moved), link(province.id, &cell_b, moved)])
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let (first, rest) = tree(moved, province.id).await;
        assert_eq!(first, Some((province.id, OrgKind::Provincial.code())));
        assert_eq!(
            rest,
            sorted(vec![(commune.id, commune_kind), (cell_a.id, cell), (cell_b.id, cell), (other.id, commune_kind)])
        );
    }
}

#[tokio::test]
async fn member_events_and_spans_round_trip() {
    use life::events_and_spans_round_trip;
    on_every_engine!(events_and_spans_round_trip);
}

#[tokio::test]
async fn member_events_beyond_one_statement() {
    use life::many_events_in_batches;
    on_every_engine!(many_events_in_batches);
}

#[tokio::test]
async fn the_tree_of_a_day() {
    use life::tree_of_a_day;
    on_every_engine!(tree_of_a_day);
}

#[tokio::test]
async fn org_links_ledger_and_events_through_time() {
    use life::links_ledger_and_org_events;
    on_every_engine!(links_ledger_and_org_events);
}

#[path = "review.rs"]
mod review;
use review::review_rows_and_figures;

#[tokio::test]
async fn review_rows_round_trip_and_figures_follow_the_lines() {
    on_every_engine!(review_rows_and_figures);
}

#[path = "inspection.rs"]
mod inspection;
use inspection::inspection_rows_and_figures;

#[tokio::test]
async fn inspection_rows_round_trip_and_figures_follow_the_cases() {
    on_every_engine!(inspection_rows_and_figures);
}
