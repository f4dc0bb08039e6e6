//! The kinds of case (*loại cuộc kiểm tra, giám sát*) the rules name (RULES.md §8; 296-QĐ/TW,
//! 22-QĐ/TW before it), whom each may concern, and the results a conclusion records.

use crate::life::event::coded_enum;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// The kind of a case.
    CaseKind {
        /// Inspection of an organisation by programme (*kiểm tra tổ chức đảng cấp dưới thực hiện nhiệm vụ*).
        InspectOrg = "inspect_org", "Kiểm tra tổ chức đảng (theo chương trình)", "Inspection of an organisation (programme)";
        /// Inspection of a member by programme (*kiểm tra đảng viên thực hiện nhiệm vụ*).
        InspectMember = "inspect_member", "Kiểm tra đảng viên (theo chương trình)", "Inspection of a member (programme)";
        /// Inspection of an organisation on signs of violation (*khi có dấu hiệu vi phạm*).
        InspectOrgSigns = "inspect_org_signs", "Kiểm tra tổ chức đảng khi có dấu hiệu vi phạm", "Inspection of an organisation on signs of violation";
        /// Inspection of a member on signs of violation.
        InspectMemberSigns = "inspect_member_signs", "Kiểm tra đảng viên khi có dấu hiệu vi phạm", "Inspection of a member on signs of violation";
        /// Regular supervision (*giám sát thường xuyên*).
        SuperviseRegular = "supervise_regular", "Giám sát thường xuyên", "Regular supervision";
        /// Thematic supervision (*giám sát chuyên đề*).
        SuperviseThematic = "supervise_thematic", "Giám sát chuyên đề", "Thematic supervision";
        /// Inspection of the carrying out of discipline (*kiểm tra việc thi hành kỷ luật trong Đảng*).
        InspectDiscipline = "inspect_discipline", "Kiểm tra việc thi hành kỷ luật trong Đảng", "Inspection of the carrying out of discipline";
        /// Inspection of party finances (*kiểm tra tài chính đảng*).
        InspectFinance = "inspect_finance", "Kiểm tra tài chính đảng", "Inspection of party finances";
        /// Inspection of the lower inspection committee's work (*kiểm tra việc thực hiện nhiệm vụ
        /// kiểm tra, giám sát, thi hành kỷ luật của tổ chức đảng cấp dưới*).
        InspectLowerCommittee = "inspect_lower_committee", "Kiểm tra thực hiện nhiệm vụ kiểm tra, giám sát của cấp dưới", "Inspection of the lower committee's inspection work";
        /// A denunciation (*giải quyết tố cáo*).
        Denunciation = "denunciation", "Giải quyết tố cáo", "Denunciation";
        /// A complaint about discipline (*giải quyết khiếu nại kỷ luật đảng*).
        Complaint = "complaint", "Giải quyết khiếu nại kỷ luật", "Discipline complaint";
    }
}

coded_enum! {
    /// Supervision is direct (*trực tiếp*: the team works with the supervised) or indirect
    /// (*gián tiếp*: from reports and documents).
    Mode {
        Direct = "direct", "Trực tiếp", "Direct";
        Indirect = "indirect", "Gián tiếp", "Indirect";
    }
}

coded_enum! {
    /// What a conclusion found (*kết quả kết luận*).
    Finding {
        /// No violation, no shortcoming worth recording (*không vi phạm*).
        Good = "good", "Thực hiện tốt, không có vi phạm", "No violation";
        /// Shortcomings to correct (*có ưu điểm, khuyết điểm*).
        Shortcomings = "shortcomings", "Có khuyết điểm cần khắc phục", "Shortcomings";
        /// Violation, not to the point of discipline (*có vi phạm nhưng chưa đến mức kỷ luật*).
        Violation = "violation", "Có vi phạm, chưa đến mức kỷ luật", "Violation, no discipline";
        /// Violation to the point of discipline (*vi phạm đến mức phải xem xét, xử lý kỷ luật*).
        DisciplineWarranted = "discipline", "Vi phạm đến mức phải xem xét kỷ luật", "Discipline warranted";
        /// A denunciation or complaint found right (*đúng*), partly right or wrong.
        Upheld = "upheld", "Tố cáo/khiếu nại đúng", "Found right";
        PartlyUpheld = "partly_upheld", "Đúng một phần", "Partly right";
        Rejected = "rejected", "Tố cáo/khiếu nại sai", "Found wrong";
    }
}

/// Whom a case concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectKind {
    Org,
    Member,
}

impl CaseKind {
    /// Supervision (*giám sát*) rather than inspection.
    pub fn is_supervision(self) -> bool {
        matches!(self, CaseKind::SuperviseRegular | CaseKind::SuperviseThematic)
    }

    /// A denunciation or complaint, with its deadline from the rules.
    pub fn is_petition(self) -> bool {
        matches!(self, CaseKind::Denunciation | CaseKind::Complaint)
    }

    /// Whether a case of this kind may concern `subject`.
    pub fn allows(self, subject: SubjectKind) -> bool {
        use CaseKind::*;
        match self {
            InspectMember | InspectMemberSigns => subject == SubjectKind::Member,
            InspectOrg | InspectOrgSigns | InspectDiscipline | InspectFinance | InspectLowerCommittee => {
                subject == SubjectKind::Org
            }
            SuperviseRegular | SuperviseThematic | Denunciation | Complaint => true,
        }
    }

    /// Whether its conclusion may find `finding`.
    pub fn may_find(self, finding: Finding) -> bool {
        let petition = matches!(finding, Finding::Upheld | Finding::PartlyUpheld | Finding::Rejected);
        petition == self.is_petition() || (self.is_petition() && finding == Finding::DisciplineWarranted)
    }
}

impl Finding {
    /// The finding leads to a discipline proposal.
    pub fn warrants_discipline(self) -> bool {
        self == Finding::DisciplineWarranted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_name_their_subjects() {
        assert!(CaseKind::InspectMemberSigns.allows(SubjectKind::Member));
        assert!(!CaseKind::InspectMemberSigns.allows(SubjectKind::Org));
        assert!(!CaseKind::InspectFinance.allows(SubjectKind::Member));
        assert!(
            CaseKind::SuperviseThematic.allows(SubjectKind::Member) && CaseKind::Denunciation.allows(SubjectKind::Org)
        );
        assert_eq!(CaseKind::parse("inspect_lower_committee"), Some(CaseKind::InspectLowerCommittee));
        assert_eq!(CaseKind::ALL.len(), 11);
    }

    #[test]
    fn findings_fit_their_kind() {
        assert!(CaseKind::InspectOrg.may_find(Finding::Shortcomings));
        assert!(!CaseKind::InspectOrg.may_find(Finding::Upheld));
        assert!(
            CaseKind::Denunciation.may_find(Finding::Upheld)
                && CaseKind::Denunciation.may_find(Finding::DisciplineWarranted)
        );
        assert!(!CaseKind::Complaint.may_find(Finding::Good));
    }
}
