using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;

using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Contract;

// The answers of the HTTP contract (../shared/api-contract.md) as the tests read them: typed records, read with the app's
// own JSON options (ServerFixture.Json: camelCase, kebab-case enums, ISO 8601 durations), and compared as records:
//     status.ShouldBe(before with { Status = Colour.Red, OpenEscalations = 1 });
// They are the tests' own, not the server's types, so a renamed or retyped field fails here as it would for a client.
// Fields a record leaves out are not checked by it; a test that checks the raw JSON (names, absent fields, masking) reads
// a JsonElement instead, and says so.

public enum Colour { Green, Amber, Red }
public enum State { Draft, Active, Closed }
public enum Outcome { Kept, Partly, NotKept }
public enum EscalationState { Open, Acknowledged, Resolved }

/// <summary><c>GET /api/plans/{planId}</c> ("Plan status").</summary>
public sealed record PlanStatus(
    Guid Id, string Title, string Family, State State, Colour Status, int Version, int Revision, string MonitorId, string? BackupId,
    string TimeZone, DateOnly? NextEvaluationDue, bool EvaluationOverdue, DateTimeOffset? LastCheckInAt,
    Values<MemberStatus> Members, Values<GoalStatus> Goals, Values<AgreementStatus> Agreements, Values<BottomLineStatus> BottomLines,
    int OpenEscalations, int OpenBreaches, Values<RatingStatus> Ratings, DateTimeOffset AsOf, Values<NotificationStatus> Notifications,
    ReferralStatus? Referral = null, Values<ConferenceSessionStatus>? ConferenceSessions = null, DateOnly? ConferenceDue = null,
    bool ConferenceOverdue = false);

/// <summary>The plan's referral as the status gives it (Conference/).</summary>
public sealed record ReferralStatus(string By, DateOnly ReceivedOn, string ConferenceWithin, DateOnly ConferenceDue);
/// <summary>A session of the network conference as the status gives it; <see cref="Notes"/> null for a member.</summary>
public sealed record ConferenceSessionStatus(Guid Id, DateOnly HeldOn, Values<Guid> MembersPresent, Values<string> ProfessionalsPresent, string? Notes);

public sealed record MemberStatus(Guid Id, string Name, string Role, string? Email, string? Phone, bool? Reachable, string? UnreachableReason);
public sealed record GoalStatus(Guid Id, string Danger, string Goal);

public sealed record AgreementStatus(
    Guid Id, string Text, Guid ResponsibleMemberId, Guid? GoalId, ScheduleStatus Schedule, string Grace, bool Withdrawn,
    int Due, int Kept, int Partly, int NotKept, int Missed, DateTimeOffset? NextOccurrence,
    Values<Guid> Reporters, string ReportFrom, string RemindBefore, Values<Guid> Watchers, Values<LateReport> LateReports);

public sealed record LateReport(DateTimeOffset Occurrence, Guid MemberId, Outcome Outcome, bool Correction, DateTimeOffset At);
public sealed record BottomLineStatus(Guid Id, string Text, RuleStatus Rule, bool Crossed);

/// <summary>An agreement's <c>schedule</c>, in the form it was given in: <c>daily</c>, <c>weekly</c> with <c>at</c>, or <c>once</c>.</summary>
public sealed record ScheduleStatus(string? Daily, Values<string>? Weekly, string? At, string? Once);

/// <summary>A bottom line's <c>rule</c>: its <c>kind</c> and the fields of that kind (durations in ISO 8601).</summary>
public sealed record RuleStatus(string Kind, Guid? AgreementId, int? Count, string? Within, string? For, string? MinSeverity);
public sealed record RatingStatus(Guid MemberId, int Score, DateTimeOffset At);

/// <param name="Delivery">queued, sent, skipped or failed</param>
public sealed record NotificationStatus(
    string Subject, string Reference, string? RecipientUserId, Guid? RecipientMemberId, string Channel, string Delivery,
    int FailedAttempts, DateTimeOffset QueuedAt, DateTimeOffset? SentAt, string? Failure);

/// <summary>One of <c>GET /api/escalations</c>.</summary>
public sealed record Escalation(
    Guid Id, Guid PlanId, string PlanTitle, Guid BottomLineId, string BottomLineText, string Reason, string MonitorId,
    string? BackupId, EscalationState State, DateTimeOffset RaisedAt, DateTimeOffset AcknowledgeBy,
    DateTimeOffset? AcknowledgedAt, string? AcknowledgedBy, DateTimeOffset? ResolvedAt, string? ResolvedBy, string? Note);

/// <summary>The answer to a check-in, concern or rating (the first one's, again, when its clientId repeats).</summary>
public sealed record CheckInReceipt(string Kind, Guid Id, Guid? AgreementId, DateTimeOffset? Occurrence, bool? Late);

/// <summary>One event of <c>GET /api/plans/{planId}/history</c>; <see cref="Data"/> is the event as written, read with <see cref="DataAs{T}"/>.</summary>
public sealed record HistoryEntry(
    long Sequence, long Version, string Type, DateTimeOffset At, string? Actor, string? ActorRoles, string? CausationId,
    string? Description, JsonElement Data)
{
    /// <summary>The event's data as <typeparamref name="T"/> (a record of the fields a test reads; the others are ignored).</summary>
    public T DataAs<T>() => Data.Deserialize<T>(ServerFixture.Json)!;

    /// <summary>The data's <c>clientId</c>, for the reports (check-ins, concerns, ratings); null for every other event.</summary>
    public string? ClientId => Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty("clientId", out var id) ? id.GetString() : null;
}

/// <summary>The delivery a notification event is about (<c>notification-queued</c>, <c>-failed</c>, <c>-abandoned</c>, ...).</summary>
public sealed record DeliveryKey(string? Key);
/// <summary>The data of a <c>notification-abandoned</c> event, but its key.</summary>
public sealed record DeliveryEnded(string Reason, string Failure, int Attempts, DateTimeOffset At);
/// <summary>The data of a <c>notification-failed</c> event, but its key and error.</summary>
public sealed record DeliveryFailed(int Attempt, DateTimeOffset NextAttemptAt);
public sealed record BreachData(DateTimeOffset? OccurredAt);
public sealed record CheckInData(string ClientId, Guid AgreementId, Guid MemberId, Outcome Outcome, string? Note, DateTimeOffset Occurrence);

/// <summary>The data of a <c>personal-data-masked</c> event, but the chain heads.</summary>
public sealed record MaskingData(string Policy, long MaskedUpToVersion);

/// <summary><c>GET /api/plans/{planId}/export</c> (the case file, as JSON).</summary>
public sealed record CaseFile(
    DateTimeOffset ExportedAt, string ExportedBy, PlanStatus Plan, Values<CaseEscalation> Escalations, Values<TimelineEntry> Timeline,
    ChainVerification? Chain);
public sealed record CaseEscalation(
    Guid Id, string BottomLine, DateTimeOffset RaisedAt, DateTimeOffset AcknowledgeBy, DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? ResolvedAt, bool PassedToBackup, double? MinutesToAcknowledge);
public sealed record TimelineEntry(long Version, DateTimeOffset At, string Type, string? Actor, string Description);

/// <summary>One of <c>GET /api/notifications</c> (the in-app inbox).</summary>
public sealed record InboxItem(Guid PlanId, string Subject, string Reference, string? RecipientUserId, string Channel, string Delivery, string? Failure);

/// <summary><c>GET /api/plans/{planId}/diff?from=&amp;to=</c>.</summary>
public sealed record PlanDiff(
    Guid PlanId, int From, int To, State StateFrom, State StateTo, Change Members, Change Goals, Change Agreements, Change BottomLines);
public sealed record Change(Values<Named> Added, Values<Named> Removed);
public sealed record Named(Guid Id, string Text);

/// <summary><c>GET /api/plans/{planId}/verify</c>.</summary>
public sealed record ChainVerification(Guid PlanId, bool Intact, int Events, long? FirstBrokenSequence, long? FirstBrokenVersion, ChainMasking? Masking);
public sealed record ChainMasking(long MaskedUpToVersion, bool OriginalChainVerified);

/// <summary>One line of <c>GET /api/plans</c>.</summary>
public sealed record PlanSummary(Guid Id, string Title, State State, Colour Status, string MonitorId, Values<UnreachableMember> Unreachable,
    DateOnly? ConferenceDue = null, bool ConferenceOverdue = false);
public sealed record UnreachableMember(Guid MemberId, string Name, string? Phone, string Reason);

/// <summary>An error answer (RFC 9457): <see cref="Errors"/> maps each wrong field (by its contract name) to its messages.</summary>
public sealed record Problem(string? Title, int? Status, string? Detail, Dictionary<string, string[]>? Errors);

/// <summary>The answer of <c>POST /api/dev/clock</c>.</summary>
public sealed record ClockResult(DateTimeOffset Now, int Events);

/// <summary>
/// A list in an answer, equal to another with the same items in the same order (a record's own list would compare by
/// reference), and written out item by item in a failing assertion.
/// </summary>
[JsonConverter(typeof(ValuesConverter))]
public sealed class Values<T>(IReadOnlyList<T> items) : IReadOnlyList<T>, IEquatable<Values<T>>
{
    public T this[int index] => items[index];
    public int Count => items.Count;
    public IEnumerator<T> GetEnumerator() => items.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(Values<T>? other) => other is not null && items.SequenceEqual(other);
    public override bool Equals(object? obj) => obj is Values<T> other && Equals(other);
    public override int GetHashCode() => items.Aggregate(items.Count, (hash, item) => HashCode.Combine(hash, item));
    public override string ToString() => $"[{string.Join(", ", items)}]";

    public static implicit operator Values<T>(T[] items) => new(items);
    public static implicit operator Values<T>(List<T> items) => new(items);
}

public sealed class ValuesConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Values<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class Converter<T> : JsonConverter<Values<T>>
    {
        public override Values<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(JsonSerializer.Deserialize<List<T>>(ref reader, options) ?? []);

        public override void Write(Utf8JsonWriter writer, Values<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.ToList(), options);
    }
}

public static class ContractReading
{
    /// <summary>The answer's body as <typeparamref name="T"/>; a body that does not read names itself in the failure.</summary>
    public static async Task<T> Read<T>(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            return JsonSerializer.Deserialize<T>(text, ServerFixture.Json) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode} {typeof(T).Name} unreadable ({e.Message}): {text}", e);
        }
    }

    public static async Task<T> Get<T>(this HttpClient client, string url) => await (await client.GetAsync(url)).Read<T>();
}

/// <summary><c>GET /api/plans/{planId}/case-audits/{auditId}</c> (../shared/api-contract.md, "The practice around the plan").</summary>
public sealed record CaseAudit(
    Guid Id, string ProfessionalId, string AuditorId, CaseAuditFacts Facts, Dictionary<string, CaseAuditAnswer> Answers,
    string Reflection, string LearningPoints, Values<string> SignedBy, string State, int Revision, long AsOfVersion);
public sealed record CaseAuditFacts(
    int Escalations, double? MedianAcknowledgeMinutes, double? ComplianceRate, int EvaluationsOnTime, int Evaluations, int ConferenceSessions,
    Values<AgreementCompliance>? ComplianceByAgreement = null, Values<ConferenceAttendance>? ConferenceAttendance = null);
/// <summary>One agreement in a case audit's facts: occurrences by their last word, and kept / with an outcome.</summary>
public sealed record AgreementCompliance(Guid AgreementId, string Title, int WithOutcome, int Kept, int Partly, int NotKept, int Missed, double? Rate);
/// <summary>One conference session in a case audit's facts: who was present.</summary>
public sealed record ConferenceAttendance(Guid SessionId, DateOnly HeldOn, Values<Guid> MembersPresent, Values<string> ProfessionalsPresent);
/// <summary>The data of a <c>conference-session-held</c> history entry, as far as an audit's facts use it.</summary>
public sealed record ConferenceSessionData(Guid SessionId, DateOnly HeldOn, Values<Guid> MembersPresent, Values<string> ProfessionalsPresent);
public sealed record CaseAuditAnswer(int Score, string? Note);
