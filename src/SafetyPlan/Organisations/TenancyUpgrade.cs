using Npgsql;

namespace SafetyPlan.Organisations;

/// <summary>
/// A database created before organisations existed has its streams keyed by id alone. Marten's own migration to
/// conjoined tenancy adds the events' foreign key to (tenant_id, id) twice in one script and fails (Marten 9.58), so this
/// re-keys the streams first; Marten then migrates the rest (documents get tenant_id, existing rows the default
/// tenant, which is the organisation "default"). Called while the document store is built, so before any migration;
/// on a current or empty database it only looks.
/// </summary>
public static class TenancyUpgrade
{
    public static void Apply(string connectionString, string schema)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using (var check = new NpgsqlCommand(
            "select count(*) from pg_constraint c join pg_namespace n on n.oid = c.connamespace where n.nspname = @schema and c.conname = 'pkey_mt_streams_id'", connection))
        {
            check.Parameters.AddWithValue("schema", schema);
            if ((long)check.ExecuteScalar()! == 0) return;
        }
        using var transaction = connection.BeginTransaction();
        using (var upgrade = new NpgsqlCommand($"""
            alter table {schema}.mt_streams drop constraint pkey_mt_streams_id cascade;
            alter table {schema}.mt_streams add constraint pkey_mt_streams_tenant_id_id primary key (tenant_id, id);
            alter table {schema}.mt_events add constraint fkey_mt_events_stream_id_tenant_id foreign key (tenant_id, stream_id) references {schema}.mt_streams (tenant_id, id);
            """, connection, transaction))
            upgrade.ExecuteNonQuery();
        transaction.Commit();
    }
}
