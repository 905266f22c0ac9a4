using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafetyPlan.Plans;

/// <summary>
/// A breach as the plan keeps it for the rules (<see cref="BottomLines.BottomLineRule"/>) and the status: what
/// <see cref="BreachRecorded"/> says that they judge, its moments in UTC. The event itself, with its ids, stays in the
/// stream. Every plan keeps every breach (the rules look back over any window, and at most one breach per occurrence),
/// so the plan document stores them as one log (<see cref="BreachLogJson"/>): five years of daily breaches would
/// otherwise be most of it.
/// </summary>
/// <param name="Kind">not kept, concern or missed</param>
/// <param name="AgreementId">the agreement of a not-kept or missed check-in; null for a concern that names none</param>
/// <param name="Severity">a concern's severity; null otherwise</param>
/// <param name="At">when it was recorded (UTC)</param>
/// <param name="Date">when it happened, which the rules judge (<see cref="BreachRecorded.Date"/>; UTC)</param>
/// <param name="Occurrence">the occurrence a not-kept or missed check-in is about (UTC); null for a concern and in older events</param>
public sealed record Breach(BreachKind Kind, Guid? AgreementId, Severity? Severity, DateTimeOffset At, DateTimeOffset Date, DateTimeOffset? Occurrence)
{
    /// <summary>The breach an event records, its moments in UTC (the same instants: offsets are not judged).</summary>
    public static Breach Of(BreachRecorded e) =>
        new(e.Kind, e.AgreementId, e.Severity, e.At.ToUniversalTime(), e.Date.ToUniversalTime(), e.Occurrence?.ToUniversalTime());
}

/// <summary>
/// A plan's breaches in its document as one string: <c>"&lt;agreement ids&gt;|&lt;breach&gt; &lt;breach&gt; ..."</c>, the
/// agreement ids (32 hex digits each, comma-separated) named once, then per breach
/// <c>&lt;kind&gt;&lt;agreement&gt;.&lt;at&gt;.&lt;date&gt;.&lt;occurrence&gt;[.&lt;severity&gt;]</c>: the kind's letter
/// (<c>n</c> not kept, <c>c</c> concern, <c>m</c> missed), the agreement's place in the list (nothing for none),
/// <c>at</c> as ticks after the previous breach's <c>at</c> (the first: after 0001-01-01), <c>date</c> as ticks after
/// <c>at</c> and the occurrence as ticks after <c>date</c> (<c>_</c> for none), all in base 36 with a sign where negative,
/// and a concern's severity as <c>l</c>, <c>m</c> or <c>h</c>. About 25 bytes a breach instead of ~320 as the event's
/// JSON. Reads back exactly what was written; documents that hold the events (an array) are still read.
/// </summary>
public sealed class BreachLogJson : JsonConverter<List<Breach>>
{
    public override void Write(Utf8JsonWriter writer, List<Breach> breaches, JsonSerializerOptions options)
    {
        var agreements = breaches.Where(b => b.AgreementId is not null).Select(b => b.AgreementId!.Value).Distinct().ToList();
        var slots = agreements.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var log = new StringBuilder(agreements.Count * 33 + breaches.Count * 28);
        log.AppendJoin(',', agreements.Select(a => a.ToString("N"))).Append('|');
        var previous = 0L;
        for (var i = 0; i < breaches.Count; i++)
        {
            var b = breaches[i];
            if (i > 0) log.Append(' ');
            log.Append(b.Kind switch
            {
                BreachKind.NotKept => 'n',
                BreachKind.Concern => 'c',
                BreachKind.Missed => 'm',
                _ => throw new JsonException($"A breach of kind {b.Kind} has no letter in the breach log: give it one."),
            });
            if (b.AgreementId is { } agreement) log.Append(slots[agreement].ToString(CultureInfo.InvariantCulture));
            log.Append('.');
            Base36.Append(log, b.At.UtcTicks - previous);
            log.Append('.');
            Base36.Append(log, b.Date.UtcTicks - b.At.UtcTicks);
            log.Append('.');
            if (b.Occurrence is { } occurrence) Base36.Append(log, occurrence.UtcTicks - b.Date.UtcTicks); else log.Append('_');
            if (b.Severity is { } severity)
                log.Append('.').Append(severity switch
                {
                    Severity.Low => 'l',
                    Severity.Medium => 'm',
                    Severity.High => 'h',
                    _ => throw new JsonException($"Severity {severity} has no letter in the breach log: give it one."),
                });
            previous = b.At.UtcTicks;
        }
        writer.WriteStringValue(log.ToString());
    }

    public override List<Breach> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            var events = JsonSerializer.Deserialize<List<BreachRecorded>>(ref reader, options)!;
            return events.Select(Breach.Of).ToList();
        }
        if (reader.TokenType != JsonTokenType.String) throw new JsonException("A plan's breaches are a log string or an array.");
        var log = reader.GetString()!;
        try
        {
            return Parse(log);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            throw new JsonException($"A breach log is malformed: '{(log.Length <= 80 ? log : log[..80] + "...")}'.", e);
        }
    }

    /// <summary>The breaches a log string (the form above) holds; <see cref="Read"/> turns any failure into a <see cref="JsonException"/>.</summary>
    private static List<Breach> Parse(string log)
    {
        var bar = log.IndexOf('|');
        if (bar < 0) throw new JsonException("A breach log needs '|' after its agreements.");
        var agreements = log[..bar].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(a => Guid.ParseExact(a, "N")).ToList();
        var breaches = new List<Breach>();
        var previous = 0L;
        foreach (var entry in log[(bar + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split('.');
            if (parts.Length is not (4 or 5) || parts[0].Length == 0) throw new JsonException($"A breach log entry is malformed: '{entry}'.");
            var kind = parts[0][0] switch
            {
                'n' => BreachKind.NotKept,
                'c' => BreachKind.Concern,
                'm' => BreachKind.Missed,
                var other => throw new JsonException($"Unknown breach kind '{other}' in '{entry}'."),
            };
            Guid? agreement = parts[0].Length > 1 ? agreements[int.Parse(parts[0].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture)] : null;
            var at = previous + Base36.Number(parts[1], entry);
            var date = at + Base36.Number(parts[2], entry);
            long? occurrence = parts[3] == "_" ? null : date + Base36.Number(parts[3], entry);
            Severity? severity = parts.Length == 5
                ? parts[4] switch
                {
                    "l" => Severity.Low,
                    "m" => Severity.Medium,
                    "h" => Severity.High,
                    _ => throw new JsonException($"Unknown severity in '{entry}'."),
                }
                : null;
            breaches.Add(new Breach(kind, agreement, severity, Utc(at), Utc(date), occurrence is { } o ? Utc(o) : null));
            previous = at;
        }
        return breaches;
    }

    private static DateTimeOffset Utc(long ticks) => new(ticks, TimeSpan.Zero);
}
