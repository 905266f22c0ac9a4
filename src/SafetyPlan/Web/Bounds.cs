namespace SafetyPlan.Web;

/// <summary>A closed range of durations, both ends included, as the contract states it (<c>PT5M..P7D</c>).</summary>
public sealed record DurationBound(TimeSpan Min, TimeSpan Max)
{
    public bool Contains(TimeSpan value) => value >= Min && value <= Max;
    public override string ToString() => $"{ContractValues.Duration(Min)}..{ContractValues.Duration(Max)}";
}

/// <summary>
/// Every bound the contract sets on what a request may hold (../shared/api-contract.md, "Additions of 2026-11-29",
/// "Times, limits and paging"), each a named constant, and one validation per kind. A value outside its bound is a
/// bilingual field error (400) added to the caller's <see cref="FieldErrors"/>, so nothing outside it is ever stored
/// and later fails a projection, the sweep or a replay. Pure: the clock and the plan's zone are passed in.
/// </summary>
/// <remarks>
/// Each validation returns the value read, or null when the field is absent (the caller's default applies) or invalid
/// (an error was added; the caller refuses when <see cref="FieldErrors.Any"/>). Field names are the contract's camelCase
/// paths (<c>rule.within</c>); messages quote the last segment, as a person reads the form.
/// </remarks>
public static class Bounds
{
    /// <summary><c>grace</c> of an agreement: how long after an occurrence a check-in is on time.</summary>
    public static readonly DurationBound Grace = new(TimeSpan.FromMinutes(5), TimeSpan.FromDays(7));
    /// <summary><c>reportFrom</c> of an agreement: how long before an occurrence its report window opens.</summary>
    public static readonly DurationBound ReportFrom = new(TimeSpan.Zero, TimeSpan.FromDays(1));
    /// <summary><c>remindBefore</c> of an agreement: how long before an occurrence the responsible member is reminded.</summary>
    public static readonly DurationBound RemindBefore = new(TimeSpan.Zero, TimeSpan.FromDays(1));
    /// <summary><c>acknowledgeWithin</c> of a bottom line: how long each rung of the escalation ladder has.</summary>
    public static readonly DurationBound AcknowledgeWithin = new(TimeSpan.FromMinutes(5), TimeSpan.FromDays(7));
    /// <summary><c>within</c> of a <c>breaches</c> rule: the window the breaches are counted in.</summary>
    public static readonly DurationBound BreachesWithin = new(TimeSpan.FromHours(1), TimeSpan.FromDays(366));
    /// <summary><c>for</c> of a <c>silence</c> rule: how long without any check-in crosses it.</summary>
    public static readonly DurationBound SilenceFor = new(TimeSpan.FromHours(1), TimeSpan.FromDays(90));

    /// <summary><c>count</c> of a <c>breaches</c> or <c>missed-in-a-row</c> rule, both ends included.</summary>
    public const int MinCount = 1, MaxCount = 100;

    /// <summary><c>evaluationDue</c> / <c>nextEvaluationDue</c>: after today in the plan's zone, and at most this many years ahead.</summary>
    public const int EvaluationYearsAhead = 2;

    /// <summary>Members named in one list of an agreement (<c>reporters</c>, <c>watchers</c>): no plan's network is larger.</summary>
    public const int MaxMembersInList = 100;

    /// <summary>A case audit's answer: <c>score</c> from 1 to 5, both included (CaseAudits/PracticeQuestions).</summary>
    public const int MinAuditScore = 1, MaxAuditScore = 5;

    /// <summary>Events in one page of <c>GET /api/plans/{planId}/history</c>, also without <c>take</c>.</summary>
    public const int HistoryPage = 1000;

    // Text fields, in characters (documented in OpenAPI as maxLength on the request types).
    /// <summary>Ids chosen by clients or sign-in: <c>clientId</c>, <c>monitorId</c>, <c>backupId</c>, <c>teamId</c>.</summary>
    public const int IdLength = 100;
    /// <summary>Names and titles: <c>title</c>, <c>family</c>, a member's or an organisation's <c>name</c>.</summary>
    public const int NameLength = 200;
    /// <summary>A phone number as people write it.</summary>
    public const int PhoneLength = 40;
    /// <summary>An e-mail address (RFC 5321's limit).</summary>
    public const int EmailLength = 320;
    /// <summary>Texts of the plan: an agreement's or bottom line's <c>text</c>, <c>danger</c>, <c>goal</c>, a <c>reason</c>.</summary>
    public const int TextLength = 2000;
    /// <summary>What members and professionals write on a report or an escalation: <c>note</c>, a concern's <c>text</c>.</summary>
    public const int NoteLength = 4000;
    /// <summary>An evaluation's <c>notes</c>.</summary>
    public const int NotesLength = 8000;

    /// <summary>Reads an agreement's <c>grace</c> (ISO 8601, PT5M..P7D); null when absent or invalid.</summary>
    public static TimeSpan? GraceOf(FieldErrors errors, string? text, string field = "grace") => Duration(errors, field, text, Grace, "PT4H");

    /// <summary>Reads an agreement's <c>reportFrom</c> (ISO 8601, PT0S..P1D); null when absent or invalid.</summary>
    public static TimeSpan? ReportFromOf(FieldErrors errors, string? text, string field = "reportFrom") => Duration(errors, field, text, ReportFrom, "PT1H");

    /// <summary>Reads an agreement's <c>remindBefore</c> (ISO 8601, PT0S..P1D); null when absent or invalid.</summary>
    public static TimeSpan? RemindBeforeOf(FieldErrors errors, string? text, string field = "remindBefore") => Duration(errors, field, text, RemindBefore, "PT30M");

    /// <summary>Reads a bottom line's <c>acknowledgeWithin</c> (ISO 8601, PT5M..P7D); null when absent or invalid.</summary>
    public static TimeSpan? AcknowledgeWithinOf(FieldErrors errors, string? text, string field = "acknowledgeWithin") =>
        Duration(errors, field, text, AcknowledgeWithin, "PT4H");

    /// <summary>Reads a <c>breaches</c> rule's <c>within</c> (ISO 8601, PT1H..P366D); required: absent is an error too.</summary>
    public static TimeSpan? BreachesWithinOf(FieldErrors errors, string? text, string field = "rule.within") =>
        Required(errors, field, text) ? Duration(errors, field, text, BreachesWithin, "P14D") : null;

    /// <summary>Reads a <c>silence</c> rule's <c>for</c> (ISO 8601, PT1H..P90D); required: absent is an error too.</summary>
    public static TimeSpan? SilenceForOf(FieldErrors errors, string? text, string field = "rule.for") =>
        Required(errors, field, text) ? Duration(errors, field, text, SilenceFor, "PT72H") : null;

    /// <summary>Reads a rule's <c>count</c> (a whole number, 1..100); required: absent is an error too.</summary>
    public static int? Count(FieldErrors errors, int? count, string field = "rule.count")
    {
        if (count is >= MinCount and <= MaxCount) return count;
        var name = Name(field);
        errors.Add(field, $"'{name}' must be a whole number from {MinCount} to {MaxCount}.",
            $"'{name}' moet een geheel getal van {MinCount} tot {MaxCount} zijn.");
        return null;
    }

    /// <summary>
    /// Checks an evaluation date: after <paramref name="today"/> (the plan's today, in its zone) and at most
    /// <see cref="EvaluationYearsAhead"/> years after it. Null when outside (an error was added).
    /// </summary>
    public static DateOnly? EvaluationDue(FieldErrors errors, DateOnly due, DateOnly today, string field = "evaluationDue")
    {
        var latest = LatestEvaluationDue(today);
        if (due <= today)
        {
            errors.Add(field, field == "evaluationDue" ? "The evaluation must be due after today." : "The next evaluation must be due after today.",
                field == "evaluationDue" ? "De evaluatie moet na vandaag gepland zijn." : "De volgende evaluatie moet na vandaag gepland zijn.");
            return null;
        }
        if (due > latest)
        {
            var last = latest.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            errors.Add(field, $"An evaluation may be planned at most {EvaluationYearsAhead} years ahead, so on {last} at the latest.",
                $"Een evaluatie mag hoogstens {EvaluationYearsAhead} jaar vooruit gepland worden, dus uiterlijk op {last}.");
            return null;
        }
        return due;
    }

    /// <summary>The last day an evaluation may be due when it is <paramref name="today"/> in the plan's zone.</summary>
    public static DateOnly LatestEvaluationDue(DateOnly today) => today.PlusYears(EvaluationYearsAhead);

    /// <summary>
    /// Reads an instant from a query or form (<c>asOf</c>, <c>from</c>, <c>to</c>): ISO 8601 with an offset
    /// (<see cref="ContractValues.TryParseInstant"/>). Null when absent or invalid.
    /// </summary>
    public static DateTimeOffset? Instant(FieldErrors errors, string? text, string field)
    {
        if (text is null) return null;
        if (ContractValues.TryParseInstant(text, out var instant)) return instant;
        errors.Add(field, InstantMessage(field).En, InstantMessage(field).Nl);
        return null;
    }

    /// <summary>Reads <c>asOf</c>: an instant with an offset, and not later than <paramref name="now"/> (the past is all a replay can show).</summary>
    public static DateTimeOffset? AsOf(FieldErrors errors, string? text, DateTimeOffset now, string field = "asOf")
    {
        if (Instant(errors, text, field) is not { } asOf) return null;
        if (asOf <= now) return asOf;
        errors.Add(field, $"'{field}' may not be later than now ({ContractValues.Instant(now)}).",
            $"'{field}' mag niet later zijn dan nu ({ContractValues.Instant(now)}).");
        return null;
    }

    /// <summary>The message for an instant in another form: the same in the JSON converter and for query strings.</summary>
    public static Text InstantMessage(string field)
    {
        var name = Name(field);
        return new Text($"'{name}' must be a date and time with an offset, such as 2027-01-04T15:00:00+01:00 or 2027-01-04T14:00:00Z.",
            $"'{name}' moet een datum en tijd met een offset zijn, zoals 2027-01-04T15:00:00+01:00 of 2027-01-04T14:00:00Z.");
    }

    /// <summary>
    /// Reads a list of member ids (<c>reporters</c>, <c>watchers</c>): at most <see cref="MaxMembersInList"/>, each a
    /// real id and named once. Null when absent or invalid. Whether they are members of the plan is the decision's to judge.
    /// </summary>
    public static IReadOnlyList<Guid>? Members(FieldErrors errors, IReadOnlyList<Guid>? ids, string field)
    {
        if (ids is null) return null;
        var name = Name(field);
        if (ids.Count > MaxMembersInList)
        {
            errors.Add(field, $"'{name}' may name at most {MaxMembersInList} members.", $"'{name}' mag hoogstens {MaxMembersInList} leden noemen.");
            return null;
        }
        if (ids.Contains(Guid.Empty) || ids.Distinct().Count() != ids.Count)
        {
            errors.Add(field, $"'{name}' must name each member once, by id.", $"'{name}' moet elk lid één keer noemen, met id.");
            return null;
        }
        return ids;
    }

    /// <summary>Reads a duration of the given bound; null when absent or invalid (the message gives the bound and an example).</summary>
    public static TimeSpan? Duration(FieldErrors errors, string field, string? text, DurationBound bound, string example)
    {
        if (text is null) return null;
        if (ContractValues.TryParseDuration(text, out var duration) && bound.Contains(duration)) return duration;
        var (min, max, name) = (ContractValues.Duration(bound.Min), ContractValues.Duration(bound.Max), Name(field));
        errors.Add(field, $"'{name}' must be an ISO 8601 duration from {min} to {max}, such as {example}.",
            $"'{name}' moet een ISO 8601-duur van {min} tot {max} zijn, zoals {example}.");
        return null;
    }

    // The practice around the plan (../shared/domain.md): the referral and the conference's sessions.
    /// <summary><c>referral.conferenceWithin</c>: whole days from the referral to the first conference session, P7D..P91D (one to thirteen weeks; the seeds say four to six).</summary>
    public const int MinConferenceWithinDays = 7, MaxConferenceWithinDays = 91;
    /// <summary><c>referral.conferenceWithin</c> when the referral names none: six weeks, the seeds' longest.</summary>
    public const int DefaultConferenceWithinDays = 42;
    /// <summary><c>referral.receivedOn</c>, <c>heldOn</c>: not after today in the plan's zone, and at most this many days before it.</summary>
    public const int DaysBack = 366;
    /// <summary>Professionals named in one <c>professionalsPresent</c> list.</summary>
    public const int MaxProfessionalsInList = 100;

    /// <summary>
    /// Reads <c>referral.conferenceWithin</c>: an ISO 8601 period of whole days or weeks (<c>P42D</c>, <c>P6W</c>), from
    /// <see cref="MinConferenceWithinDays"/> to <see cref="MaxConferenceWithinDays"/> days. Absent:
    /// <see cref="DefaultConferenceWithinDays"/>; invalid: null (an error was added).
    /// </summary>
    public static int? ConferenceWithinOf(FieldErrors errors, string? text, string field = "referral.conferenceWithin")
    {
        if (text is null) return DefaultConferenceWithinDays;
        var match = System.Text.RegularExpressions.Regex.Match(text.Trim(), "^P([0-9]{1,3})([DW])$");
        if (match.Success)
        {
            var days = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * (match.Groups[2].Value == "W" ? 7 : 1);
            if (days is >= MinConferenceWithinDays and <= MaxConferenceWithinDays) return days;
        }
        errors.Add(field, $"'{Name(field)}' must be a period of whole days or weeks from P{MinConferenceWithinDays}D to P{MaxConferenceWithinDays}D, such as P42D or P6W.",
            $"'{Name(field)}' moet een periode van hele dagen of weken zijn van P{MinConferenceWithinDays}D tot P{MaxConferenceWithinDays}D, zoals P42D of P6W.");
        return null;
    }

    /// <summary>
    /// Checks a day something already happened on (<c>referral.receivedOn</c>, <c>heldOn</c>): not after
    /// <paramref name="today"/> (the plan's today, in its zone), not before <paramref name="earliest"/> (null: none), and at
    /// most <see cref="DaysBack"/> days back. Null when outside (an error was added).
    /// </summary>
    public static DateOnly? PastDay(FieldErrors errors, DateOnly day, DateOnly today, string field, DateOnly? earliest = null, Text? earliestMessage = null)
    {
        var name = Name(field);
        if (day > today)
            errors.Add(field, $"'{name}' may not be after today ({today:yyyy-MM-dd}).", $"'{name}' mag niet na vandaag ({today:dd-MM-yyyy}) liggen.");
        else if (day < today.AddDays(-DaysBack))
            errors.Add(field, $"'{name}' may be at most {DaysBack} days ago.", $"'{name}' mag hoogstens {DaysBack} dagen geleden zijn.");
        else if (earliest is { } first && day < first)
            errors.Add(field, earliestMessage?.En ?? $"'{name}' may not be before {first:yyyy-MM-dd}.", earliestMessage?.Nl ?? $"'{name}' mag niet vóór {first:dd-MM-yyyy} liggen.");
        else return day;
        return null;
    }

    /// <summary>Reads a list of professionals' user ids (<c>professionalsPresent</c>): at most <see cref="MaxProfessionalsInList"/>, each a safe id of at most <see cref="IdLength"/> characters, named once.</summary>
    public static IReadOnlyList<string>? Professionals(FieldErrors errors, IReadOnlyList<string?>? ids, string field)
    {
        if (ids is null) return null;
        var name = Name(field);
        if (ids.Count > MaxProfessionalsInList
            || ids.Any(id => string.IsNullOrWhiteSpace(id) || id.Trim().Length > IdLength || FieldErrors.IsUnsafeIdentifier(id))
            || ids.Select(id => id!.Trim()).Distinct(StringComparer.Ordinal).Count() != ids.Count)
        {
            errors.Add(field, $"'{name}' must name at most {MaxProfessionalsInList} professionals, each once, by user id (at most {IdLength} characters).",
                $"'{name}' moet hoogstens {MaxProfessionalsInList} professionals noemen, elk één keer, met gebruikers-id (hoogstens {IdLength} tekens).");
            return null;
        }
        return ids.Select(id => id!.Trim()).ToList();
    }

    private static bool Required(FieldErrors errors, string field, string? text)
    {
        if (text is not null) return true;
        errors.Add(field, $"'{Name(field)}' is required.", $"'{Name(field)}' is verplicht.");
        return false;
    }

    private static string Name(string field) => field[(field.LastIndexOf('.') + 1)..];
}
