-- GET /v1/personas sorts on the server: each sort key has an index in its order (with the id that
-- breaks ties), so a page is read from the index however many personas there are, not sorted anew.
-- Text keys are lower-cased and compared by byte (COLLATE "C"), as src/personas/persona.repository.ts
-- writes them, so the order does not change with the server's locale. personas_created exists already.
CREATE INDEX personas_slug_sort ON personas ((slug COLLATE "C"), id) WHERE deleted_at IS NULL;
CREATE INDEX personas_name_sort ON personas ((lower(name) COLLATE "C"), id) WHERE deleted_at IS NULL;
CREATE INDEX personas_niche_sort ON personas ((lower(niche) COLLATE "C"), id) WHERE deleted_at IS NULL;
CREATE INDEX personas_updated ON personas (updated_at, id) WHERE deleted_at IS NULL;
