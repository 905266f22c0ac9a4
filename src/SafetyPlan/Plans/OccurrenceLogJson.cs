using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SafetyPlan.Agreements;

namespace SafetyPlan.Plans;

/// <summary>
/// An agreement's occurrence records in the plan document as one string, a log of steps and states:
/// <c>"2022-01-04T17:30:00+01:00 1440*83 @+02:00 1380 1440*216;kkpkkkkmk..."</c>. Before the <c>;</c>: the first
/// occurrence, then the step from each occurrence to the next in whole minutes (<c>1440*83</c>: 83 steps of a day; a
/// step that is not whole minutes is <c>t</c> and its ticks), with <c>@</c> and an offset where the offset of the
/// occurrences changes (summer time). After it: one letter per occurrence, <c>k</c> kept, <c>p</c> partly,
/// <c>n</c> not kept, <c>m</c> missed, <c>o</c> open.
/// <para>
/// The occurrences of a schedule are evenly spaced, so five years of a daily agreement take ~1.9 KB instead of ~60 KB
/// as one string per occurrence (<see cref="OccurrenceRecordJson"/>); the plan document is rewritten on every report
/// (README, Performance, row 11). What is read back is exactly what was written: every moment with its offset, in the
/// same order. Documents with records as an array (strings or the older objects) are still read.
/// </para>
/// </summary>
public sealed class OccurrenceLogJson : JsonConverter<List<OccurrenceRecord>>
{
    private const string WholeSeconds = "yyyy-MM-dd'T'HH:mm:sszzz";

    public override void Write(Utf8JsonWriter writer, List<OccurrenceRecord> records, JsonSerializerOptions options)
    {
        if (records.Count == 0)
        {
            writer.WriteStringValue("");
            return;
        }
        var log = new StringBuilder(records.Count + 64);
        var first = records[0].Occurrence;
        log.Append(first.Ticks % TimeSpan.TicksPerSecond == 0
            ? first.ToString(WholeSeconds, CultureInfo.InvariantCulture)
            : first.ToString("O", CultureInfo.InvariantCulture));
        var offset = first.Offset;
        string? step = null;
        var repeats = 0;
        for (var i = 1; i < records.Count; i++)
        {
            var at = records[i].Occurrence;
            var ticks = at.UtcTicks - records[i - 1].Occurrence.UtcTicks;
            var next = ticks % TimeSpan.TicksPerMinute == 0
                ? (ticks / TimeSpan.TicksPerMinute).ToString(CultureInfo.InvariantCulture)
                : "t" + ticks.ToString(CultureInfo.InvariantCulture);
            if (at.Offset != offset)
            {
                Flush();
                offset = at.Offset;
                log.Append(" @").Append(Offset(offset));
            }
            if (next == step) repeats++;
            else
            {
                Flush();
                (step, repeats) = (next, 1);
            }
        }
        Flush();
        log.Append(';');
        foreach (var record in records) log.Append(Letter(record));
        // Raw: the text holds only digits, letters, '-', ':', '+', '.', '@', '*', ';' and spaces, and escaping '+' as \u002B would cost 5 bytes each.
        writer.WriteRawValue($"\"{log}\"", skipInputValidation: true);

        void Flush()
        {
            if (step is null) return;
            log.Append(' ').Append(step);
            if (repeats > 1) log.Append('*').Append(repeats.ToString(CultureInfo.InvariantCulture));
            step = null;
            repeats = 0;
        }
    }

    public override List<OccurrenceRecord> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            var records = new List<OccurrenceRecord>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                records.Add(JsonSerializer.Deserialize<OccurrenceRecord>(ref reader, options)!);
            return records;
        }
        if (reader.TokenType != JsonTokenType.String) throw new JsonException("An agreement's occurrences are a log string or an array.");
        var log = reader.GetString()!;
        try
        {
            return Parse(log);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            throw new JsonException($"An occurrence log is malformed: '{Shorten(log)}'.", e);
        }
    }

    /// <summary>The records a log string (the form above) holds; <see cref="Read"/> turns any failure into a <see cref="JsonException"/>.</summary>
    private static List<OccurrenceRecord> Parse(string log)
    {
        if (log.Length == 0) return [];
        var semicolon = log.LastIndexOf(';');
        if (semicolon < 0) throw new JsonException($"An occurrence log needs ';' before its states: '{Shorten(log)}'.");
        var states = log.AsSpan(semicolon + 1);
        var records = new List<OccurrenceRecord>(states.Length);
        var tokens = log[..semicolon].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0) throw new JsonException($"An occurrence log starts with its first moment: '{Shorten(log)}'.");
        var at = DateTimeOffset.Parse(tokens[0], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        records.Add(new OccurrenceRecord { Occurrence = at });
        var offset = at.Offset;
        foreach (var token in tokens.AsSpan(1))
        {
            if (token[0] == '@')
            {
                offset = ParseOffset(token.AsSpan(1), log);
                continue;
            }
            var star = token.IndexOf('*');
            var stepText = star < 0 ? token.AsSpan() : token.AsSpan(0, star);
            var repeats = star < 0 ? 1 : int.Parse(token.AsSpan(star + 1), NumberStyles.None, CultureInfo.InvariantCulture);
            var ticks = stepText[0] == 't'
                ? long.Parse(stepText[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)
                : long.Parse(stepText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) * TimeSpan.TicksPerMinute;
            for (var r = 0; r < repeats; r++)
            {
                at = new DateTimeOffset(at.UtcTicks + ticks, TimeSpan.Zero).ToOffset(offset);
                records.Add(new OccurrenceRecord { Occurrence = at });
            }
        }
        if (records.Count != states.Length)
            throw new JsonException($"An occurrence log holds {records.Count} moments and {states.Length} states: '{Shorten(log)}'.");
        for (var i = 0; i < records.Count; i++)
        {
            switch (states[i])
            {
                case 'k': records[i].Outcome = CheckInOutcome.Kept; break;
                case 'p': records[i].Outcome = CheckInOutcome.Partly; break;
                case 'n': records[i].Outcome = CheckInOutcome.NotKept; break;
                case 'm': records[i].Missed = true; break;
                case 'o': break;
                default: throw new JsonException($"Unknown occurrence state '{states[i]}' in '{Shorten(log)}'.");
            }
        }
        return records;
    }

    private static char Letter(OccurrenceRecord record) => record switch
    {
        { Outcome: CheckInOutcome.Kept } => 'k',
        { Outcome: CheckInOutcome.Partly } => 'p',
        { Outcome: CheckInOutcome.NotKept } => 'n',
        { Outcome: { } other } => throw new JsonException($"Outcome {other} has no letter in the occurrence log: give it one."),
        { Missed: true } => 'm',
        _ => 'o',
    };

    private static string Offset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    private static TimeSpan ParseOffset(ReadOnlySpan<char> text, string log)
    {
        if (text.Length != 6 || (text[0] != '+' && text[0] != '-'))
            throw new JsonException($"An offset in an occurrence log is +hh:mm or -hh:mm: '{Shorten(log)}'.");
        var offset = TimeSpan.ParseExact(text[1..], @"hh\:mm", CultureInfo.InvariantCulture);
        return text[0] == '-' ? -offset : offset;
    }

    private static string Shorten(string log) => log.Length <= 80 ? log : log[..80] + "...";
}
