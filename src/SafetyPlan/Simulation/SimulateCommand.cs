using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;
using SafetyPlan.Hosting;
using SafetyPlan.Notifications;

namespace SafetyPlan.Simulation;

/// <summary>
/// <c>simulate --weeks 6 --seed 1</c>: a realistic case on the real stack (HTTP, Wolverine, Marten, PostgreSQL, the
/// deadline sweep) with the manual clock, in a fresh database. Prints the timeline and a table per agreement. The same
/// seed gives the same output.
/// </summary>
public static class SimulateCommand
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
    private static readonly DateTimeOffset Start = new(2027, 1, 4, 9, 0, 0, TimeSpan.FromHours(1)); // a Monday

    public static async Task<int> Run(string[] options)
    {
        var weeks = Option(options, "--weeks", 6);
        var seed = Option(options, "--seed", 1);
        if (weeks is < 1 or > 52)
        {
            Console.Error.WriteLine("--weeks must be 1 to 52.");
            return 2;
        }

        var (connectionString, local) = await FreshDatabase();
        var app = SafetyPlanServer.Build(
        [
            $"--ConnectionStrings:Postgres={connectionString}", "--Clock:Mode=Manual", $"--Clock:Start={Start:O}",
            "--Demo:Seed=false", "--Auth:Mode=Development", "--App:BaseUrl=http://127.0.0.1", "--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning",
            "--Smtp:Host=", "--Logging:Console:LogToStandardErrorThreshold=Trace", // the timeline alone goes to standard output
        ]);
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var script = new Script(new Uri(address), new Random(seed));
            await script.Play(weeks);
            script.Print(weeks, seed);
            return 0;
        }
        finally
        {
            await app.StopAsync();
            if (local is not null) await local.StopAsync();
        }
    }

    private static int Option(string[] options, string name, int fallback)
    {
        var index = Array.IndexOf(options, name);
        return index >= 0 && index + 1 < options.Length && int.TryParse(options[index + 1], out var value) ? value : fallback;
    }

    /// <summary>A new, empty database beside the configured one (or in the local cluster), so that runs do not mix.</summary>
    private static async Task<(string ConnectionString, LocalPostgres? Local)> FreshDatabase()
    {
        var configured = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres");
        string server;
        LocalPostgres? local = null;
        if (string.IsNullOrWhiteSpace(configured))
        {
            var root = Database.RepositoryRoot() ?? Directory.GetCurrentDirectory();
            local = await LocalPostgres.StartAsync(Path.Combine(root, ".data", "postgres"));
            server = local.ConnectionString("postgres");
        }
        else
        {
            server = new NpgsqlConnectionStringBuilder(configured) { Database = "postgres" }.ConnectionString;
        }
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync();
            await using (var drop = new NpgsqlCommand("drop database if exists safetyplan_simulation with (force)", connection)) await drop.ExecuteNonQueryAsync();
            await using (var create = new NpgsqlCommand("create database safetyplan_simulation", connection)) await create.ExecuteNonQueryAsync();
        }
        return (new NpgsqlConnectionStringBuilder(server) { Database = "safetyplan_simulation" }.ConnectionString, local);
    }

    private sealed class Script(Uri server, Random random)
    {
        private readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);
        private Guid _plan;
        private readonly List<(Guid Id, string Name, Guid Member, string Who)> _agreements = [];
        private readonly Dictionary<Guid, string> _members = new();
        private readonly HttpClient _anna = Client(server, "anna", "professional");
        private readonly HttpClient _bart = Client(server, "bart", "professional");
        private readonly HttpClient _clock = Client(server, "simulation", "admin");
        private DateTimeOffset _now = Start;
        private bool _lateAcknowledgementDone;

        private HttpClient Client(string user, string roles) => Client(server, user, roles);

        private static HttpClient Client(Uri server, string user, string roles)
        {
            var client = new HttpClient { BaseAddress = server };
            client.DefaultRequestHeaders.Add("X-User", user);
            client.DefaultRequestHeaders.Add("X-Roles", roles);
            return client;
        }

        private async Task<JsonElement> Send(HttpClient client, string url, object body, HttpMethod? method = null)
        {
            var response = await client.SendAsync(new HttpRequestMessage(method ?? HttpMethod.Post, url) { Content = JsonContent.Create(body, options: _json) });
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {text}");
            return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }

        private async Task<Guid> Create(string url, object body) => (await Send(_anna, url, body)).GetProperty("id").GetGuid();

        /// <summary>
        /// Moves the clock to <paramref name="moment"/>, stopping at each of the plan's deadlines on the way (a reminder,
        /// a missed check-in, an escalation's step: <c>GET /api/plans/{id}/deadlines</c>), so that the sweep decides each
        /// at its due time, as Hangfire's sweep (every 15 seconds) would, and the timeline shows it then (Demo/DemoCase.cs
        /// does the same in process).
        /// </summary>
        private async Task MoveTo(DateTimeOffset moment)
        {
            while (_now < moment)
            {
                var next = _plan == Guid.Empty ? null : (await Deadlines()).Where(at => at > _now && at < moment).Cast<DateTimeOffset?>().Min();
                _now = next ?? moment;
                await Send(_clock, "/api/dev/clock", new { now = _now });
            }
        }

        /// <summary>When the plan's upcoming deadlines fall due (the clock endpoint runs the work due before it answers).</summary>
        private async Task<IEnumerable<DateTimeOffset>> Deadlines()
        {
            var response = await _anna.GetAsync($"/api/plans/{_plan}/deadlines");
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"deadlines: {(int)response.StatusCode} {text}");
            return JsonDocument.Parse(text).RootElement.EnumerateArray().Select(d => d.GetProperty("dueAt").GetDateTimeOffset()).ToList();
        }

        public async Task Play(int weeks)
        {
            var admin = Client("admin", "admin");
            await Send(admin, "/api/users/anna", new { name = "Anna de Vries", email = "anna@jeugdzorg.example", language = "nl", roles = new[] { "professional" } }, HttpMethod.Put);
            await Send(admin, "/api/users/bart", new { name = "Bart Peeters", email = "bart@jeugdzorg.example", language = "en", roles = new[] { "professional" } }, HttpMethod.Put);

            // The network conference.
            _plan = await Create("/api/plans", new { title = "Veiligheidsplan gezin Bakker", family = "Gezin Bakker", monitorId = "anna", backupId = "bart" });
            var sandra = await Member("Sandra (moeder)", "parent");
            var mark = await Member("Mark (vader)", "parent");
            var riet = await Member("Oma Riet", "network");
            var fatima = await Member("Fatima (buurvrouw)", "network");
            var ellen = await Member("Juf Ellen", "professional");
            var goal = await Create($"/api/plans/{_plan}/goals", new { danger = "Sem en Lotte zijn na school alleen als moeder drinkt.", goal = "Elke schooldag is er een nuchtere volwassene na school." });
            // Watchers: the father hears when the children were not picked up, oma when mother did not call.
            await Agreement("Oma haalt op (ma-vr 15:00)", riet, new { weekly = new[] { "monday", "tuesday", "wednesday", "thursday", "friday" }, at = "15:00" }, "PT2H", goal, [mark]);
            var call = await Agreement("Moeder belt oma (dagelijks 20:00)", sandra, new { daily = "20:00" }, "PT3H", goal, [riet]);
            await Agreement("Juf meldt aanwezigheid (ma, do 16:00)", ellen, new { weekly = new[] { "monday", "thursday" }, at = "16:00" }, "PT4H", goal);
            await Agreement("Buurvrouw loopt binnen (za 11:00)", fatima, new { weekly = new[] { "saturday" }, at = "11:00" }, "PT6H", goal);
            await Create($"/api/plans/{_plan}/bottom-lines", new { text = "Twee avonden geen belletje: de regiehouder grijpt in.", rule = new { kind = "missed-in-a-row", agreementId = call, count = 2 }, acknowledgeWithin = "PT4H" });
            await Create($"/api/plans/{_plan}/bottom-lines", new { text = "Ernstige zorg: direct ingrijpen.", rule = new { kind = "concern", minSeverity = "high" }, acknowledgeWithin = "PT2H" });
            var due = DateOnly.FromDateTime(Start.Date).AddDays(7 * weeks);
            await Send(_anna, $"/api/plans/{_plan}/agree", new { evaluationDue = due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });

            // The weeks: mostly kept, a few partly or not kept, a few forgotten; in week 3 mother forgets to call twice.
            var incidentDay = Start.Date.AddDays(14 + 2); // Wednesday of week 3
            for (var day = 0; day < 7 * weeks; day++)
            {
                var date = DateOnly.FromDateTime(Start.Date).AddDays(day);
                var occurrences = Occurrences(date);
                foreach (var (agreement, at) in occurrences)
                {
                    var scriptedSilence = agreement.Id == call && (date.ToDateTime(TimeOnly.MinValue) == incidentDay || date.ToDateTime(TimeOnly.MinValue) == incidentDay.AddDays(1));
                    var roll = random.NextDouble();
                    if (scriptedSilence || (agreement.Id != call && roll < 0.04)) continue; // nobody reports: missed after the grace period
                    var outcome = roll < 0.86 ? "kept" : roll < 0.94 ? "partly" : agreement.Id == call ? "partly" : "not-kept";
                    await MoveTo(at.AddMinutes(random.Next(5, 60)));
                    await Send(Client(agreement.Who, $"member:{agreement.Member}"), $"/api/plans/{_plan}/check-ins",
                        new { clientId = $"{agreement.Id:N}-{at:yyyyMMddHHmm}", agreementId = agreement.Id, memberId = agreement.Member, outcome, occurrence = at });
                }
                if (date.DayOfWeek == DayOfWeek.Sunday)
                {
                    await MoveTo(Local(date, new TimeOnly(19, 0)));
                    foreach (var member in new[] { sandra, riet })
                        await Send(Client("member", $"member:{member}"), $"/api/plans/{_plan}/ratings",
                            new { clientId = $"rating-{member:N}-{date:yyyyMMdd}", memberId = member, score = Math.Clamp(5 + day / 10 + random.Next(-1, 2), 0, 10) });
                }
                await MoveTo(Local(date.AddDays(1), new TimeOnly(0, 30)));
                await RespondToEscalations();
            }

            // The evaluation.
            await MoveTo(Local(due, new TimeOnly(10, 0)));
            await Send(_anna, $"/api/plans/{_plan}/evaluations", new { outcome = "continue", notes = "De afspraken werken; moeder belt weer trouw. Volgende evaluatie over zes weken." });
        }

        /// <summary>The first escalation is acknowledged too late (it reaches the backup); later ones within the hour.</summary>
        private async Task RespondToEscalations()
        {
            var open = await (await _anna.GetAsync("/api/escalations?state=open")).Content.ReadFromJsonAsync<JsonElement>(_json);
            foreach (var escalation in open.EnumerateArray())
            {
                var id = escalation.GetProperty("id").GetGuid();
                var deadline = escalation.GetProperty("acknowledgeBy").GetDateTimeOffset();
                var responder = _anna;
                if (!_lateAcknowledgementDone)
                {
                    _lateAcknowledgementDone = true;
                    await MoveTo(deadline.AddMinutes(30));
                    responder = _bart;
                }
                else
                {
                    await MoveTo(escalation.GetProperty("raisedAt").GetDateTimeOffset().AddMinutes(40));
                }
                await Send(responder, $"/api/escalations/{id}/acknowledge", new { note = "Gebeld met moeder." });
                await MoveTo(_now.AddHours(2));
                await Send(responder, $"/api/escalations/{id}/resolve", new { note = "Huisbezoek: moeder was ziek, oma heeft de kinderen opgevangen." });
            }
        }

        private List<((Guid Id, string Name, Guid Member, string Who) Agreement, DateTimeOffset At)> Occurrences(DateOnly date)
        {
            var list = new List<((Guid, string, Guid, string), DateTimeOffset)>();
            foreach (var a in _agreements)
            {
                var (days, time) = Timing(a.Name);
                if (days.Contains(date.DayOfWeek)) list.Add((a, Local(date, time)));
            }
            return list.OrderBy(x => x.Item2).ToList();
        }

        private static (DayOfWeek[] Days, TimeOnly Time) Timing(string name) => name switch
        {
            _ when name.StartsWith("Oma") => ([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], new TimeOnly(15, 0)),
            _ when name.StartsWith("Moeder") => (Enum.GetValues<DayOfWeek>(), new TimeOnly(20, 0)),
            _ when name.StartsWith("Juf") => ([DayOfWeek.Monday, DayOfWeek.Thursday], new TimeOnly(16, 0)),
            _ => ([DayOfWeek.Saturday], new TimeOnly(11, 0)),
        };

        private static DateTimeOffset Local(DateOnly date, TimeOnly time)
        {
            var local = date.ToDateTime(time);
            return new DateTimeOffset(local, Amsterdam.GetUtcOffset(local));
        }

        private async Task<Guid> Member(string name, string role)
        {
            var id = await Create($"/api/plans/{_plan}/members", new { name, role });
            _members[id] = name;
            return id;
        }

        private async Task<Guid> Agreement(string name, Guid member, object schedule, string grace, Guid goal, Guid[]? watchers = null)
        {
            var id = await Create($"/api/plans/{_plan}/agreements", new { text = name, responsibleMemberId = member, goalId = goal, schedule, grace, watchers });
            _agreements.Add((id, name, member, _members[member].Split(' ')[0].ToLowerInvariant()));
            return id;
        }

        public void Print(int weeks, int seed)
        {
            var history = _anna.GetFromJsonAsync<JsonElement>($"/api/plans/{_plan}/history", _json).GetAwaiter().GetResult();
            var status = _anna.GetFromJsonAsync<JsonElement>($"/api/plans/{_plan}", _json).GetAwaiter().GetResult();
            Console.WriteLine($"SafetyPlan simulation: {weeks} weeks, seed {seed}, gezin Bakker");
            Console.WriteLine();
            Console.WriteLine("Timeline (Europe/Amsterdam; kept check-ins and reminders are counted, not listed)");
            var keptThisWeek = 0;
            var remindedThisWeek = 0;
            var week = 0;
            void Summary()
            {
                if (keptThisWeek > 0 || remindedThisWeek > 0)
                    Console.WriteLine($"                  week {week + 1}: {keptThisWeek} check-ins kept, {remindedThisWeek} reminders before an occurrence");
            }
            foreach (var e in history.EnumerateArray())
            {
                var at = TimeZoneInfo.ConvertTime(e.GetProperty("at").GetDateTimeOffset(), Amsterdam);
                var currentWeek = (int)((at - Start).TotalDays / 7);
                if (currentWeek != week)
                {
                    Summary();
                    (keptThisWeek, remindedThisWeek) = (0, 0);
                    week = currentWeek;
                }
                if (IsReminder(e))
                {
                    remindedThisWeek++;
                    _reminded[e.GetProperty("data").GetProperty("reference").GetString()!] = at;
                    continue;
                }
                if (IsKept(e)) { keptThisWeek++; continue; }
                if (Describe(e) is { } line) Console.WriteLine($"{at:yyyy-MM-dd HH:mm}  {line}");
            }
            Summary();

            Console.WriteLine();
            Console.WriteLine($"Final status: {status.GetProperty("status").GetString()}, state {status.GetProperty("state").GetString()}, version {status.GetProperty("version").GetInt32()}");
            Console.WriteLine();
            Console.WriteLine("| agreement | due | kept | partly | not kept | missed |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach (var a in status.GetProperty("agreements").EnumerateArray())
                Console.WriteLine($"| {a.GetProperty("text").GetString()} | {a.GetProperty("due")} | {a.GetProperty("kept")} | {a.GetProperty("partly")} | {a.GetProperty("notKept")} | {a.GetProperty("missed")} |");
        }

        /// <summary>When each occurrence's reminder was queued, by its reference (<see cref="Notify.OccurrenceReference"/>).</summary>
        private readonly Dictionary<string, DateTimeOffset> _reminded = new();

        private static bool IsKept(JsonElement e) =>
            e.GetProperty("type").GetString() == "check-in-logged" && e.GetProperty("data").GetProperty("outcome").GetString() == "kept" && !IsLate(e.GetProperty("data"));

        private static bool IsLate(JsonElement data) => data.TryGetProperty("late", out var late) && late.ValueKind == JsonValueKind.True;

        /// <summary>A check-in reminder, counted once per occurrence (its e-mail delivery; the push one is its twin).</summary>
        private static bool IsReminder(JsonElement e) =>
            e.GetProperty("type").GetString() == "notification-queued" && e.GetProperty("data") is var data
            && data.GetProperty("subject").GetString() == "check-in-reminder" && data.GetProperty("channel").GetString() == "email";

        /// <summary>What a notification says in the timeline: a watcher alerted by name and occurrence; null for the push twin of a person's e-mail delivery and for reminders (counted).</summary>
        private string? Notification(JsonElement data)
        {
            var subject = data.GetProperty("subject").GetString();
            if (data.GetProperty("channel").GetString() == "push" || subject == "check-in-reminder") return null;
            var member = data.TryGetProperty("recipientMemberId", out var m) && m.ValueKind == JsonValueKind.String ? _members.GetValueOrDefault(m.GetGuid()) : null;
            if (subject == "agreement-slipped" && Notify.TryReadOccurrenceReference(data.GetProperty("reference").GetString() ?? "", out var agreementId, out var occurrence))
                return $"  watcher alerted: {member} hears that \"{_agreements.FirstOrDefault(a => a.Id == agreementId).Name}\" slipped ({TimeZoneInfo.ConvertTime(occurrence, Amsterdam).ToString("ddd dd-MM HH:mm", CultureInfo.InvariantCulture)})";
            var recipient = data.GetProperty("channel").GetString() == "webhook" ? "the organisation (webhook)"
                : data.TryGetProperty("recipientUserId", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : member ?? "member";
            return $"  notification queued: {subject} for {recipient}";
        }

        private string? Describe(JsonElement e)
        {
            var data = e.GetProperty("data");
            string Agreement(string property) => _agreements.FirstOrDefault(a => a.Id == data.GetProperty(property).GetGuid()).Name ?? "?";
            string Occurrence() => TimeZoneInfo.ConvertTime(data.GetProperty("occurrence").GetDateTimeOffset(), Amsterdam).ToString("ddd dd-MM HH:mm", CultureInfo.InvariantCulture);
            return e.GetProperty("type").GetString() switch
            {
                "plan-drafted" => $"network conference: plan drafted by {e.GetProperty("actor").GetString()}",
                "member-added" => $"member added: {data.GetProperty("name").GetString()}",
                "safety-goal-set" => $"safety goal: {data.GetProperty("goal").GetString()}",
                "agreement-made" => $"agreement: {data.GetProperty("text").GetString()}",
                "bottom-line-set" => $"bottom line: {data.GetProperty("text").GetString()}",
                "plan-agreed" => $"plan agreed; evaluation due {data.GetProperty("evaluationDue").GetString()}",
                "check-in-logged" when IsLate(data) => $"late check-in {data.GetProperty("outcome").GetString()}: {Agreement("agreementId")} ({Occurrence()})",
                "check-in-logged" => $"check-in {data.GetProperty("outcome").GetString()}: {Agreement("agreementId")} ({Occurrence()})",
                "check-in-missed" => $"missed: {Agreement("agreementId")} ({Occurrence()}){(_reminded.TryGetValue(Notify.OccurrenceReference(data.GetProperty("agreementId").GetGuid(), data.GetProperty("occurrence").GetDateTimeOffset()), out var reminded) ? $", though reminded at {reminded:HH:mm}" : "")}",
                "breach-recorded" => null,
                "safety-rated" => $"safety rating {data.GetProperty("score")}/10 by {_members.GetValueOrDefault(data.GetProperty("memberId").GetGuid())}",
                "bottom-line-crossed" => $"BOTTOM LINE CROSSED: {data.GetProperty("reason").GetString()}",
                "escalation-raised" => $"ESCALATION to {data.GetProperty("monitorId").GetString()}, acknowledge by {TimeZoneInfo.ConvertTime(data.GetProperty("acknowledgeBy").GetDateTimeOffset(), Amsterdam):HH:mm}",
                "escalation-passed-to-backup" => $"not acknowledged in time: escalation passed to {data.GetProperty("recipientId").GetString()}",
                "escalation-acknowledged" => $"escalation acknowledged by {data.GetProperty("by").GetString()}",
                "escalation-resolved" => $"escalation resolved by {data.GetProperty("by").GetString()}: {data.GetProperty("note").GetString()}",
                "evaluation-reminder-due" => $"evaluation reminder ({data.GetProperty("daysBefore")} day{(data.GetProperty("daysBefore").GetInt32() == 1 ? "" : "s")} before)",
                "evaluation-recorded" => $"evaluation: {data.GetProperty("outcome").GetString()}, {data.GetProperty("notes").GetString()}",
                "notification-queued" => Notification(data),
                "notification-skipped" or "notification-sent" or "notification-failed" => null,
                "notification-abandoned" => $"  NOTIFICATION FAILED ({data.GetProperty("failure").GetString()}): not tried again",
                var other => other,
            };
        }
    }
}
