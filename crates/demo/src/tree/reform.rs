//! The tree before the reform of 1 Jul 2025: the provincial committees merged away that day
//! and the district committees abolished that day (see the crate documentation for what is
//! real and what is invented), and the decisions recorded for that day.

use super::{Builder, MERGER, ORG_EVENT_IDS, date_between};
use crate::DemoOrgEvent;
use crate::admin::{Admin, UnitKind, old_name};
use crate::make_id;
use chibo_domain::org::{Locality, OrgInput, OrgKind};
use rand::Rng;
use uuid::Uuid;

impl Builder {
    /// A provincial committee before the merger of 1 Jul 2025 (dissolved that day).
    pub(super) fn old_province(&mut self, parent: Option<usize>, new_code: i32, code: i32) -> usize {
        let (name, city) = old_name(code).unwrap_or(("?", false));
        let name =
            if city { format!("Đảng bộ Thành phố {name}") } else { format!("Đảng bộ Tỉnh {name}") };
        let established = date_between(&mut self.rng, 1930, 1947);
        self.add_org(
            parent,
            OrgInput {
                name,
                short_name: None,
                kind: OrgKind::Provincial,
                locality: Locality { province_code: Some(new_code), commune_code: None, village: None },
                established_on: Some(established),
                dissolved_on: Some(MERGER),
                has_cell_committee: false,
            },
        )
    }

    /// A district committee (abolished on 1 Jul 2025), named after its first commune: the
    /// grouping of communes into districts is invented.
    pub(super) fn district(&mut self, a: &Admin, head: usize, first_unit: usize) -> usize {
        let unit = &a.units[first_unit];
        let province = &a.provinces[unit.province];
        let level = match unit.kind {
            UnitKind::Ward if province.is_city => "Quận",
            UnitKind::Ward => "Thị xã",
            UnitKind::Rural | UnitKind::SpecialZone => "Huyện",
        };
        let established = date_between(&mut self.rng, 1945, 1976);
        let org = self.add_org(
            Some(head),
            OrgInput {
                name: format!("Đảng bộ {level} {}", unit.bare),
                short_name: None,
                kind: OrgKind::District,
                locality: Locality { province_code: Some(province.code), commune_code: None, village: None },
                established_on: Some(established),
                dissolved_on: Some(MERGER),
                has_cell_committee: false,
            },
        );
        self.org_event(org, "dissolved", Vec::new(), None);
        org
    }

    /// A restructuring decision of 1 Jul 2025 about `org`.
    pub(super) fn org_event(&mut self, org: usize, kind: &'static str, from: Vec<Uuid>, to: Option<usize>) {
        let n = self.built.org_events.len() as u64;
        self.built.org_events.push(DemoOrgEvent {
            id: make_id(ORG_EVENT_IDS + n, self.rng.random()),
            org_id: self.built.orgs[org].id,
            kind,
            effective: MERGER,
            decision_body: "Bộ Chính trị",
            from,
            to: to.map(|t| self.built.orgs[t].id),
        });
    }
}
