//! chibo access: what a caller may do, enforced below every front-end.
//!
//! [`Chibo`] is the application: every operation takes the [`Viewer`] making it, checks the
//! viewer's grants against the target's place in the tree (rules in
//! `chibo_domain::access`), runs in one transaction, and records every write in the audit
//! log in that same transaction. Front-ends (HTTP, CLI) depend on this crate and not on the
//! store, so they cannot reach the records another way.
//!
//! Refusals: a target outside everything the viewer may read is `NotFound` (its existence
//! is not revealed); a readable target the viewer may not change is `Forbidden`.

mod accounts;
mod arrival;
mod asof;
mod audit;
mod auth;
mod candidates;
mod import;
mod life;
mod meeting_extras;
mod meeting_reports;
mod meetings;
mod members;
mod orgs;
mod read_log;
mod reports;
mod restructure;
mod second_factor;
mod throttle;
mod transaction;
mod users;
mod viewer;
mod worklists;

pub use arrival::Arrival;
pub use asof::{ChildOnDate, IncomingTransfer, MemberOnDate, NamedOrg, OrgOnDate};
pub use auth::{LoginStep, SessionToken, hash_password};
pub use candidates::{AdmissionInput, CandidateView};
pub use chibo_domain as domain;
pub use chibo_domain::{FieldError, Lang, Problem, Validation};
pub use chibo_store::StoreError;
pub use chibo_store::audit::AuditRecord;
pub use chibo_store::awards::BadgeAward;
pub use chibo_store::candidates::Candidate;
pub use chibo_store::login_failures::Failures as LoginBlock;
pub use chibo_store::meetings::{Correction, Document, Meeting, Notice, SheetRow, Speaker, Topic};
pub use chibo_store::members::{Cursor, Flag, Member, MemberSummary};
pub use chibo_store::orgs::{Org, OrgStats};
pub use chibo_store::users::{GrantRow, SessionInfo, User};
pub use import::{ImportProblem, ImportReport, MAX_IMPORT_BYTES, member_template};
pub use life::{EventInput, Timeline, TimelineEntry};
pub use meeting_extras::{MAX_DOCUMENT_BYTES, SheetInForce, SheetInput, TopicInput, UpcomingMeeting, document_type};
pub use meeting_reports::{
    AbsenteeView, CUSTOM_PERIOD_CELLS, CellDetail, ChildFigures, FigureSet, FiguresView, MISSED_INLINE_CELLS,
    MISSED_PAGE, MISSED_PAGE_MAX, MissedIn, Missing, NamedCell,
};
pub use meetings::{
    MarkInput, MeetingInput, MeetingView, MinutesInput, RollLine, SpeakerInput, minutes_part_label, parse_time,
};
pub use members::{MemberPage, MemberView, PageRequest};
pub use orgs::OrgView;
pub use reports::{Report, ReportLine, default_period, percent_text, report_headers, report_lines};
pub use restructure::{Dated, SplitPart};
pub use second_factor::{Enrolment, RECOVERY_CODES, code_at};
pub use throttle::HashGate;
pub use transaction::{CONCURRENT_CODE, RETRY_FOR};
pub use users::{ADMIN, AdminStatus, random_password};
pub use viewer::Viewer;
pub use worklists::{AwardInput, BadgeItem, BadgeList, ProbationItem};

use chibo_store::{Engine, Pools, schema};
use time::{OffsetDateTime, UtcOffset};

/// The application: the records and the rules about who may touch them.
#[derive(Clone)]
pub struct Chibo {
    pools: Pools,
    gate: HashGate,
    /// Whether administrators, staff and inspectors must log in with a second factor.
    second_factor: bool,
    reads: read_log::ReadLog,
}

/// The result of every operation.
pub type Outcome<T> = Result<T, Problem>;

impl Chibo {
    /// Connect to a database (`sqlite://…` or `postgres://…`) and bring its schema up to date.
    pub async fn open(url: &str) -> Result<Chibo, StoreError> {
        let pools = Pools::connect(url).await?;
        schema::migrate(&pools).await?;
        Ok(Chibo::with_pools(pools).with_second_factor(true))
    }

    /// Wrap pools whose schema is already up to date (tests). The second factor is not
    /// required until [`Chibo::with_second_factor`] turns it on ([`Chibo::open`] does).
    pub fn with_pools(pools: Pools) -> Chibo {
        Chibo { pools, gate: HashGate::default(), second_factor: false, reads: Default::default() }
    }

    /// Require (or not) a second factor of administrators, staff and inspectors.
    pub fn with_second_factor(mut self, required: bool) -> Chibo {
        self.second_factor = required;
        self
    }

    pub fn engine(&self) -> Engine {
        self.pools.engine()
    }

    /// Whether the database answers.
    pub async fn health(&self) -> Outcome<()> {
        let mut c = self.pools.read().await.map_err(unavailable)?;
        chibo_store::db::ping(&mut c).await.map_err(unavailable)
    }

    pub async fn close(&self) {
        let _ = self.reads.flush(&self.pools).await;
        self.pools.close().await;
    }

    /// Raw pools, for bulk loading and benchmarks run from the console.
    #[cfg(feature = "console")]
    pub fn pools(&self) -> &Pools {
        &self.pools
    }
}

/// Today in Vietnam (UTC+7), the date rules are judged on.
pub fn today() -> time::Date {
    let offset = UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC);
    OffsetDateTime::now_utc().to_offset(offset).date()
}

/// A store failure as a refusal: not-found and conflicts keep their meaning, the rest means
/// the records cannot be reached now.
pub(crate) fn unavailable(e: StoreError) -> Problem {
    match e {
        StoreError::NotFound => Problem::NotFound,
        StoreError::Stale => Problem::Conflict(FieldError::new(
            "version",
            "stale",
            "Hồ sơ vừa được người khác sửa. Hãy tải lại trang và nhập lại thay đổi.",
            "Someone else changed this record meanwhile. Reload it and enter your change again.",
        )),
        StoreError::Duplicate { field } => Problem::Conflict(duplicate(field)),
        e if e.is_transient() => transaction::concurrent(),
        StoreError::NulInText => Problem::field(
            "text",
            "nul_character",
            "Dữ liệu có ký tự rỗng (NUL, U+0000), không được phép.",
            "The text contains a NUL character (U+0000), which is not allowed.",
        ),
        other => {
            tracing::error!(error = %other, "store failure");
            Problem::Unavailable(other.to_string())
        }
    }
}

/// A lookup's refusal, with "not found" replaced by `missing` (e.g. an error naming the
/// field that pointed at the row); a conflict or an unreachable database keeps its meaning.
pub(crate) fn when_missing(missing: impl FnOnce() -> Problem) -> impl FnOnce(Problem) -> Problem {
    move |p| match p {
        Problem::NotFound | Problem::Forbidden => missing(),
        other => other,
    }
}

pub(crate) fn duplicate(field: &str) -> FieldError {
    let (vi, en) = match field {
        "citizen_id" => (
            "Số CCCD này đã có trong hồ sơ của một đảng viên khác.",
            "This citizen ID is already on another member's record.",
        ),
        "party_card_number" => {
            ("Số thẻ đảng viên này đã có trong hồ sơ khác.", "This party card number is already on another record.")
        }
        "username" => ("Tên đăng nhập này đã có người dùng.", "This username is taken."),
        "role" => ("Tài khoản đã có vai trò này tại tổ chức này.", "The account already has this role here."),
        _ => ("Giá trị này đã tồn tại.", "This value already exists."),
    };
    FieldError::new(field, "duplicate", vi, en)
}

/// Serialize a record for the audit log.
pub(crate) fn snapshot<T: serde::Serialize>(v: &T) -> Option<serde_json::Value> {
    serde_json::to_value(v).ok()
}
