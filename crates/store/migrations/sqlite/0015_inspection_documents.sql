-- Documents attached to an inspection or supervision case (*hồ sơ, tài liệu*), as for meetings:
-- the checked type, the size, the hash and the bytes. Read only by whoever may read the case.
CREATE TABLE inspection_documents (
    id BLOB PRIMARY KEY NOT NULL,
    case_id BLOB NOT NULL REFERENCES inspection_cases(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    body BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);
