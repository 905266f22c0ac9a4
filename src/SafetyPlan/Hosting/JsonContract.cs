using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafetyPlan.Hosting;

/// <summary>
/// The contract's JSON over HTTP: camelCase, kebab-case enums, ISO 8601 durations, "HH:mm" times, and instants that
/// always carry an offset. Only the HTTP API (and webhooks) use these options; Marten stores events and documents with
/// its own serializer (Hosting/ConfigureEventStore.cs), so what was stored reads back unchanged.
/// </summary>
public static class JsonContract
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.Converters.Add(new IsoDurationConverter());
        options.Converters.Add(new TimeConverter());
        options.Converters.Add(new InstantConverter());
    }

    /// <summary>
    /// An instant in a request (<c>occurrence</c>, the clock's <c>now</c>, any DateTimeOffset) must carry its offset:
    /// System.Text.Json would read <c>2027-01-04T15:00</c> in the server's own zone. Answers are written as before.
    /// </summary>
    private sealed class InstantConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && ContractValues.TryParseInstant(reader.GetString(), out var instant)
                ? instant
                : throw new ContractValueException(Bounds.InstantMessage);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value);
    }

    private sealed class IsoDurationConverter : JsonConverter<TimeSpan>
    {
        public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            ContractValues.TryParseDuration(reader.GetString(), out var duration) ? duration : throw new JsonException("Not an ISO 8601 duration.");

        public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
            writer.WriteStringValue(ContractValues.Duration(value));
    }

    private sealed class TimeConverter : JsonConverter<TimeOnly>
    {
        public override TimeOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            ContractValues.TryParseTime(reader.GetString(), out var time) ? time : throw new JsonException("Not a time (HH:mm).");

        public override void Write(Utf8JsonWriter writer, TimeOnly value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString("HH:mm", CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// A value in a request body that has the right JSON type but not the contract's form (an instant without offset).
/// System.Text.Json adds the field's path; Hosting/UnreadableRequests.cs answers it as a field error (400).
/// </summary>
public sealed class ContractValueException(Func<string, Text> message) : JsonException(message("value").En)
{
    /// <summary>The message for the field at which the value was found (its contract name, <c>occurrence</c>).</summary>
    public Text For(string field) => message(field);
}
