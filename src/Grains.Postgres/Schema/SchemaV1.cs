namespace Enslavism.Grains.Postgres.Schema;

/// <summary>Version 1 of the cluster schema. Every table and function is prefixed <c>ens_</c>.</summary>
internal static class SchemaV1
{
    public const string Sql = """
        CREATE TABLE ens_meta (
            singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
            -- A new epoch means a new database: cursors from the old one mean nothing.
            epoch uuid NOT NULL);
        INSERT INTO ens_meta (epoch) VALUES (gen_random_uuid());

        CREATE TABLE ens_nodes (
            id bigint PRIMARY KEY,
            name text NOT NULL,
            backend_pid integer NOT NULL,
            -- The pid only identifies the node's listener on this server incarnation.
            server_started_at timestamptz NOT NULL,
            lease_until timestamptz NOT NULL,
            joined_at timestamptz NOT NULL DEFAULT clock_timestamp());

        -- Live ids have an owning node (the routing table); released ids keep released_at while in quarantine.
        CREATE TABLE ens_ids (
            kind smallint NOT NULL,
            id bigint NOT NULL CHECK (id BETWEEN 0 AND 4294967295),
            node_id bigint,
            released_at timestamptz,
            PRIMARY KEY (kind, id));
        CREATE INDEX ens_ids_by_node ON ens_ids (node_id) WHERE node_id IS NOT NULL;

        CREATE TABLE ens_id_cursor (kind smallint PRIMARY KEY, next bigint NOT NULL);
        INSERT INTO ens_id_cursor (kind, next) VALUES (0, 0), (1, 0);

        CREATE TABLE ens_slaves (
            id bigint PRIMARY KEY,
            node_id bigint NOT NULL REFERENCES ens_nodes (id),
            user_data bytea NOT NULL);
        CREATE INDEX ens_slaves_by_node ON ens_slaves (node_id);

        -- A counter row instead of an identity column: it rolls back with its transaction and its row lock orders
        -- writers, so sequence numbers are gap-free and commit in order. A hole in the log therefore always means pruning.
        CREATE TABLE ens_log_head (
            singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
            seq bigint NOT NULL);
        INSERT INTO ens_log_head (seq) VALUES (0);

        CREATE TABLE ens_slave_changes (
            seq bigint PRIMARY KEY,
            op "char" NOT NULL,
            slave_id bigint NOT NULL,
            user_data bytea,
            at timestamptz NOT NULL DEFAULT clock_timestamp());

        CREATE TABLE ens_relay (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            node_id bigint NOT NULL REFERENCES ens_nodes (id) ON DELETE CASCADE,
            payload bytea NOT NULL,
            created_at timestamptz NOT NULL DEFAULT clock_timestamp());

        CREATE FUNCTION ens_log_slave_change() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE s bigint;
        BEGIN
            UPDATE ens_log_head SET seq = seq + 1 RETURNING seq INTO s;
            IF TG_OP = 'DELETE' THEN
                INSERT INTO ens_slave_changes (seq, op, slave_id) VALUES (s, 'R', OLD.id);
            ELSE
                INSERT INTO ens_slave_changes (seq, op, slave_id, user_data) VALUES (s, 'A', NEW.id, NEW.user_data);
            END IF;
            -- A wake-up hint only: readers always read the table.
            PERFORM pg_notify('ens_slave_changes', s::text);
            RETURN NULL;
        END $$;

        CREATE TRIGGER ens_slaves_insert_delete AFTER INSERT OR DELETE ON ens_slaves
            FOR EACH ROW EXECUTE FUNCTION ens_log_slave_change();
        CREATE TRIGGER ens_slaves_update AFTER UPDATE OF user_data ON ens_slaves
            FOR EACH ROW WHEN (OLD.user_data IS DISTINCT FROM NEW.user_data) EXECUTE FUNCTION ens_log_slave_change();

        -- Every writer of ens_slaves locks the log head first, so no two writers can deadlock on slave rows.
        CREATE FUNCTION ens_require_node(p_node bigint) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM ens_nodes WHERE id = p_node) THEN
                RAISE EXCEPTION 'node % is not a cluster member (evicted)', p_node USING ERRCODE = 'EN001';
            END IF;
        END $$;

        CREATE FUNCTION ens_upsert_slave(p_node bigint, p_id bigint, p_data bytea) RETURNS bigint LANGUAGE plpgsql AS $$
        DECLARE s bigint;
        BEGIN
            SELECT seq INTO s FROM ens_log_head FOR UPDATE;
            PERFORM ens_require_node(p_node);
            INSERT INTO ens_slaves (id, node_id, user_data) VALUES (p_id, p_node, p_data)
            ON CONFLICT (id) DO UPDATE SET node_id = excluded.node_id, user_data = excluded.user_data
                WHERE ens_slaves.node_id IS DISTINCT FROM excluded.node_id
                   OR ens_slaves.user_data IS DISTINCT FROM excluded.user_data;
            SELECT seq INTO s FROM ens_log_head;
            RETURN s;
        END $$;

        CREATE FUNCTION ens_remove_slave(p_node bigint, p_id bigint) RETURNS bigint LANGUAGE plpgsql AS $$
        DECLARE s bigint;
        BEGIN
            SELECT seq INTO s FROM ens_log_head FOR UPDATE;
            DELETE FROM ens_slaves WHERE id = p_id AND node_id = p_node;
            SELECT seq INTO s FROM ens_log_head;
            RETURN s;
        END $$;

        -- Makes the database hold exactly the node's slaves; unchanged rows write nothing, so nothing flaps.
        CREATE FUNCTION ens_sync_node_slaves(p_node bigint, p_ids bigint[], p_data bytea[]) RETURNS bigint LANGUAGE plpgsql AS $$
        DECLARE s bigint;
        BEGIN
            SELECT seq INTO s FROM ens_log_head FOR UPDATE;
            PERFORM ens_require_node(p_node);
            DELETE FROM ens_slaves WHERE node_id = p_node AND NOT (id = ANY (p_ids));
            INSERT INTO ens_slaves (id, node_id, user_data)
                SELECT u.id, p_node, u.data FROM unnest(p_ids, p_data) AS u (id, data)
            ON CONFLICT (id) DO UPDATE SET node_id = excluded.node_id, user_data = excluded.user_data
                WHERE ens_slaves.node_id IS DISTINCT FROM excluded.node_id
                   OR ens_slaves.user_data IS DISTINCT FROM excluded.user_data;
            SELECT seq INTO s FROM ens_log_head;
            RETURN s;
        END $$;

        CREATE FUNCTION ens_id_blocked(p_released timestamptz, p_node bigint, p_quarantine interval) RETURNS boolean
            LANGUAGE sql STABLE AS $$
            SELECT p_node IS NOT NULL OR (p_released IS NOT NULL AND p_released > clock_timestamp() - p_quarantine)
        $$;

        CREATE FUNCTION ens_first_free_id(p_kind smallint, p_from bigint, p_to bigint, p_quarantine interval) RETURNS bigint
            LANGUAGE sql STABLE AS $$
            SELECT c FROM (
                SELECT p_from AS c
                UNION ALL
                SELECT b.id + 1 FROM ens_ids b
                 WHERE b.kind = p_kind AND b.id >= p_from AND b.id < p_to
                   AND ens_id_blocked(b.released_at, b.node_id, p_quarantine)) AS candidates
             WHERE NOT EXISTS (
                SELECT 1 FROM ens_ids x
                 WHERE x.kind = p_kind AND x.id = candidates.c
                   AND ens_id_blocked(x.released_at, x.node_id, p_quarantine))
             ORDER BY c
             LIMIT 1
        $$;

        -- The cursor row lock serializes allocation per kind; wrap-around searches from 0 up to the cursor.
        CREATE FUNCTION ens_allocate_id(p_kind smallint, p_node bigint, p_quarantine interval, p_max bigint) RETURNS bigint
            LANGUAGE plpgsql AS $$
        DECLARE start_at bigint; cand bigint;
        BEGIN
            SELECT next INTO start_at FROM ens_id_cursor WHERE kind = p_kind FOR UPDATE;
            PERFORM ens_require_node(p_node);
            IF start_at > p_max THEN start_at := 0; END IF;
            cand := ens_first_free_id(p_kind, start_at, p_max, p_quarantine);
            IF cand IS NULL AND start_at > 0 THEN
                cand := ens_first_free_id(p_kind, 0, start_at - 1, p_quarantine);
            END IF;
            IF cand IS NULL THEN
                RAISE EXCEPTION 'all ids of kind % are live or quarantined', p_kind USING ERRCODE = 'EN002';
            END IF;
            INSERT INTO ens_ids (kind, id, node_id) VALUES (p_kind, cand, p_node)
            ON CONFLICT (kind, id) DO UPDATE SET node_id = excluded.node_id, released_at = NULL;
            UPDATE ens_id_cursor SET next = CASE WHEN cand >= p_max THEN 0 ELSE cand + 1 END WHERE kind = p_kind;
            RETURN cand;
        END $$;

        CREATE FUNCTION ens_release_id(p_kind smallint, p_node bigint, p_id bigint) RETURNS void LANGUAGE sql AS $$
            UPDATE ens_ids SET node_id = NULL, released_at = clock_timestamp()
             WHERE kind = p_kind AND id = p_id AND node_id = p_node
        $$;

        -- After a rejoin: reclaim the ids the node still uses, release those it no longer does. Returns the ids
        -- another node took meanwhile (only possible when the outage outlasted the quarantine).
        CREATE FUNCTION ens_sync_node_ids(p_node bigint, p_kinds smallint[], p_ids bigint[])
            RETURNS TABLE (taken_kind smallint, taken_id bigint) LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM ens_require_node(p_node);
            UPDATE ens_ids i SET node_id = NULL, released_at = clock_timestamp()
             WHERE i.node_id = p_node
               AND NOT EXISTS (SELECT 1 FROM unnest(p_kinds, p_ids) AS u (k, v) WHERE u.k = i.kind AND u.v = i.id);
            INSERT INTO ens_ids AS i (kind, id, node_id)
                SELECT u.k, u.v, p_node FROM unnest(p_kinds, p_ids) AS u (k, v)
            ON CONFLICT ON CONSTRAINT ens_ids_pkey DO UPDATE SET node_id = p_node, released_at = NULL
                WHERE i.node_id IS NULL;
            RETURN QUERY SELECT i.kind, i.id FROM ens_ids i JOIN unnest(p_kinds, p_ids) AS u (k, v)
                ON u.k = i.kind AND u.v = i.id WHERE i.node_id IS DISTINCT FROM p_node;
        END $$;

        -- Idempotent, and elected per run by a try-lock so concurrent janitors skip instead of queueing.
        -- A node is dead when its lease expired (a node is not blamed for the time the server itself was down)
        -- or when its listener backend vanished from this server incarnation.
        CREATE FUNCTION ens_janitor(p_expiry interval, p_quarantine interval, p_retention bigint, p_relay_ttl interval)
            RETURNS SETOF bigint LANGUAGE plpgsql AS $$
        DECLARE dead bigint[];
        BEGIN
            IF NOT pg_try_advisory_xact_lock(5643921, 2) THEN RETURN; END IF;
            SELECT coalesce(array_agg(n.id), '{}') INTO dead FROM ens_nodes n
             WHERE greatest(n.lease_until, pg_postmaster_start_time() + p_expiry) < clock_timestamp()
                OR (n.server_started_at = pg_postmaster_start_time()
                    AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = n.backend_pid));
            IF cardinality(dead) > 0 THEN
                PERFORM 1 FROM ens_log_head FOR UPDATE;
                DELETE FROM ens_slaves WHERE node_id = ANY (dead);
                UPDATE ens_ids SET node_id = NULL, released_at = clock_timestamp() WHERE node_id = ANY (dead);
                DELETE FROM ens_nodes WHERE id = ANY (dead);
            END IF;
            DELETE FROM ens_ids WHERE node_id IS NULL AND released_at < clock_timestamp() - p_quarantine;
            DELETE FROM ens_slave_changes WHERE seq <= (SELECT seq FROM ens_log_head) - p_retention;
            DELETE FROM ens_relay WHERE created_at < clock_timestamp() - p_relay_ttl;
            RETURN QUERY SELECT unnest(dead);
        END $$;

        -- A graceful leave: same cleanup as an eviction, for one node.
        CREATE FUNCTION ens_leave(p_node bigint) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM 1 FROM ens_log_head FOR UPDATE;
            DELETE FROM ens_slaves WHERE node_id = p_node;
            UPDATE ens_ids SET node_id = NULL, released_at = clock_timestamp() WHERE node_id = p_node;
            DELETE FROM ens_nodes WHERE id = p_node;
        END $$;
        """;
}
