using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;
using SafetyPlan.Hosting;

namespace SafetyPlan.Auth;

/// <summary>
/// Secrets every node sharing the database must agree on: the personal links' signing key and ASP.NET Data Protection's
/// key ring (which encrypts the sign-in cookie). They live in PostgreSQL, in one small table outside Marten's documents
/// (they belong to no organisation), so that a link issued on one node and a cookie set by another both work.
/// The node whose insert creates a key sends a <c>key-created</c> security event (<see cref="Audit.SecurityEvents.KeyCreated"/>):
/// once per key, never on a start that finds the key already stored.
/// </summary>
public sealed class AuthKeys(IDocumentStore store, ILoggerFactory loggers) : IXmlRepository
{
    private const string DataProtectionPrefix = "data-protection:";
    private readonly Lock _gate = new();
    private bool _created;

    private string Table => $"{store.Options.DatabaseSchemaName}.auth_keys";

    /// <summary>The key named so, created at random by whichever node asks first; every later call, on any node, gets the same one.</summary>
    public byte[] Secret(string name)
    {
        using var connection = Open();
        using (var insert = new NpgsqlCommand($"insert into {Table} (name, value) values (@name, @value) on conflict (name) do nothing", connection))
        {
            insert.Parameters.AddWithValue("name", name);
            insert.Parameters.AddWithValue("value", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            // One row inserted: this call made the key (the unique name lets only one node's insert count).
            if (insert.ExecuteNonQuery() == 1) KeyCreated(name);
        }
        using var select = new NpgsqlCommand($"select value from {Table} where name = @name", connection);
        select.Parameters.AddWithValue("name", name);
        return Convert.FromBase64String((string)select.ExecuteScalar()!);
    }

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = Open();
        using var command = new NpgsqlCommand($"select value from {Table} where name like '{DataProtectionPrefix}%' order by created_at", connection);
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read()) elements.Add(XElement.Parse(reader.GetString(0)));
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = Open();
        using var command = new NpgsqlCommand($"insert into {Table} (name, value) values (@name, @value) on conflict (name) do nothing", connection);
        command.Parameters.AddWithValue("name", DataProtectionPrefix + friendlyName);
        command.Parameters.AddWithValue("value", element.ToString(SaveOptions.DisableFormatting));
        if (command.ExecuteNonQuery() == 1) KeyCreated(DataProtectionPrefix + friendlyName);
    }

    private void KeyCreated(string name) => Audit.SecurityEvents.KeyCreated(loggers.CreateLogger(Audit.SecurityEvents.Category), name);

    private NpgsqlConnection Open()
    {
        // Data Protection's repository interface is synchronous; these are a handful of tiny reads at start-up and on key rotation.
        var connection = store.OpenConnection(CancellationToken.None).GetAwaiter().GetResult();
        if (_created) return connection;
        lock (_gate)
        {
            if (_created) return connection;
            using var create = new NpgsqlCommand(
                $"create schema if not exists {store.Options.DatabaseSchemaName}; " +
                $"create table if not exists {Table} (name text primary key, value text not null, created_at timestamptz not null default now())",
                connection);
            try { create.ExecuteNonQuery(); }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateObject)
            {
                // Another node created it at the same moment.
            }
            _created = true;
        }
        return connection;
    }
}
