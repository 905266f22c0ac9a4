using System.Text.Json;
using System.Text.Json.Serialization;
using SafetyPlan.Agreements;

namespace SafetyPlan.Plans;

/// <summary>
/// An occurrence record in the plan document as one short string, "2027-01-04T15:00:00+01:00 kept", instead of an object
/// (about a quarter of the bytes). A daily agreement adds one record a day and the document is rewritten on every append,
/// so this is most of a long plan's document (README, Performance). Records stored as objects by earlier versions are
/// still read. Only the document is affected: events never contain an occurrence record.
/// </summary>
public sealed class OccurrenceRecordJson : JsonConverter<OccurrenceRecord>
{
    private const string WholeSeconds = "yyyy-MM-dd'T'HH:mm:sszzz";

    public override void Write(Utf8JsonWriter writer, OccurrenceRecord value, JsonSerializerOptions options)
    {
        var at = value.Occurrence.Ticks % TimeSpan.TicksPerSecond == 0
            ? value.Occurrence.ToString(WholeSeconds, CultureInfo.InvariantCulture)
            : value.Occurrence.ToString("O", CultureInfo.InvariantCulture);
        // Raw: the text holds only digits, letters, '-', ':', '+', '.' and a space, and escaping '+' as \u002B would cost 5 bytes each.
        writer.WriteRawValue($"\"{at} {State(value)}\"", skipInputValidation: true);
    }

    public override OccurrenceRecord Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var text = reader.GetString()!;
            var space = text.IndexOf(' ');
            if (space < 0) throw new JsonException($"An occurrence record needs a moment and a state: '{text}'.");
            var record = new OccurrenceRecord
            {
                Occurrence = DateTimeOffset.Parse(text.AsSpan(0, space), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            };
            switch (text.AsSpan(space + 1))
            {
                case "kept": record.Outcome = CheckInOutcome.Kept; break;
                case "partly": record.Outcome = CheckInOutcome.Partly; break;
                case "not-kept": record.Outcome = CheckInOutcome.NotKept; break;
                case "missed": record.Missed = true; break;
                case "open": break;
                default: throw new JsonException($"Unknown occurrence state in '{text}'.");
            }
            return record;
        }
        return ReadObject(ref reader, options);
    }

    private static string State(OccurrenceRecord record) => record switch
    {
        { Outcome: CheckInOutcome.Kept } => "kept",
        { Outcome: CheckInOutcome.Partly } => "partly",
        { Outcome: CheckInOutcome.NotKept } => "not-kept",
        { Missed: true } => "missed",
        _ => "open",
    };

    /// <summary>The object form of documents stored before the compact form: { occurrence, outcome, checkInId, missed }.</summary>
    private static OccurrenceRecord ReadObject(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("An occurrence record is a string or an object.");
        var record = new OccurrenceRecord();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            if (string.Equals(name, "occurrence", StringComparison.OrdinalIgnoreCase))
                record.Occurrence = reader.GetDateTimeOffset();
            else if (string.Equals(name, "outcome", StringComparison.OrdinalIgnoreCase))
                record.Outcome = JsonSerializer.Deserialize<CheckInOutcome?>(ref reader, options);
            else if (string.Equals(name, "missed", StringComparison.OrdinalIgnoreCase))
                record.Missed = reader.GetBoolean();
            else
                reader.Skip(); // checkInId: kept by earlier versions, never read
        }
        return record;
    }
}
