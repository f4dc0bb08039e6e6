//! The organisations of a subtree (*tổ chức đảng*): how many of each kind on a date, the cells
//! by the type of the residential area they sit in (*thôn, bản, tổ dân phố…*), and the
//! organisations created, merged, split and dissolved over a period.
//!
//! The village type is read from the village name the organisation record carries (its first
//! words, folded): nothing is stored for it. The names of residential areas are those of the
//! Law on the organisation of local government and Circular 04/2012/TT-BNV (*thôn, làng, ấp,
//! bản, buôn, bon, phum, sóc, tổ dân phố, khu phố, khối phố, khóm, tiểu khu…*); a name that
//! starts with none of them is "other", a cell with no village "not tied to a residential area"
//! (an agency's, a school's cell).

use crate::Lang;
use crate::collation::fold;
use crate::life::Interval;
use crate::meeting::Period;
use crate::org::OrgKind;
use crate::report::kept_changes::holders_on;
use serde::Serialize;
use time::Date;
use uuid::Uuid;

/// The type of residential area (*loại địa bàn dân cư*) a cell sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VillageType {
    /// *Thôn, làng, xóm*: rural villages.
    Village,
    /// *Bản, buôn, bon, plei, phum, sóc*: villages of the mountains and the ethnic minorities.
    Hamlet,
    /// *Ấp*: villages of the south.
    Ap,
    /// *Tổ dân phố, khu phố, khối phố, khóm, tiểu khu, khu dân cư*: urban residential groups.
    Urban,
    /// A village name that starts with none of the above.
    Other,
    /// No village recorded: a cell of an agency, a school, an enterprise.
    None,
}

impl VillageType {
    pub const ALL: [VillageType; 6] = [
        VillageType::Village,
        VillageType::Hamlet,
        VillageType::Ap,
        VillageType::Urban,
        VillageType::Other,
        VillageType::None,
    ];

    /// The type of a village name (`None`: no village recorded).
    pub fn of(village: Option<&str>) -> VillageType {
        let Some(name) = village.map(fold).filter(|n| !n.is_empty()) else {
            return VillageType::None;
        };
        let starts = |words: &[&str]| words.iter().any(|w| name == *w || name.starts_with(&format!("{w} ")));
        if starts(&["to dan pho", "khu pho", "khoi pho", "khoi", "khom", "tieu khu", "khu dan cu", "to"]) {
            VillageType::Urban
        } else if starts(&["thon", "lang", "xom"]) {
            VillageType::Village
        } else if starts(&["ban", "buon", "bon", "plei", "phum", "soc"]) {
            VillageType::Hamlet
        } else if starts(&["ap"]) {
            VillageType::Ap
        } else {
            VillageType::Other
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            VillageType::Village => "village",
            VillageType::Hamlet => "hamlet",
            VillageType::Ap => "ap",
            VillageType::Urban => "urban",
            VillageType::Other => "other",
            VillageType::None => "none",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            VillageType::Village => lang.pick("Chi bộ thôn, làng, xóm", "Cells of villages (thôn, làng, xóm)"),
            VillageType::Hamlet => {
                lang.pick("Chi bộ bản, buôn, bon, phum, sóc", "Cells of hamlets (bản, buôn, phum, sóc)")
            }
            VillageType::Ap => lang.pick("Chi bộ ấp", "Cells of ấp"),
            VillageType::Urban => lang.pick("Chi bộ tổ dân phố, khu phố, khối", "Cells of urban residential groups"),
            VillageType::Other => lang.pick("Chi bộ địa bàn dân cư khác", "Cells of other residential areas"),
            VillageType::None => {
                lang.pick("Chi bộ không gắn với địa bàn dân cư", "Cells not tied to a residential area")
            }
        }
    }
}

/// A change of the organisations in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgChange {
    /// Established (*thành lập mới*), also as a part of a split.
    Created,
    /// Merged into another organisation (*sáp nhập*): the organisations merged away.
    Merged,
    /// Split (*chia tách*): the organisations split.
    Split,
    /// Dissolved (*giải thể*) other than by a merge or a split.
    Dissolved,
}

impl OrgChange {
    pub const ALL: [OrgChange; 4] = [OrgChange::Created, OrgChange::Merged, OrgChange::Split, OrgChange::Dissolved];

    pub fn key(self) -> &'static str {
        match self {
            OrgChange::Created => "created",
            OrgChange::Merged => "merged",
            OrgChange::Split => "split",
            OrgChange::Dissolved => "dissolved",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            OrgChange::Created => lang.pick("Thành lập mới", "Established"),
            OrgChange::Merged => lang.pick("Sáp nhập vào tổ chức khác", "Merged into another"),
            OrgChange::Split => lang.pick("Chia tách", "Split"),
            OrgChange::Dissolved => lang.pick("Giải thể", "Dissolved"),
        }
    }
}

/// The restructuring events (`org_events.kind`) that make an organisation change: established
/// (a split's new parts), merged (away, when it names where it went), split. The others — a
/// rename, a move — change no count.
pub const ESTABLISHED: &str = "established";
pub const MERGED: &str = "merged";
pub const SPLIT: &str = "split";
pub const ORG_CHANGE_EVENTS: [&str; 3] = [ESTABLISHED, MERGED, SPLIT];

/// What the report knows of an organisation of the subtree that may have changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgFacts {
    pub id: Uuid,
    pub established_on: Option<Date>,
    pub dissolved_on: Option<Date>,
    /// Its restructuring events: (kind, date, whether a merge names where it went).
    pub events: Vec<(String, Date, bool)>,
}

impl OrgFacts {
    /// These facts as they count in `root`'s subtree, each in the tree of its date: a creation
    /// (*thành lập*) when the organisation lay under `root` on its day, an end (a dissolution, a
    /// merge, a split: the organisation's link ends that day) when it lay there the day before.
    /// `ancestry`: the organisation's ancestors through time ([`crate::life::ancestry`]). The
    /// root never counts in its own subtree; `None` when nothing is left.
    ///
    /// A date the organisation had no place in the tree on (an establishment date edited to
    /// before its first link, a dissolution date after its last) counts where it first lay
    /// after it, or last lay before it.
    pub fn within(self, root: Uuid, ancestry: &[(Uuid, Interval)]) -> Option<OrgFacts> {
        let placed =
            |day: Date| ancestry.iter().any(|(_, (f, t))| f.is_none_or(|f| f <= day) && t.is_none_or(|t| day < t));
        let under = |day: Date| self.id != root && holders_on(self.id, ancestry, day).contains(&root);
        // A creation's day, or the first day after it with a place.
        let start = |day: Date| match placed(day) {
            true => Some(day),
            false => ancestry.iter().filter_map(|(_, (f, _))| *f).filter(|f| *f > day).min(),
        };
        // The day before an end, or the last day before it with a place.
        let end = |day: Date| {
            let before = day.previous_day()?;
            match placed(before) {
                true => Some(before),
                false => ancestry.iter().filter_map(|(_, (_, t))| *t).filter(|t| *t <= day).max()?.previous_day(),
            }
        };
        let starts = |day: Date| start(day).is_some_and(under);
        let ends = |day: Date| end(day).is_some_and(under);
        let established_on = self.established_on.filter(|d| starts(*d));
        let dissolved_on = self.dissolved_on.filter(|d| ends(*d));
        let events: Vec<(String, Date, bool)> = self
            .events
            .iter()
            .filter(|(kind, d, _)| if kind == ESTABLISHED { starts(*d) } else { ends(*d) })
            .cloned()
            .collect();
        let kept = established_on.is_some() || dissolved_on.is_some() || !events.is_empty();
        kept.then_some(OrgFacts { id: self.id, established_on, dissolved_on, events })
    }

    /// The changes of this organisation in `period`.
    pub fn changes(&self, period: Period) -> Vec<OrgChange> {
        let during = |d: Option<Date>| d.is_some_and(|d| period.contains(d));
        let event = |kind: &str, source_only: bool| {
            self.events.iter().any(|(k, d, into)| k == kind && period.contains(*d) && (!source_only || *into))
        };
        let mut out = Vec::new();
        if during(self.established_on) || event(ESTABLISHED, false) {
            out.push(OrgChange::Created);
        }
        let (merged, split) = (event(MERGED, true), event(SPLIT, false));
        if merged {
            out.push(OrgChange::Merged);
        }
        if split {
            out.push(OrgChange::Split);
        }
        if during(self.dissolved_on) && !merged && !split {
            out.push(OrgChange::Dissolved);
        }
        out
    }
}

/// An organisation under the root on the report's date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgAt {
    pub id: Uuid,
    pub kind: OrgKind,
    pub village: Option<String>,
}

impl OrgAt {
    /// Its village type, if it is a cell.
    pub fn village_type(&self) -> Option<VillageType> {
        self.kind.is_cell().then(|| VillageType::of(self.village.as_deref()))
    }
}

/// The sections of the organisation figures, by key, for listing what is behind a line.
pub const ORG_SECTIONS: [&str; 3] = ["org_kind", "org_village", "org_change"];

/// One line of the organisation figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgRow {
    pub key: &'static str,
    pub label: &'static str,
    pub count: u64,
}

/// The organisations of a subtree (the root itself left out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgFigures {
    /// On the structure's date, every kind in [`OrgKind::ALL`] order.
    pub by_kind: Vec<OrgRow>,
    /// The cells (base and subordinate) on that date by village type.
    pub cells_by_village: Vec<OrgRow>,
    /// Over the period.
    pub changes: Vec<OrgRow>,
}

impl OrgFigures {
    /// `orgs`: the organisations under the root on the date; `facts`: the organisations under
    /// the root that changed in the period, as they count in it ([`OrgFacts::within`]).
    pub fn build(orgs: &[OrgAt], facts: &[OrgFacts], period: Period, lang: Lang) -> OrgFigures {
        OrgFigures::counted(|section, key| behind(section, key, orgs, facts, period).len() as u64, lang)
    }

    /// Today's figures from the kept counts of the root (`kept` of an item, `org_kind/commune`,
    /// `org_village/ap`: see [`kept_items`]); the changes of the period from `facts`.
    pub fn kept(kept: impl Fn(&str) -> u64, facts: &[OrgFacts], period: Period, lang: Lang) -> OrgFigures {
        OrgFigures::counted(
            |section, key| match section {
                "org_change" => behind(section, key, &[], facts, period).len() as u64,
                _ => kept(&format!("{section}/{key}")),
            },
            lang,
        )
    }

    fn counted(count: impl Fn(&'static str, &'static str) -> u64, lang: Lang) -> OrgFigures {
        let rows = |section: &'static str, lines: Vec<(&'static str, &'static str)>| {
            lines.into_iter().map(|(key, label)| OrgRow { key, label, count: count(section, key) }).collect()
        };
        OrgFigures {
            by_kind: rows("org_kind", OrgKind::ALL.map(|k| (k.code(), lang.pick(k.label_vi(), k.label_en()))).to_vec()),
            cells_by_village: rows("org_village", VillageType::ALL.map(|t| (t.key(), t.label(lang))).to_vec()),
            changes: rows("org_change", OrgChange::ALL.map(|c| (c.key(), c.label(lang))).to_vec()),
        }
    }

    pub fn count(&self, key: &str) -> u64 {
        self.by_kind
            .iter()
            .chain(&self.cells_by_village)
            .chain(&self.changes)
            .find(|r| r.key == key)
            .map_or(0, |r| r.count)
    }
}

/// The items of today's figures an organisation counts in, in every organisation above it
/// (kept per organisation by `chibo_store::org_counts`): its kind, and a cell's village type;
/// nothing once dissolved.
pub fn kept_items(kind: OrgKind, village: Option<&str>, dissolved: bool) -> Vec<String> {
    if dissolved {
        return Vec::new();
    }
    let at = OrgAt { id: Uuid::nil(), kind, village: village.map(str::to_string) };
    let mut out = vec![format!("org_kind/{}", kind.code())];
    out.extend(at.village_type().map(|t| format!("org_village/{}", t.key())));
    out
}

/// The organisations behind the line `key` of `section` ([`ORG_SECTIONS`]), in the order given.
pub fn behind(section: &str, key: &str, orgs: &[OrgAt], facts: &[OrgFacts], period: Period) -> Vec<Uuid> {
    match section {
        "org_kind" => orgs.iter().filter(|o| o.kind.code() == key).map(|o| o.id).collect(),
        "org_village" => {
            orgs.iter().filter(|o| o.village_type().is_some_and(|t| t.key() == key)).map(|o| o.id).collect()
        }
        "org_change" => {
            facts.iter().filter(|f| f.changes(period).iter().any(|c| c.key() == key)).map(|f| f.id).collect()
        }
        _ => Vec::new(),
    }
}
