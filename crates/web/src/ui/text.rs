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
}
