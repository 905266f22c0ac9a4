namespace SafetyPlan.CaseAudits;

/// <summary>
/// The practice questions of the collaborative case audit, by their contract key (../shared/domain.md, "The practice
/// around the plan": "were danger statements and safety goals clear and behavioural, was the network involved, were
/// bottom lines specific, was the family heard"). Each is scored 1 (not at all) to 5 (fully), with an optional note.
/// </summary>
public static class PracticeQuestions
{
    public const int MinScore = 1, MaxScore = 5;

    /// <summary>Key (as in <c>answers</c> of PUT /api/plans/{planId}/case-audits/{auditId}) and its question in both languages, in the order asked.</summary>
    public static readonly IReadOnlyList<(string Key, Text Question)> All =
    [
        ("danger-statements-and-goals-clear", new Text(
            "Were the danger statements and safety goals clear, and written as behaviour that can be seen?",
            "Waren de gevaarsverklaringen en veiligheidsdoelen duidelijk en geschreven als zichtbaar gedrag?")),
        ("network-involved", new Text(
            "Was the safety network involved in making and monitoring the plan?",
            "Was het veiligheidsnetwerk betrokken bij het maken en bewaken van het plan?")),
        ("bottom-lines-specific", new Text(
            "Were the bottom lines specific: clear when they are crossed and what happens then?",
            "Waren de bodemeisen specifiek: duidelijk wanneer ze overschreden zijn en wat er dan gebeurt?")),
        ("family-heard", new Text(
            "Was the family heard, and did their own words shape the plan?",
            "Werd het gezin gehoord, en hebben hun eigen woorden het plan gevormd?")),
    ];

    public static bool IsKnown(string key) => All.Any(q => q.Key == key);

    /// <summary>The question of a known key; throws <see cref="KeyNotFoundException"/> for another.</summary>
    public static Text Of(string key) => All.FirstOrDefault(q => q.Key == key) is { Key: not null } found ? found.Question
        : throw new KeyNotFoundException($"'{key}' is not a practice question.");
}
