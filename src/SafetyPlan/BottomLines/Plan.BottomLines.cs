using SafetyPlan.BottomLines;

namespace SafetyPlan.Plans;

// The bottom lines of a plan, the breaches they judge, and whether each is crossed.
public sealed partial class Plan
{
    public List<BottomLine> BottomLines { get; set; } = [];
    /// <summary>Every breach recorded, in the order recorded; stored as one log string (<see cref="BreachLogJson"/>).</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(BreachLogJson))]
    public List<Breach> Breaches { get; set; } = [];

    public BottomLine? FindBottomLine(Guid id) => BottomLines.FirstOrDefault(b => b.Id == id);
    [System.Text.Json.Serialization.JsonIgnore] // computed from BottomLines; storing it doubled them in the document
    public IEnumerable<BottomLine> ActiveBottomLines => BottomLines.Where(b => b.RemovedAt is null);

    /// <summary>Whether an occurrence of an agreement already has its breach (a not-kept report or its missed check-in).</summary>
    public bool HasBreachOn(Guid agreementId, DateTimeOffset occurrence) =>
        Breaches.Any(b => b.AgreementId == agreementId && b.Occurrence == occurrence);

    private void When(BottomLineSet e) => BottomLines.Add(new BottomLine
    {
        Id = e.BottomLineId, Text = e.Text, Rule = e.Rule, AcknowledgeWithin = e.AcknowledgeWithin, SetAt = e.At,
    });

    private void When(BottomLineRemoved e) => BottomLines.First(b => b.Id == e.BottomLineId).RemovedAt = e.At;

    private void When(BreachRecorded e) => Breaches.Add(Breach.Of(e));

    private void When(BottomLineCrossed e) => FindBottomLine(e.BottomLineId)!.CrossedAt = e.OccurredAt ?? e.At;

    private void CopyBottomLinesTo(Plan copy)
    {
        copy.BottomLines = BottomLines.Select(b => b.Copy()).ToList();
        copy.Breaches = [.. Breaches];
    }
}

/// <summary>A bottom line (<see cref="BottomLineSet"/>): its rule, and whether it is crossed now (its escalation open).</summary>
public sealed class BottomLine
{
    public Guid Id { get; set; }
    public string Text { get; set; } = "";
    public BottomLineRule Rule { get; set; } = new(RuleKind.AnyBreach);
    public TimeSpan AcknowledgeWithin { get; set; }
    public DateTimeOffset SetAt { get; set; }
    public DateTimeOffset? RemovedAt { get; set; }
    public DateTimeOffset? CrossedAt { get; set; }
    public Guid? OpenEscalationId { get; set; }
    public DateTimeOffset? LastResolvedAt { get; set; }

    public bool IsCrossed => OpenEscalationId is not null;

    internal BottomLine Copy() => (BottomLine)MemberwiseClone();
}
