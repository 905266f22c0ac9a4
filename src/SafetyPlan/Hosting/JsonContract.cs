using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using SafetyPlan.Web;

namespace SafetyPlan.Hosting;

/// <summary>The contract's JSON: camelCase, kebab-case enums, ISO 8601 durations, "HH:mm" times.</summary>
public static class JsonContract
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.Converters.Add(new IsoDurationConverter());
        options.Converters.Add(new TimeConverter());
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
