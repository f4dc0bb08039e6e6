-- The place of birth (*nơi sinh*), a field of the member's profile (domain/src/profile.rs).
ALTER TABLE members ADD COLUMN birth_place TEXT;
