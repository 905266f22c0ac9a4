using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using SafetyPlan.Notifications;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// E-mail goes encrypted or not at all (<c>Smtp:Security</c>, issue 14, 2): against the real SMTP sink, which offers no
/// STARTTLS, a running server with the default refuses before any message is handed over (<c>tls-required</c>);
/// <c>None</c> delivers, and is accepted only towards a loopback host; a setting the server would read otherwise than its
/// operator meant stops the start.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_mail_server_offers_no_tls(ServerFixture server)
{
    private static readonly RenderedNotification Message = new("Bodemeis overschreden in een veiligheidsplan", "Goedendag,", "<p>Goedendag,</p>");
    private const string NoDatabase = "Host=127.0.0.1;Port=1;Username=postgres;Database=safetyplan";

    private EmailSender Sender(SmtpSecurity? security) => new(Options.Create(new SmtpOptions
    {
        Host = "127.0.0.1", Port = server.Smtp.Port, From = "SafetyPlan <safetyplan@test.example>", Security = security,
    }));

    [Fact]
    public async Task a_server_with_the_default_security_sends_nothing_to_it_and_records_the_delivery_as_failed_with_tls_required()
    {
        var database = await server.CreateDatabase("tls_default");
        var monitor = $"tls-monitor-{Guid.NewGuid():N}";
        var email = $"{monitor}@jeugdzorg.test";
        await using var node = new ServerProcess(new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database, ["Demo__Seed"] = "false", ["Auth__Mode"] = "Development",
            ["Smtp__Host"] = "127.0.0.1", ["Smtp__Port"] = server.Smtp.Port.ToString(), ["Logging__LogLevel__Default"] = "Warning",
        });
        await node.Start(ServerFixture.Start);
        (await node.As("admin", "admin").PutAsync($"/api/users/{monitor}",
            JsonContent.Create(new { name = "Monitor", email, language = "nl", roles = new[] { "professional" } }))).EnsureSuccessStatusCode();
        var professional = node.As(monitor, "professional");
        var plan = await (await professional.Post("/api/plans", new { title = "TLS", family = "F", monitorId = monitor })).CreatedId();
        var member = await (await professional.Post($"/api/plans/{plan}/members", new { name = "Oma", role = "network" })).CreatedId();
        await (await professional.Post($"/api/plans/{plan}/agreements", new { text = "Ophalen", responsibleMemberId = member, schedule = new { daily = "15:00" }, grace = "PT1H" })).CreatedId();
        await (await professional.Post($"/api/plans/{plan}/bottom-lines", new { text = "Ernstige zorg", rule = new { kind = "concern", minSeverity = "high" }, acknowledgeWithin = "PT4H" })).CreatedId();
        (await professional.Post($"/api/plans/{plan}/agree", new { evaluationDue = "2027-06-01" })).EnsureSuccessStatusCode();

        (await professional.Post($"/api/plans/{plan}/concerns", new { clientId = "tls-1", memberId = member, text = "Zorg", severity = "high" })).EnsureSuccessStatusCode();

        string[] failures = [];
        for (var until = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < until && failures.Length == 0; await Task.Delay(200))
            failures = await Scalars(database, "select data ->> 'error' from safetyplan.mt_events where type = 'notification_failed' and data ->> 'key' like '%:email'");
        failures.ShouldNotBeEmpty("the escalation's e-mail was attempted");
        failures.ShouldAllBe(error => error.Contains("offers no STARTTLS")); // DeliveryPolicy classifies it as tls-required: temporary, retried
        (await Scalars(database, "select data ->> 'key' from safetyplan.mt_events where type = 'notification_sent' and data ->> 'key' like '%:email'")).ShouldBeEmpty();
        server.Smtp.MessagesTo(email).ShouldBeEmpty();
    }

    [Fact]
    public async Task the_sender_with_the_default_refuses_before_handing_anything_over()
    {
        var address = $"tls-{Guid.NewGuid():N}@jeugdzorg.test";

        var error = await Should.ThrowAsync<Exception>(() => Sender(security: null).Send(address, Message, "default/tls-test/1", CancellationToken.None));

        DeliveryPolicy.Classify(error).ShouldBe(new DeliveryFailure("tls-required", Permanent: false));
        await Task.Delay(500);
        server.Smtp.MessagesTo(address).ShouldBeEmpty();
    }

    [Fact]
    public async Task with_security_none_set_explicitly_the_same_loopback_server_receives_it()
    {
        var address = $"plain-{Guid.NewGuid():N}@jeugdzorg.test";

        await Sender(SmtpSecurity.None).Send(address, Message, "default/tls-test/2", CancellationToken.None);

        (await server.Smtp.WaitFor(address, 1)).Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("mail.jeugdzorg.example", "None", "accepted only for a mail server on a loopback address")]
    [InlineData("10.1.2.3", "none", "accepted only for a mail server on a loopback address")]
    [InlineData("127.0.0.1", "Plaintext", "choose 'StartTls' (the default), 'SslOnConnect' or 'None'")]
    [InlineData("127.0.0.1", "2", "choose 'StartTls' (the default), 'SslOnConnect' or 'None'")]
    public async Task a_security_setting_that_would_send_in_clear_beyond_this_host_or_is_unknown_stops_the_start(string host, string security, string message)
    {
        await using var node = new ServerProcess(new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = NoDatabase, ["Demo__Seed"] = "false", ["Auth__Mode"] = "Development",
            ["Smtp__Host"] = host, ["Smtp__Security"] = security,
        });
        (await Should.ThrowAsync<InvalidOperationException>(() => node.Start(ServerFixture.Start))).Message.ShouldContain(message);
    }

    [Fact]
    public async Task the_retired_allow_plaintext_stops_the_start_and_names_its_replacement()
    {
        await using var node = new ServerProcess(new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = NoDatabase, ["Demo__Seed"] = "false", ["Auth__Mode"] = "Development",
            ["Smtp__Host"] = "127.0.0.1", ["Smtp__AllowPlaintext"] = "true",
        });
        (await Should.ThrowAsync<InvalidOperationException>(() => node.Start(ServerFixture.Start))).Message.ShouldContain("Smtp:Security=None");
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("[::1]")]
    public void security_none_towards_a_loopback_host_is_accepted(string host)
    {
        var smtp = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Smtp:Host"] = host, ["Smtp:Security"] = "None" })
            .Build().GetSection("Smtp");
        Should.NotThrow(() => SmtpOptions.Check(smtp));
    }

    private static async Task<string[]> Scalars(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(reader.GetString(0));
        return [.. values];
    }
}
