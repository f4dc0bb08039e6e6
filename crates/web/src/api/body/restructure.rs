//! The tree through time: an organisation as of a date, and members waiting to be received.

use super::records::OrgBody;
use super::{iso, iso_opt};
use chibo_access::domain::life::Tally;
use chibo_access::{IncomingTransfer, Lang, MemberOnDate, OrgOnDate};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// Counts of members on a date.
#[derive(Debug, Serialize, ToSchema)]
pub struct TallyBody {
    pub members: i64,
    pub official: i64,
    pub probationary: i64,
    pub female: i64,
    pub minority: i64,
}

impl From<&Tally> for TallyBody {
    fn from(t: &Tally) -> Self {
        TallyBody {
            members: t.members,
            official: t.official,
            probationary: t.probationary,
            female: t.female,
            minority: t.minority,
        }
    }
}

/// A member on the rolls on the date.
#[derive(Debug, Serialize, ToSchema)]
pub struct RollLine {
    pub id: Uuid,
    pub full_name: String,
    pub birth_date: String,
    pub status: String,
    pub status_label: String,
    pub since: String,
    pub readable: bool,
}

impl RollLine {
    fn list(list: &[MemberOnDate], lang: Lang) -> Vec<RollLine> {
        list.iter()
            .map(|m| RollLine {
                id: m.id,
                full_name: m.full_name.clone(),
                birth_date: iso(m.birth_date),
                status: m.status.code().to_string(),
                status_label: m.status.label(lang).to_string(),
                since: iso(m.since),
                readable: m.readable,
            })
            .collect()
    }
}

/// An organisation named on the date; `readable` says whether the viewer may open it.
#[derive(Debug, Serialize, ToSchema)]
pub struct NamedOrgBody {
    pub id: Uuid,
    pub name: String,
    pub readable: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChildOnDateBody {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub tally: TallyBody,
    pub readable: bool,
}

/// The organisation as of `on`: its name, parent, counts, sub-organisations and rolls then.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgOnDateBody {
    pub on: String,
    pub existed: bool,
    /// The organisation today.
    pub org: OrgBody,
    /// Its name on the date.
    pub name: String,
    pub parent: Option<NamedOrgBody>,
    pub tally: TallyBody,
    pub children: Vec<ChildOnDateBody>,
    pub members: Vec<RollLine>,
    /// Members of other cells attached here on the date.
    pub attached: Vec<RollLine>,
}

impl OrgOnDateBody {
    pub fn new(o: &OrgOnDate, lang: Lang) -> OrgOnDateBody {
        OrgOnDateBody {
            on: iso(o.on),
            existed: o.existed,
            org: OrgBody::new(&o.org, lang),
            name: o.name.clone(),
            parent: o.parent.as_ref().map(|p| NamedOrgBody { id: p.id, name: p.name.clone(), readable: p.readable }),
            tally: TallyBody::from(&o.tally),
            children: o
                .children
                .iter()
                .map(|c| ChildOnDateBody {
                    id: c.id,
                    name: c.name.clone(),
                    kind: c.kind.code().to_string(),
                    kind_label: c.kind.label(lang).to_string(),
                    tally: TallyBody::from(&c.tally),
                    readable: c.readable,
                })
                .collect(),
            members: RollLine::list(&o.members, lang),
            attached: RollLine::list(&o.attached, lang),
        }
    }
}

/// The receiving organisation of a transfer.
#[derive(Debug, Serialize, ToSchema)]
pub struct IdName {
    pub id: Uuid,
    pub name: String,
}

/// A member transferred to this subtree, waiting to be received.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncomingBody {
    pub id: Uuid,
    pub full_name: String,
    pub birth_date: String,
    pub gender: String,
    pub status: String,
    pub status_label: String,
    pub admission_date: String,
    pub official_date: Option<String>,
    pub party_card_number: Option<String>,
    pub to: Option<IdName>,
    pub sent_on: String,
    pub from_name: Option<String>,
    pub decision_number: Option<String>,
    pub decision_signed_on: Option<String>,
}

impl IncomingBody {
    pub fn new(t: &IncomingTransfer, to: Option<IdName>, lang: Lang) -> IncomingBody {
        let (m, i) = (&t.member, &t.member.input);
        IncomingBody {
            id: m.id,
            full_name: m.full_name.clone(),
            birth_date: iso(i.birth_date),
            gender: i.gender.code().to_string(),
            status: i.status.code().to_string(),
            status_label: i.status.label(lang).to_string(),
            admission_date: iso(i.admission_date),
            official_date: iso_opt(i.official_date),
            party_card_number: i.profile.party_card_number.clone(),
            to,
            sent_on: iso(t.sent_on),
            from_name: t.from_name.clone(),
            decision_number: t.decision.number.clone(),
            decision_signed_on: iso_opt(t.decision.signed_on),
        }
    }
}
