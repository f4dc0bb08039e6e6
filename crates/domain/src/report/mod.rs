//! Statistics reports (*báo cáo thống kê*): the structure of the membership of a subtree on a
//! date and its changes over a period. Pure: the store reads the groups and events, the access
//! layer checks who may read them.

pub mod bands;
pub mod changes;
pub mod kept;
pub mod kept_changes;
pub mod orgs;
pub mod structure;
#[cfg(test)]
mod tests;
pub mod trend;

pub use bands::{AGE_BANDS, Band, Bands, PARTY_AGE_BANDS, YOUNG_MAX_AGE};
pub use changes::{Change, ChangeRow, Changes, LINES, admission_traits, place};
pub use kept::{
    BEFORE_ALL_MONTHS, KeptBanding, LAST_MONTH, MonthEdge, band_window, change_day, change_periods, cut_months,
    day_key, is_change_day, keeps_changes_by_day, kept_dim, kept_in_days, kept_rows, month_end, month_of,
    nearer_month_edge, net_groups, place_by_month,
};
pub use kept_changes::{
    ChangeLedger, DAY_KEY_LEN, MONTH_KEY_LEN, MonthSplit, Traits, date_key, holders_on, member_changes,
    member_changes_of, month_key, month_keys, month_split, whole_months,
};
pub use orgs::{
    ORG_CHANGE_EVENTS, ORG_SECTIONS, OrgAt, OrgChange, OrgFacts, OrgFigures, OrgRow, VillageType, behind, kept_items,
};
pub use structure::{Dim, Group, KINH, Row, Section, Structure, normalise};
pub use trend::{ADMISSIONS, EXITS, YearPoint, year_end, year_period, year_points};
