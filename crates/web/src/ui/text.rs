//! Every text of the interface, Vietnamese next to English. Templates read `t.<name>`;
//! askama checks at compile time that each name exists.

use chibo_access::Lang;

macro_rules! texts {
    ($($name:ident: $vi:literal, $en:literal;)*) => {
        /// The texts of one language.
        pub struct Texts {
            $(pub $name: &'static str,)*
        }
        static VI: Texts = Texts { $($name: $vi,)* };
        static EN: Texts = Texts { $($name: $en,)* };
    };
}

/// The texts in a language.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}

texts! {
    // Frame and navigation
    lang_code: "vi", "en";
    app_tagline: "Công tác đảng viên cơ sở", "Grassroots Party work";
    skip: "Bỏ qua, đến nội dung chính", "Skip to the content";
    nav_label: "Điều hướng chính", "Main navigation";
    tree: "Cây tổ chức", "Organisation tree";
    account: "Tài khoản", "Account";
    admin: "Quản trị", "Administration";
    logout: "Đăng xuất", "Log out";
    other_lang: "en", "vi";
    other_lang_name: "English", "Tiếng Việt";
    switch_lang_label: "Chuyển sang tiếng Anh", "Switch to Vietnamese";
    back_home: "Về cây tổ chức", "Back to the organisation tree";
    yes: "Có", "Yes";
    no: "Không", "No";
    choose: "— Chọn —", "— Choose —";
    save: "Lưu", "Save";
    cancel: "Hủy", "Cancel";
    search: "Tìm", "Search";
    saved: "Đã lưu.", "Saved.";
    required_mark: "bắt buộc", "required";
    errors_heading: "Chưa lưu được. Hãy sửa các mục có báo lỗi.", "Not saved. Please correct the fields marked below.";

    // Errors
    err_not_found: "Không tìm thấy", "Not found";
    err_forbidden: "Không có quyền", "Not allowed";
    err_unavailable: "Tạm thời không truy cập được", "Temporarily unavailable";
    err_other: "Không thực hiện được", "Could not be done";
    csrf_refused: "Biểu mẫu đã hết hạn hoặc không hợp lệ. Hãy tải lại trang rồi làm lại.", "The form has expired or is not valid. Reload the page and try again.";

    // Login and account
    login: "Đăng nhập", "Log in";
    username: "Tên đăng nhập", "Username";
    password: "Mật khẩu", "Password";
    username_hint: "3–40 ký tự: chữ thường không dấu, chữ số, dấu chấm, gạch nối, gạch dưới", "3 to 40 characters: lowercase letters, digits, dot, hyphen, underscore";
    password_hint: "Ít nhất 10 ký tự", "At least 10 characters";
    display_name: "Họ và tên", "Full name";
    roles: "Vai trò", "Roles";
    change_password: "Đổi mật khẩu", "Change password";
    current_password: "Mật khẩu hiện tại", "Current password";
    new_password: "Mật khẩu mới", "New password";
    confirm_password: "Nhập lại mật khẩu mới", "Repeat the new password";
    password_changed: "Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc.", "Password changed. Your other sessions have ended.";

    // Tree
    search_orgs: "Tìm tổ chức theo tên (gõ không dấu cũng được)", "Find an organisation by name (diacritics optional)";
    search_orgs_hint: "Ví dụ: ba dinh", "E.g. ba dinh";
    search_results: "Kết quả tìm kiếm", "Search results";
    your_orgs: "Tổ chức bạn phụ trách", "Your organisations";
    expand: "Mở/đóng các tổ chức trực thuộc", "Open/close the sub-organisations";
    members_short: "đảng viên", "members";
    cells_short: "chi bộ", "cells";
    dissolved_mark: "đã giải thể", "dissolved";
    no_orgs: "Không có tổ chức nào.", "No organisations.";
    no_children: "Không có tổ chức trực thuộc.", "No sub-organisations.";

    // Organisation page
    kind: "Loại tổ chức", "Kind";
    org_name: "Tên tổ chức", "Name";
    short_name: "Tên viết tắt", "Short name";
    locality: "Địa bàn", "Locality";
    province: "Tỉnh/thành phố", "Province";
    commune: "Xã/phường/đặc khu", "Commune/ward";
    village: "Thôn, tổ dân phố", "Village or neighbourhood";
    established_on: "Ngày thành lập", "Established on";
    dissolved_on: "Ngày giải thể", "Dissolved on";
    dissolved_hint: "Chỉ nhập khi giải thể; tổ chức phải không còn đảng viên và tổ chức trực thuộc", "Only when dissolving; it must have no members and no sub-organisations left";
    has_cell_committee: "Có chi ủy", "Has a cell committee";
    org_id: "Mã tổ chức", "Organisation id";
    counts: "Số liệu", "Figures";
    count_members: "Đảng viên", "Members";
    count_official: "Chính thức", "Official";
    count_probationary: "Dự bị", "Probationary";
    count_female: "Nữ", "Women";
    count_minority: "Dân tộc thiểu số", "Ethnic minorities";
    count_cells: "Chi bộ", "Cells";
    sub_orgs: "Tổ chức trực thuộc", "Sub-organisations";
    show_dissolved: "Hiện cả tổ chức đã giải thể", "Show dissolved organisations too";
    hide_dissolved: "Ẩn tổ chức đã giải thể", "Hide dissolved organisations";
    add_child: "Thêm tổ chức trực thuộc", "Add a sub-organisation";
    edit: "Sửa", "Edit";
    move_org: "Chuyển tổ chức", "Move organisation";
    add_member: "Thêm đảng viên", "Add a member";
    grant_here: "Cấp quyền tại tổ chức này", "Grant a role here";
    breadcrumb: "Vị trí trong cây tổ chức", "Place in the tree";

    // Member list
    members_heading: "Đảng viên (cả các tổ chức trực thuộc)", "Members (sub-organisations included)";
    sort_note: "Xếp theo tên theo thứ tự chữ cái tiếng Việt (tên, rồi họ, rồi tên đệm).", "Sorted by name in Vietnamese alphabetical order (given name, then family name, then middle name).";
    search_members: "Tìm theo họ tên (không dấu cũng được)", "Search by name (diacritics optional)";
    search_members_hint: "Ví dụ: duc", "E.g. duc";
    all_statuses: "Mọi tình trạng", "Any status";
    members_hidden: "Vai trò của bạn không xem được danh sách đảng viên của tổ chức này.", "Your role does not show the member list of this organisation.";
    no_members: "Chưa có đảng viên nào.", "No members yet.";
    no_match: "Không có đảng viên nào khớp.", "No member matches.";
    next_page: "Trang sau", "Next page";
    first_page: "Về trang đầu", "First page";

    // Organisation forms
    new_org: "Thêm tổ chức trực thuộc", "New sub-organisation";
    new_root: "Tổ chức cấp cao nhất (gốc của cây)", "A top-level organisation (root of the tree)";
    parent: "Cấp trên trực tiếp", "Parent";
    edit_org: "Sửa tổ chức", "Edit organisation";
    current_parent: "Cấp trên hiện nay", "Current parent";
    new_parent: "Cấp trên mới", "New parent";
    find_parent: "Tìm cấp trên mới theo tên", "Find the new parent by name";
    pick_hint: "Chỉ hiện các tổ chức có thể nhận tổ chức này.", "Only organisations that may hold this one are listed.";
    no_choices: "Chưa có tổ chức phù hợp. Hãy gõ tên để tìm.", "No suitable organisation yet. Type a name to search.";
    move_submit: "Chuyển cả tổ chức và các tổ chức trực thuộc", "Move it with all its sub-organisations";

    // Member page and form
    new_member: "Thêm đảng viên", "New member";
    edit_member: "Sửa hồ sơ đảng viên", "Edit member record";
    cell: "Chi bộ", "Cell";
    members_in_cells: "Đảng viên chỉ được thêm vào một chi bộ đang hoạt động.", "Members can only be added to an active cell.";
    section_identity: "Lý lịch", "Personal details";
    section_party: "Quá trình vào Đảng", "Party membership";
    section_education: "Trình độ và công tác", "Education and work";
    full_name: "Họ và tên", "Full name";
    family_name: "Họ", "Family name";
    middle_name: "Tên đệm", "Middle name";
    given_name: "Tên", "Given name";
    birth_date: "Ngày sinh", "Birth date";
    gender: "Giới tính", "Gender";
    ethnicity: "Dân tộc", "Ethnicity";
    religion: "Tôn giáo", "Religion";
    home_town: "Quê quán", "Home town";
    permanent_residence: "Nơi thường trú", "Permanent residence";
    current_residence: "Nơi ở hiện nay", "Current residence";
    citizen_id: "Số CCCD", "Citizen ID (CCCD)";
    citizen_id_hint: "12 chữ số", "12 digits";
    party_card_number: "Số thẻ đảng viên", "Party card number";
    general_education: "Giáo dục phổ thông", "General education";
    professional_education: "Chuyên môn, nghiệp vụ", "Professional education";
    theory_level: "Lý luận chính trị", "Political theory";
    occupation: "Nghề nghiệp", "Occupation";
    position: "Chức vụ", "Position";
    admission_date: "Ngày vào Đảng", "Admission date";
    official_date: "Ngày chính thức", "Official date";
    status: "Tình trạng", "Status";
    age_exception_approved: "Đã được cấp có thẩm quyền đồng ý kết nạp ngoài độ tuổi", "Admission outside the age limits approved";
    phone: "Điện thoại", "Phone";
    email: "Thư điện tử", "Email";
    duplicate_warning: "Hồ sơ này có thể trùng với hồ sơ khác (cùng họ tên, ngày sinh, tỉnh). Cần kiểm tra:", "This record may duplicate another (same name, birth date and province). Please check:";
    possible_duplicate: "Hồ sơ có thể trùng", "Possible duplicate";
    not_duplicate: "Đã kiểm tra: không trùng", "Checked: not the same person";
    own_heading: "Sửa thông tin liên hệ của tôi", "Correct my contact details";
    own_intro: "Bạn có thể tự sửa điện thoại, thư điện tử và nơi ở. Các mục khác do chi bộ cập nhật.", "You may correct your phone, email and residences yourself. Your cell updates the rest.";

    // Member life (timeline, events)
    timeline: "Quá trình sinh hoạt Đảng", "Party membership history";
    party_age_none: "Chưa tính được (chưa có ngày kết nạp).", "Not known (no admission date).";
    years: "năm", "years";
    months: "tháng", "months";
    event_date: "Ngày hiệu lực", "Effective date";
    event_kind: "Sự kiện", "Event";
    event_org: "Tổ chức", "Organisation";
    decision: "Quyết định", "Decision";
    signed_on: "ký ngày", "signed";
    recorded: "Người ghi, thời điểm ghi", "Recorded by, when";
    no_events: "Chưa có sự kiện nào.", "No events yet.";
    voided_by: "Đã hủy bởi", "Voided by";
    cleared_by: "Đã hủy quyết định khai trừ bởi", "Annulled by";
    not_applied: "Không có hiệu lực", "Without effect";
    voids: "Hủy bản ghi", "Voids";
    void: "Hủy", "Void";
    void_heading: "Hủy bỏ ghi nhận sai", "Void a wrong record";
    void_intro: "Sự kiện được giữ lại trong lịch sử và đánh dấu đã hủy; không thể hoàn tác. Chắc chắn hủy sự kiện này?", "The event stays in the history, marked as voided; this cannot be undone. Void this event?";
    void_submit: "Xác nhận hủy", "Confirm voiding";
    record_event: "Ghi sự kiện", "Record an event";
    record_event_intro: "Mỗi thay đổi là một sự kiện có ngày hiệu lực; ghi sai thì dùng nút “Hủy” rồi ghi lại, không sửa lịch sử.", "Every change is an event with an effective date; a wrong one is voided with “Void” and recorded again, never edited.";
    find_cell: "Tìm chi bộ theo tên hoặc nhập mã tổ chức", "Find the cell by name, or enter its id";
    event_org_hint: "Cho chuyển sinh hoạt, sinh hoạt tạm thời, kết nạp lại. Chi bộ ngoài phạm vi của bạn: nhập mã tổ chức do nơi nhận cung cấp.", "For transfers, temporary attachment, re-admission. A cell outside your subtrees: enter the id given by the receiving side.";
    event_ref: "Quyết định khai trừ được hủy", "Expulsion annulled";
    reason: "Lý do", "Reason";
    ground: "Căn cứ xóa tên", "Ground for striking off";
    discipline_form: "Hình thức kỷ luật", "Discipline form";
    place: "Nơi đến/đi ngoài hệ thống", "Place outside this system";
    until: "Đến ngày (dự kiến)", "Until (planned)";
    votes_for: "Số phiếu tán thành", "Votes in favour";
    vote_base: "Số đảng viên chính thức của chi bộ", "Official members of the cell";
    event_saved: "Đã ghi sự kiện.", "Event recorded.";

    // Organisation through time
    as_of: "Xem theo ngày", "View as of a date";
    as_of_date: "Ngày xem", "Date";
    as_of_heading: "Tổ chức tại ngày", "The organisation on";
    as_of_show: "Xem", "Show";
    not_yet: "Vào ngày này tổ chức chưa có trong cây tổ chức.", "On this date the organisation was not yet in the tree.";
    rolls: "Đảng viên sinh hoạt tại tổ chức", "Members on the rolls";
    since: "Từ ngày", "Since";
    attached: "Đảng viên sinh hoạt tạm thời", "Temporarily attached members";
    back_to_org: "Về trang tổ chức", "Back to the organisation";
    today_view: "Hiện nay", "Today";
    incoming: "Đảng viên chuyển đến", "Incoming transfers";
    incoming_intro: "Đảng viên đã được chuyển sinh hoạt đến một chi bộ thuộc tổ chức này, chờ tiếp nhận.", "Members transferred to a cell of this organisation, waiting to be received.";
    no_incoming: "Không có đảng viên nào đang chờ tiếp nhận.", "No member is waiting to be received.";
    accept: "Tiếp nhận", "Receive";
    to_cell: "Chi bộ đến", "Receiving cell";
    from_cell: "Chuyển đi từ", "Sent from";

    // Restructuring
    restructure: "Sắp xếp tổ chức", "Restructure";
    rename: "Đổi tên", "Rename";
    new_name: "Tên mới", "New name";
    dissolve: "Giải thể", "Dissolve";
    dissolve_intro: "Chỉ giải thể khi tổ chức không còn đảng viên, tổ chức trực thuộc và đảng viên đang chuyển đến.", "Only an organisation without members, sub-organisations or incoming transfers can be dissolved.";
    merge: "Hợp nhất vào tổ chức này", "Merge into this organisation";
    merge_intro: "Đảng viên của các tổ chức được chọn chuyển sinh hoạt về tổ chức này, các tổ chức trực thuộc chuyển về đây, các tổ chức được chọn giải thể — cùng ngày hiệu lực.", "The members of the chosen organisations transfer here, their sub-organisations move here, and they are dissolved — all on the effective date.";
    merge_sources: "Các tổ chức hợp nhất vào", "Organisations merged in";
    no_siblings: "Không có tổ chức cùng cấp nào để hợp nhất.", "No organisation at the same level to merge.";
    split: "Chia tách", "Split";
    split_intro: "Lập các tổ chức mới cùng cấp trên; chọn nơi sinh hoạt mới cho từng đảng viên.", "Create new organisations under the same parent; choose where each member goes.";
    part: "Tổ chức mới", "New organisation";
    stays: "Ở lại", "Stays";
    dissolve_source: "Giải thể tổ chức bị chia tách (mọi đảng viên phải được phân về tổ chức mới)", "Dissolve the organisation being split (every member must go to a new one)";
    effective_hint: "dd/mm/yyyy; mặc định là hôm nay", "dd/mm/yyyy; today when empty";

    // Administration
    admin_users: "Tài khoản và phân quyền", "Accounts and roles";
    admin_audit: "Nhật ký thay đổi", "Audit log";
    accounts: "Tài khoản", "Accounts";
    create_user: "Tạo tài khoản", "Create an account";
    grant: "Cấp quyền", "Grant a role";
    grant_intro: "Vai trò bí thư và đảng viên chỉ cấp tại chi bộ; vai trò đảng viên cần mã hồ sơ đảng viên trong chi bộ đó.", "Secretary and member roles are granted on a cell; the member role needs the id of a member record in that cell.";
    role: "Vai trò", "Role";
    org_id_hint: "Mã ghi ở trang của tổ chức", "Shown on the organisation's page";
    member_id: "Mã hồ sơ đảng viên", "Member record id";
    member_id_hint: "Chỉ cho vai trò đảng viên", "Member role only";
    linked_member: "hồ sơ", "record";
    revoke: "Thu hồi", "Revoke";
    active: "Đang hoạt động", "Active";
    inactive: "Đã khóa", "Locked";
    last_login: "Đăng nhập lần cuối", "Last login";
    no_grants: "Chưa có vai trò nào (trong phạm vi bạn quản trị).", "No roles (within what you administer).";
    done: "Đã thực hiện.", "Done.";
    audit_at: "Thời điểm", "When";
    audit_user: "Người thực hiện", "Who";
    audit_action: "Thao tác", "Action";
    audit_entity: "Đối tượng", "Record";
    audit_empty: "Chưa có thay đổi nào.", "No changes yet.";

    // Admission and work lists (issue 3)
    worklists: "Kết nạp và việc cần làm", "Admission and work lists";
    candidates_link: "Quần chúng ưu tú / Hồ sơ kết nạp", "Candidates / admission dossiers";
    probation_link: "Đảng viên dự bị sắp hết hạn / quá hạn xét chính thức", "Probations ending / overdue for recognition";
    badges_link: "Huy hiệu Đảng", "Party badges";
    state_open: "Đang làm hồ sơ", "In progress";
    state_admitted: "Đã kết nạp", "Admitted";
    state_withdrawn: "Đã dừng", "Closed";
    add_candidate: "Thêm quần chúng ưu tú", "Add a candidate";
    candidates_in_cells: "Quần chúng ưu tú do một chi bộ đang hoạt động giới thiệu; hãy mở trang của chi bộ.", "Candidates are proposed by an active cell; open the cell's page.";
    no_candidates: "Không có hồ sơ nào.", "No dossiers.";
    overdue: "Quá hạn", "Overdue";
    decision_deadline: "Hạn ra quyết định kết nạp", "Decision deadline";
    deadline_note: "Cấp ủy có thẩm quyền ra quyết định kết nạp trong 60 ngày làm việc kể từ ngày chi bộ có nghị quyết đề nghị.", "The competent committee decides within 60 working days of the cell's resolution.";
    overdue_note: "Đã quá hạn ra quyết định kết nạp:", "The decision is overdue:";
    edit_candidate: "Sửa hồ sơ kết nạp", "Edit the admission dossier";
    section_person: "Người vào Đảng", "The applicant";
    section_steps: "Các bước của hồ sơ", "Steps of the dossier";
    section_introducers: "Người giới thiệu", "Introducers";
    section_cell_vote: "Chi bộ xét và cấp trên quyết định", "The cell's vote and the decision";
    introducer_1: "Người giới thiệu thứ nhất", "First introducer";
    introducer_2: "Người giới thiệu thứ hai", "Second introducer";
    introducer_more: "Người giới thiệu khác", "Another introducer";
    known_since: "Cùng công tác, học tập hoặc sinh hoạt từ ngày", "Known since";
    introducers_hint: "Hai đảng viên chính thức của chi bộ (hoặc một đảng viên và nghị quyết giới thiệu của Đoàn), đã cùng công tác với người vào Đảng ít nhất 12 tháng.", "Two official members of the cell (or one and a Youth Union resolution) who have known the applicant for at least 12 months.";
    course_certificate_on: "Ngày cấp giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng", "Course on the Party: certificate date";
    application_on: "Ngày làm đơn xin vào Đảng", "Application date";
    youth_union_resolution_on: "Ngày nghị quyết giới thiệu của Đoàn (nếu có)", "Youth Union resolution (if any)";
    cell_resolution_on: "Ngày chi bộ ra nghị quyết đề nghị kết nạp", "Cell resolution date";
    cell_votes_for: "Số đảng viên chính thức tán thành", "Official members in favour";
    cell_vote_base: "Tổng số đảng viên chính thức của chi bộ", "Official members of the cell";
    base_resolution_on: "Ngày nghị quyết của đảng ủy cơ sở", "Base committee resolution date";
    decision_on: "Ngày quyết định kết nạp", "Admission decision date";
    candidate_state: "Tình trạng hồ sơ", "Dossier state";
    admit: "Kết nạp", "Admit";
    admit_heading: "Kết nạp vào Đảng", "Admission to the Party";
    admit_intro: "Quyết định kết nạp tạo hồ sơ đảng viên dự bị. Thời kỳ dự bị 12 tháng tính từ ngày lễ kết nạp; tuổi đảng tính từ ngày ký quyết định.", "The decision creates a probationary member record. Probation lasts 12 months from the ceremony; party age counts from the date the decision was signed.";
    decision_number: "Số quyết định", "Decision number";
    decision_body: "Cấp ủy ra quyết định", "Deciding committee";
    decision_signed_on: "Ngày ký quyết định", "Decision signed on";
    ceremony_on: "Ngày tổ chức lễ kết nạp", "Ceremony date";
    withdraw: "Dừng hồ sơ, không kết nạp", "Close without admission";
    withdraw_note: "Hồ sơ đã dừng không sửa lại được.", "A closed dossier cannot be edited again.";
    member_record: "Hồ sơ đảng viên", "Member record";
    probation_note: "Hết 12 tháng dự bị, chi bộ xét công nhận chính thức trong 30 ngày làm việc. Danh sách gồm cả người hết dự bị trong 30 ngày tới.", "When the 12 months of probation end, the cell considers recognition within 30 working days. Probations ending within 30 days are listed too.";
    probation_ending: "Sắp hết dự bị", "Ending soon";
    probation_awaiting: "Chờ chi bộ xét", "Awaiting the cell's decision";
    probation_overdue: "Quá hạn xét chính thức", "Overdue for recognition";
    probation_ends_on: "Hết dự bị ngày", "Probation ends";
    recognition_deadline: "Hạn xét", "Deadline";
    record_recognition: "Mở hồ sơ để ghi nhận công nhận chính thức", "Open the record to enter the recognition";
    no_probation: "Không có đảng viên dự bị nào cần xét.", "No probationary member to consider.";
    award_on: "Đợt trao", "Award date";
    badges_note: "Huy hiệu trao vào các ngày 03/02, 19/05, 02/09, 07/11. Tuổi đảng đã trừ thời gian gián đoạn; mỗi huy hiệu chỉ trao một lần.", "Badges are awarded on 3 Feb, 19 May, 2 Sep and 7 Nov. Party age is net of gaps; each badge is awarded once.";
    show: "Xem", "Show";
    party_age: "Tuổi đảng", "Party age";
    badges_due: "Huy hiệu đến hạn", "Badges due";
    reached_on: "đủ tuổi đảng ngày", "reached on";
    early_posthumous: "truy tặng", "posthumous";
    early_ill: "trao sớm vì ốm nặng", "early, seriously ill";
    mark_awarded: "Ghi nhận đã trao", "Record as awarded";
    no_badges_due: "Không có đảng viên nào đến hạn nhận huy hiệu vào đợt này.", "No member is due a badge on this date.";
    badges_truncated: "Danh sách chỉ xét 5.000 đảng viên; hãy chọn một tổ chức nhỏ hơn.", "The list examines 5,000 members at most; choose a smaller organisation.";
    future_award: "Đợt trao chưa đến: ghi nhận được từ ngày trao.", "This award date has not come yet: awards are recorded from that day.";
    badges_awarded: "Huy hiệu Đảng đã trao", "Party badges awarded";
    no_badges: "Chưa có huy hiệu nào được ghi nhận.", "No badge recorded yet.";
    award_badge: "Ghi nhận huy hiệu đã trao", "Record a badge awarded";
    badge_years: "Huy hiệu (số năm tuổi Đảng)", "Badge (years of party age)";
    ill: "Trao sớm vì đảng viên ốm nặng", "Early award: the member is seriously ill";
    badges_page: "Xem và ghi nhận huy hiệu", "View and record badges";
}
