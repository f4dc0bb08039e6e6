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
mod clock;
mod credentials;
mod derived;
mod home;
mod import;
mod import_candidates;
mod import_export;
mod import_orgs;
mod import_progress;
mod import_write;
mod inspection;
mod inspection_discipline;
mod inspection_documents;
mod inspection_lists;
mod inspection_org_events;
mod inspection_programmes;
mod life;
mod list_sheet;
mod load;
mod meeting_extras;
mod meeting_reports;
mod meetings;
mod members;
mod orgs;
mod read_log;
mod report_list;
mod report_trend;
mod reports;
mod restructure;
mod review;
mod review_decide;
mod review_facts;
mod review_home;
mod review_lists;
mod review_plans;
mod review_sheets;
mod review_steps;
mod second_factor;
mod settle;
mod subtree_lists;
mod throttle;
mod transaction;
mod tree;
mod users;
mod viewer;
mod worklists;

pub use arrival::Arrival;
pub use asof::{ChildOnDate, IncomingTransfer, MemberOnDate, NamedOrg, OrgOnDate};
pub use auth::{LoginStep, hash_password};
pub use candidates::{AdmissionInput, CandidateView};
pub use chibo_domain as domain;
pub use chibo_domain::error::CONCURRENT_CODE;
pub use chibo_domain::{FieldError, Lang, Problem, Validation};
pub use chibo_store::StoreError;
pub use chibo_store::audit::AuditRecord;
pub use chibo_store::awards::BadgeAward;
pub use chibo_store::candidates::Candidate;
pub use chibo_store::inspection::{
    Appeal as InspectionAppeal, Case as InspectionCase, CaseDocument, Discipline as InspectionDiscipline,
    Item as ProgrammeItem, Programme, Recommendation, StepRow,
};
pub use chibo_store::login_failures::Failures as LoginBlock;
pub use chibo_store::meetings::{Correction, Document, Meeting, Notice, SheetRow, Speaker, Topic};
pub use chibo_store::members::{Cursor, Flag, Member, MemberSummary};
pub use chibo_store::orgs::{Org, OrgStats};
pub use chibo_store::review::{
    Decision as ReviewDecision, MemberLine, OrgLine, Plan, PlanItem, Round, Settings as ReviewSettings,
};
pub use chibo_store::users::{GrantRow, SessionInfo};
pub use clock::Clock;
pub use credentials::{Account, SessionToken, random_password};
pub use home::{CellHome, FIND_LIMIT, FoundMember, PendingNotice};
pub use import::{
    IMPORT_BATCH, ImportProblem, ImportReport, MAX_IMPORT_BYTES, PREVIEW_ROWS, PROBLEMS_LISTED, PreviewRow,
    member_template,
};
pub use import_candidates::candidate_template;
pub use import_orgs::{ImportKind, org_template};
pub use import_progress::{ImportProgress, ImportStage};
pub use inspection::{CaseInput, CaseRole, ConclusionInput, RecommendationInput, StepInput};
pub use inspection_discipline::{
    AnswerInput, AppealInput, DecisionInput as DisciplineInput, ProposalInput, SelfReviewInput,
};
pub use inspection_lists::{
    CaseLine, CaseView, ChildRow, InspectionFigures, InspectionWork, KindRow, ProgrammeView, inspection_period,
};
pub use inspection_org_events::{DISCIPLINE_VOIDED, DISCIPLINED, OrgHistoryLine};
pub use inspection_programmes::{ItemEdit, ItemInput, ProgrammeEdit, ProgrammeInput};
pub use life::{EventInput, Timeline, TimelineEntry};
pub use list_sheet::{ListSheet, ListWriter};
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
pub use report_list::{ListedMember, ListedOrg, REPORT_LIST_MAX, ReportList, report_list_table};
pub use report_trend::{TREND_YEARS, Trend, trend_headers};
pub use reports::{Report, ReportLine, default_period, percent_text, report_headers, report_lines};
pub use restructure::SplitPart;
pub use review::{ReviewSettingsInput, RoundInput, period_key, period_label};
pub use review_decide::{CorrectionInput, DecisionInput, DecisionLine};
pub use review_facts::{DisciplineFact, MemberFacts, TransferFact};
pub use review_home::{CellReview, OwnReview};
pub use review_lists::{
    MemberReview, MemberReviewLine, NamedCount, OrgReviewLine, REVIEW_LINES_MAX, REVIEW_WORKLIST_MAX, ReviewFigures,
    ReviewWorklist, RoundView, org_total, period_last_day,
};
pub use review_plans::{PlanInput, PlanItemInput, PlanView};
pub use review_sheets::{proposal_headers, proposal_row, summary_headers, summary_rows, summary_rows_of};
pub use review_steps::{CellOpinionInput, OpinionLine, OrgSelfInput, SelfAssessmentInput};
pub use second_factor::{Enrolment, RECOVERY_CODES, code_at};
pub use subtree_lists::{ABSENCE_CELLS_MAX, CellAbsences};
pub use throttle::HashGate;
pub use transaction::RETRY_FOR;
pub use tree::Dated;
pub use users::{ADMIN, AdminStatus};
pub use viewer::Viewer;
pub use worklists::{AwardInput, BadgeItem, BadgeList, ProbationItem};

use chibo_store::{Engine, Pools, schema};

/// The application: the records and the rules about who may touch them.
#[derive(Clone)]
pub struct Chibo {
    pools: Pools,
    gate: HashGate,
    /// Whether administrators, staff and inspectors must log in with a second factor.
    second_factor: bool,
    reads: read_log::ReadLog,
    clock: Clock,
    /// Rows an import checks and writes at a time.
    import_batch: usize,
    /// Where this handle's imports tell how far they have come ([`Chibo::reporting_to`]).
    import_progress: std::sync::Arc<ImportProgress>,
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
        Chibo {
            pools,
            gate: HashGate::default(),
            second_factor: false,
            reads: Default::default(),
            clock: Clock::System,
            import_batch: import::IMPORT_BATCH,
            import_progress: Default::default(),
        }
    }

    /// A handle whose imports tell `progress` how far they have come (the web page's progress
    /// bar, the console's): one per import that someone watches.
    pub fn reporting_to(&self, progress: std::sync::Arc<ImportProgress>) -> Chibo {
        Chibo { import_progress: progress, ..self.clone() }
    }

    /// Check and write an import's rows `rows` at a time (tests make it small to cross batch
    /// boundaries with a few rows).
    pub fn with_import_batch(mut self, rows: usize) -> Chibo {
        self.import_batch = rows.max(1);
        self
    }

    /// Read the working date from `clock` (tests and demo databases pin it).
    pub fn with_clock(mut self, clock: Clock) -> Chibo {
        self.clock = clock;
        self
    }

    /// The clock the working date comes from.
    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// The working date: today in Vietnam, or the pinned day. The one "today" of the application.
    pub fn today(&self) -> time::Date {
        self.clock.today()
    }

    /// The day the database's last bulk load was generated for (a demo's own day), if any: the
    /// day `chibo serve` pins the clock to unless asked to use the real one.
    pub async fn working_day(&self) -> Outcome<Option<time::Date>> {
        let mut c = self.pools.read().await?;
        chibo_store::loads::working_day(&mut c).await.map_err(Problem::from)
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
        let mut c = self.pools.read().await?;
        chibo_store::db::ping(&mut c).await.map_err(Problem::from)
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

/// A lookup's refusal, with "not found" replaced by `missing` (e.g. an error naming the
/// field that pointed at the row); a conflict or an unreachable database keeps its meaning.
pub(crate) fn when_missing(missing: impl FnOnce() -> Problem) -> impl FnOnce(Problem) -> Problem {
    move |p| match p {
        Problem::NotFound | Problem::Forbidden => missing(),
        other => other,
    }
}

/// Serialize a record for the audit log.
pub(crate) fn snapshot<T: serde::Serialize>(v: &T) -> Option<serde_json::Value> {
    serde_json::to_value(v).ok()
}
