-- The per-couple call cap counts a couple's calls of the last minute on every call:start.
CREATE INDEX calls_by_couple ON calls (couple_key, created_at);
-- One live invite code per user: creating one expires the inviter's open codes.
CREATE INDEX invites_open_by_inviter ON invites (inviter_id) WHERE used_at IS NULL;
