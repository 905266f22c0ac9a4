using Npgsql;
using SafetyPlan.Hosting;
using Weasel.Core;

namespace SafetyPlan.Reports;

/// <summary>
/// Once per database, before the server takes requests: a receipt for every report appended before receipts had a table
/// of their own (they were kept inside the plan document), read from the report events themselves, so that a phone
/// resending a report made before the upgrade still gets its first answer. Idempotent (an existing receipt is kept), so a
/// start that dies halfway, or two nodes starting at once, do no harm; a marker document makes later starts skip it.
/// </summary>
public sealed class ReceiptsFromEvents(IDocumentStore store, TimeProvider clock, ILogger<ReceiptsFromEvents> logger) : IHostedService
{
    // Written again under the key that names the member (2026-11-29): the first version keyed receipts by plan and clientId.
    public const string MarkerId = "report-receipts-by-member-from-events";
    private const int BatchSize = 5_000;

    /// <summary>A one-off data upgrade that has run on this database.</summary>
    public sealed class DataUpgrade
    {
        public string Id { get; set; } = "";
        public DateTimeOffset At { get; set; }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var check = store.QuerySession())
            if (await check.LoadAsync<DataUpgrade>(MarkerId, cancellationToken) is not null) return;

        var events = (Marten.Events.EventGraph)((StoreOptions)store.Options).Events;
        var kinds = new Dictionary<string, ReportKind>
        {
            [events.EventMappingFor(typeof(CheckInLogged)).EventTypeName] = ReportKind.CheckIn,
            [events.EventMappingFor(typeof(ConcernRaised)).EventTypeName] = ReportKind.Concern,
            [events.EventMappingFor(typeof(SafetyRated)).EventTypeName] = ReportKind.Rating,
        };
        var receipts = new Dictionary<string, List<ReportReceipt>>();
        var (pending, written) = (0, 0);
        await using (var connection = await store.OpenConnection(cancellationToken))
        {
            await using var command = new NpgsqlCommand($"""
                select tenant_id, stream_id, type, data ->> 'clientId',
                       coalesce(data ->> 'checkInId', data ->> 'concernId', data ->> 'ratingId'), data ->> 'agreementId', data ->> 'occurrence',
                       data ->> 'memberId', (data ->> 'late')::boolean
                from {store.Options.Events.DatabaseSchemaName}.mt_events where type = any(@types) order by seq_id
                """, connection);
            command.Parameters.AddWithValue("types", kinds.Keys.ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var kind = kinds[reader.GetString(2)];
                var receipt = ReportReceipt.For(reader.GetGuid(1), Guid.Parse(reader.GetString(7)), reader.GetString(3), new Receipt(kind,
                    Guid.Parse(reader.GetString(4)),
                    reader.IsDBNull(5) ? null : Guid.Parse(reader.GetString(5)),
                    // As written, with its offset: a repeat answers exactly what the first report answered.
                    reader.IsDBNull(6) ? null : DateTimeOffset.Parse(reader.GetString(6), CultureInfo.InvariantCulture),
                    kind == ReportKind.CheckIn ? !reader.IsDBNull(8) && reader.GetBoolean(8) : null));
                var tenant = reader.GetString(0);
                if (!receipts.TryGetValue(tenant, out var list)) receipts[tenant] = list = [];
                list.Add(receipt);
                if (++pending == BatchSize) (pending, written) = (0, written + await Write(receipts, cancellationToken));
            }
        }
        written += await Write(receipts, cancellationToken);
        await using (var connection = await store.OpenConnection(cancellationToken))
        {
            // Receipts under the first key (plan and clientId, without the member) answer nobody any more.
            var table = $"{store.Options.DatabaseSchemaName}.mt_doc_reportreceipt"; // Marten names a document table mt_doc_ and the type name in lower case
            await using var drop = new NpgsqlCommand($"delete from {table} where data ->> 'memberId' is null", connection);
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var session = store.LightweightSession();
        session.Store(new DataUpgrade { Id = MarkerId, At = clock.GetUtcNow() });
        await session.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Receipts of {Count} earlier reports written from their events", written);
    }

    private async Task<int> Write(Dictionary<string, List<ReportReceipt>> receipts, CancellationToken ct)
    {
        var count = 0;
        foreach (var (tenant, list) in receipts)
        {
            await store.BulkInsertAsync(tenant, list, BulkInsertMode.IgnoreDuplicates, 1000, ct);
            count += list.Count;
        }
        receipts.Clear();
        return count;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
