-- Indexes that FerretDB's own SQL can use, in its PostgreSQL database (run by stack/servers/
-- ferretdb.sh at every start, as the cluster's superuser; idempotent).
--
-- FerretDB 1.x turns a filter `{user_id: N}` into `_jsonb -> 'user_id' @> 'N'`. The B-tree
-- indexes that `createIndex({user_id: 1, …})` makes cannot serve `@>`, so every history query
-- scanned the whole collection. A GIN index on the same expression can. Collections are tables
-- named `<collection>_<hash>` in a schema per MongoDB database; an event trigger indexes each new
-- one (every test's database too), and the loop below those that exist already.

CREATE OR REPLACE FUNCTION streaming_user_id_gin(relation regclass) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  target record;
BEGIN
  SELECT n.nspname AS schema_name, c.relname AS table_name INTO target
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.oid = relation;
  IF target.table_name ~ '^(historico_visualizacao|recomendacoes)_[0-9a-f]{8}$' THEN
    EXECUTE format(
      'CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin ((_jsonb -> %L))',
      target.table_name || '_user_id_gin', target.schema_name, target.table_name, 'user_id'
    );
  END IF;
END
$$;

CREATE OR REPLACE FUNCTION streaming_index_new_collection() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  created record;
BEGIN
  FOR created IN
    SELECT objid FROM pg_event_trigger_ddl_commands()
    WHERE command_tag = 'CREATE TABLE' AND object_type = 'table'
  LOOP
    PERFORM streaming_user_id_gin(created.objid::regclass);
  END LOOP;
END
$$;

DROP EVENT TRIGGER IF EXISTS streaming_index_new_collection;
CREATE EVENT TRIGGER streaming_index_new_collection ON ddl_command_end
  WHEN TAG IN ('CREATE TABLE')
  EXECUTE FUNCTION streaming_index_new_collection();

SELECT streaming_user_id_gin(c.oid::regclass)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema');

-- FerretDB's statements are prepared with the field name as a parameter (`_jsonb -> $1`); only a
-- plan made for the actual values matches the index's expression.
SELECT format('ALTER DATABASE %I SET plan_cache_mode = force_custom_plan', current_database()) \gexec
