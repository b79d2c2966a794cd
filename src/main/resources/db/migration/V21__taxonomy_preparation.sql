-- A PUT of a large taxonomy answers at once (202) and the taxonomy is prepared (embedded, calibrated, stored) in the
-- background. Its row here says how far that got, for GET on any pod, and holds the definition, so that when the pod
-- preparing it dies (its pod row gone or stale) another pod takes the preparation over. The row goes in the
-- transaction that stores the taxonomy; a newer PUT of the same name replaces the row (a new attempt), and an older
-- attempt that finishes later stores nothing.
CREATE TABLE taxonomy_preparation (
    tenant      varchar(255) NOT NULL,
    name        varchar(255) NOT NULL,
    attempt     uuid         NOT NULL,
    definition  text         NOT NULL,
    pod         varchar(100),
    phase       varchar(20)  NOT NULL,
    categories  integer      NOT NULL,
    examples    integer      NOT NULL,
    started_at  timestamptz  NOT NULL,
    error       text,
    PRIMARY KEY (tenant, name)
);
