using System.Net;
using System.Reflection;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// Every text field of every request record is an identifier, free text, a choice from a list or a time, and each kind
/// is checked as such (ASVS 5.1.3/5.1.4): an identifier with a control character, a bidi or zero-width format character or
/// a line separator is refused with 400 naming the field; free text keeps its line breaks but no other control character.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_identifiers_hold_control_characters(ServerFixture server)
{
    /// <summary>The identifiers of the request records ("Record.Property"), and the ids in routes.</summary>
    private static readonly Dictionary<string, string> Identifiers = new()
    {
        ["DraftPlanRequest.MonitorId"] = "monitorId", ["DraftPlanRequest.BackupId"] = "backupId",
        ["DraftPlanRequest.TeamId"] = "teamId", ["DraftPlanRequest.TimeZone"] = "timeZone",
        ["LogCheckInRequest.ClientId"] = "clientId", ["RaiseConcernRequest.ClientId"] = "clientId", ["GiveRatingRequest.ClientId"] = "clientId",
        ["PutUserRequest.Organisation"] = "organisation", ["PutUserRequest.Team"] = "team",
        ["PutOrganisationRequest.Teams"] = "teams",
        ["PutWebhookRequest.Url"] = "webhook.url", ["PutWebhookRequest.Secret"] = "webhook.secret", ["PutOrganisationRequest.DutyUserId"] = "dutyUserId",
        ["PushSubscriptionRequest.Endpoint"] = "endpoint", ["PushUnsubscribeRequest.Endpoint"] = "endpoint",
        ["route /api/users/{userId}"] = "userId", ["route /api/organisations/{organisationId}"] = "organisationId",
        ["HandoverRequest.ToMonitorId"] = "toMonitorId", ["HandoverRequest.ToBackupId"] = "toBackupId",
        ["OpenCaseAuditRequest.ProfessionalId"] = "professionalId", ["RecordConferenceSessionRequest.ProfessionalsPresent"] = "professionalsPresent",
    };

    private static readonly HashSet<string> FreeText =
    [
        "DraftPlanRequest.Title", "DraftPlanRequest.Family", "AddMemberRequest.Name", "AddMemberRequest.Email", "AddMemberRequest.Phone",
        "SetSafetyGoalRequest.Danger", "SetSafetyGoalRequest.Goal", "MakeAgreementRequest.Text", "SetBottomLineRequest.Text",
        "ReasonRequest.Reason", "RecordEvaluationRequest.Notes", "LogCheckInRequest.Note", "RaiseConcernRequest.Text",
        "GiveRatingRequest.Note", "EscalationNoteRequest.Note", "PutUserRequest.Name", "PutUserRequest.Email", "PutOrganisationRequest.Name",
        "HandoverRequest.Note", "RecordConferenceSessionRequest.Notes", "ReferralRequest.By", "CaseAuditAnswerRequest.Note",
        "WriteCaseAuditRequest.Reflection", "WriteCaseAuditRequest.LearningPoints",
    ];

    /// <summary>Values from a fixed list (anything else is refused) or times and durations in ISO 8601 (anything unparsable is refused).</summary>
    private static readonly HashSet<string> ChoicesAndTimes =
    [
        "AddMemberRequest.Role", "AddMemberRequest.Language", "LogCheckInRequest.Outcome", "RaiseConcernRequest.Severity", "PutUserRequest.Language", "PutUserRequest.Roles",
        "RuleRequest.Kind", "RuleRequest.MinSeverity", "ScheduleRequest.Weekly", "ScheduleRequest.Daily", "ScheduleRequest.At", "ScheduleRequest.Once",
        "MakeAgreementRequest.Grace", "MakeAgreementRequest.ReportFrom", "MakeAgreementRequest.RemindBefore", "RuleRequest.Within", "RuleRequest.For",
        "SetBottomLineRequest.AcknowledgeWithin", "RecordEvaluationRequest.Outcome", "IssuePersonalLinkRequest.ValidFor", "SetClockRequest.Advance",
        "ReferralRequest.ConferenceWithin",
    ];

    public static TheoryData<string, string> BadIdentifiers()
    {
        var data = new TheoryData<string, string>();
        foreach (var field in Identifiers.Keys)
        foreach (var bad in new[] { "id\u0000x", "id\u0007", "id\nx", "id\tx", "id\u0085x", "id\u202Ex", "id\u2066x", "id\u200Bx", "id\uFEFFx", "id\u2028x" })
            // A NUL in a path never reaches SafetyPlan: ASP.NET refuses the request line itself.
            if (!(field.StartsWith("route ", StringComparison.Ordinal) && bad.Contains('\u0000')))
                data.Add(field, bad);
        return data;
    }

    [Fact]
    public void every_text_field_of_every_request_record_is_classified()
    {
        var fields = typeof(SafetyPlan.Web.Api).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Request", StringComparison.Ordinal) && t.Namespace?.StartsWith("SafetyPlan", StringComparison.Ordinal) == true)
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.PropertyType == typeof(string) || p.PropertyType == typeof(string[]))
                .Select(p => $"{t.Name}.{p.Name}"))
            .ToList();
        fields.ShouldNotBeEmpty();
        var unclassified = fields.Where(f => !Identifiers.ContainsKey(f) && !FreeText.Contains(f) && !ChoicesAndTimes.Contains(f)).ToList();
        unclassified.ShouldBeEmpty("a new text field must be classified here, and checked as its kind");
    }

    [Theory]
    [MemberData(nameof(BadIdentifiers))]
    public async Task an_identifier_with_a_control_or_format_character_is_refused_with_400(string field, string value)
    {
        var response = await Send(field, value);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, $"{field} = {Escape(value)}");
        var errors = (await response.Json()).GetProperty("errors");
        errors.TryGetProperty(Identifiers[field], out _).ShouldBeTrue($"{field} = {Escape(value)}: {errors}");
    }

    [Fact]
    public async Task the_same_identifiers_without_them_are_accepted()
    {
        foreach (var field in Identifiers.Keys)
            ((int)(await Send(field, null)).StatusCode).ShouldBeInRange(200, 299, field);
    }

    [Fact]
    public async Task free_text_keeps_its_line_breaks_but_no_other_control_character()
    {
        var plan = await new PlanBuilder(server).Drafted();
        var note = (string text) => plan.Member.Post($"/api/plans/{plan.PlanId}/concerns",
            new { clientId = Guid.NewGuid().ToString(), memberId = plan.MemberId, text, severity = "low" });
        (await note("Eerste regel.\r\nTweede regel.\nDerde.")).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await note("Voor\u200Fnaam أحمد\u200E")).StatusCode.ShouldBe(HttpStatusCode.Created); // marks right-to-left text needs
        foreach (var bad in new[] { "bel\u0007", "tab\tje", "nul\u0000", "links\u202Erechts", "iso\u2067late" })
        {
            var refused = await note(bad);
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest, Escape(bad));
            (await refused.Json()).GetProperty("errors").TryGetProperty("text", out _).ShouldBeTrue(Escape(bad));
        }
    }

    private async Task<HttpResponseMessage> HandOver(PlanBuilder plan, string? value, string id, bool toMonitor)
    {
        // A backup is tried with a new monitor beside it (a handover to the current monitor is 409).
        var monitor = $"m-{Guid.NewGuid():N}";
        foreach (var user in value is null ? new[] { id, monitor } : [monitor])
            (await server.As("admin", "admin").PutAsync($"/api/users/{user}", System.Net.Http.Json.JsonContent.Create(new
            {
                name = "U", email = "u@jeugdzorg.test", language = "nl", roles = new[] { "professional" },
            }))).EnsureSuccessStatusCode();
        return await plan.Professional.Post($"/api/plans/{plan.PlanId}/handover",
            toMonitor ? new { toMonitorId = id, toBackupId = (string?)null, note = "n" } : new { toMonitorId = monitor, toBackupId = (string?)id, note = "n" });
    }

    /// <summary>Sends a valid request of the field's endpoint, with <paramref name="value"/> in that field (null: a valid value).</summary>
    private async Task<HttpResponseMessage> Send(string field, string? value)
    {
        var unique = Guid.NewGuid().ToString("N");
        var id = value ?? $"id-{unique}";
        var professional = server.As($"p-{unique}", "professional");
        // An organisation of its own, so that naming its teams touches no other test's.
        var admin = server.As("admin-ids", "admin");
        admin.DefaultRequestHeaders.Add("X-Organisation", "ids-org");
        switch (field)
        {
            case "DraftPlanRequest.MonitorId": return await professional.Post("/api/plans", new { title = "t", family = "f", monitorId = id });
            case "DraftPlanRequest.BackupId": return await professional.Post("/api/plans", new { title = "t", family = "f", monitorId = $"p-{unique}", backupId = id });
            case "DraftPlanRequest.TeamId": return await professional.Post("/api/plans", new { title = "t", family = "f", monitorId = $"p-{unique}", teamId = id });
            case "DraftPlanRequest.TimeZone":
                return await professional.Post("/api/plans", new { title = "t", family = "f", monitorId = $"p-{unique}", timeZone = value is null ? "Europe/Amsterdam" : "Europe/Amsterdam" + value[2..] });
            case "PutUserRequest.Organisation" or "PutUserRequest.Team":
                return await admin.PutAsync($"/api/users/u-{unique}", System.Net.Http.Json.JsonContent.Create(new Dictionary<string, object>
                {
                    ["name"] = "U", ["email"] = "u@jeugdzorg.test", ["language"] = "nl", ["roles"] = new[] { "professional" },
                    [field == "PutUserRequest.Organisation" ? "organisation" : "team"] = field == "PutUserRequest.Organisation" && value is null ? "ids-org" : id,
                }));
            case "route /api/users/{userId}":
                return await admin.PutAsync($"/api/users/{Uri.EscapeDataString(id)}", System.Net.Http.Json.JsonContent.Create(new
                {
                    name = "U", email = "u@jeugdzorg.test", language = "nl", roles = new[] { "professional" },
                }));
            case "PutOrganisationRequest.Teams":
                return await admin.PutAsync("/api/organisations/ids-org", System.Net.Http.Json.JsonContent.Create(new { name = "Standaard", teams = new[] { id } }));
            case "PutWebhookRequest.Url" or "PutWebhookRequest.Secret":
                // The secret is padded to its minimum length, so that only its characters can refuse it.
                return await admin.PutAsync("/api/organisations/ids-org", System.Net.Http.Json.JsonContent.Create(new
                {
                    webhook = field == "PutWebhookRequest.Url"
                        ? new { url = $"https://hooks.example/{id}", secret = new string('s', 32) }
                        : new { url = "https://hooks.example/h", secret = id + new string('s', 32) },
                }));
            case "PushSubscriptionRequest.Endpoint" or "PushUnsubscribeRequest.Endpoint":
            {
                using var key = System.Security.Cryptography.ECDiffieHellman.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
                var point = key.ExportParameters(false).Q;
                static string Url64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
                var endpoint = $"https://push.example/{id}";
                var subscribe = await professional.PostAsync("/api/me/push-subscriptions", System.Net.Http.Json.JsonContent.Create(new
                {
                    endpoint, keys = new { p256dh = Url64([0x04, .. point.X!, .. point.Y!]), auth = Url64(new byte[16]) },
                }));
                if (field == "PushSubscriptionRequest.Endpoint") return subscribe;
                return await professional.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/me/push-subscriptions")
                {
                    Content = System.Net.Http.Json.JsonContent.Create(new { endpoint }),
                });
            }
            case "PutOrganisationRequest.DutyUserId":
                if (value is null) // a duty professional must hold an account
                    (await admin.PutAsync($"/api/users/{Uri.EscapeDataString(id)}", System.Net.Http.Json.JsonContent.Create(new
                    {
                        name = "U", email = "u@jeugdzorg.test", language = "nl", roles = new[] { "professional" },
                    }))).EnsureSuccessStatusCode();
                return await admin.PutAsync("/api/organisations/ids-org", System.Net.Http.Json.JsonContent.Create(new { dutyUserId = id }));
            case "route /api/organisations/{organisationId}":
                return await admin.PutAsync($"/api/organisations/{Uri.EscapeDataString(value ?? "ids-org")}", System.Net.Http.Json.JsonContent.Create(new { name = "Standaard" }));
        }
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        return field switch
        {
            "LogCheckInRequest.ClientId" => await plan.CheckIn("kept", id),
            "RaiseConcernRequest.ClientId" => await plan.Member.Post($"/api/plans/{plan.PlanId}/concerns", new { clientId = id, memberId = plan.MemberId, text = "Zorg", severity = "low" }),
            "GiveRatingRequest.ClientId" => await plan.Member.Post($"/api/plans/{plan.PlanId}/ratings", new { clientId = id, memberId = plan.MemberId, score = 7 }),
            // A new monitor or backup must be a professional's account: a valid id gets one first.
            "HandoverRequest.ToMonitorId" => await HandOver(plan, value, id, toMonitor: true),
            "HandoverRequest.ToBackupId" => await HandOver(plan, value, id, toMonitor: false),
            "OpenCaseAuditRequest.ProfessionalId" => await server.As($"aud-{unique}", "auditor")
                .Post($"/api/plans/{plan.PlanId}/case-audits", new { professionalId = value ?? plan.MonitorId }),
            "RecordConferenceSessionRequest.ProfessionalsPresent" => await plan.Professional.Post($"/api/plans/{plan.PlanId}/conference-sessions", new
            {
                heldOn = DateOnly.FromDateTime((await server.Now()).UtcDateTime).AddDays(-1), membersPresent = new[] { plan.MemberId },
                professionalsPresent = new[] { id }, notes = "n",
            }),
            _ => throw new ArgumentException($"No request for {field}"),
        };
    }

    private static string Escape(string value) => string.Concat(value.Select(c => c < ' ' || c > '~' ? $"\\u{(int)c:X4}" : c.ToString()));
}
