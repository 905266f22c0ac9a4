using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SafetyPlan.Audit;

/// <summary>
/// Tamper evidence for a plan's stream: every event carries (header <c>hash</c>) the SHA-256 of its canonical content
/// and the previous event's hash. Changing, removing or reordering any stored event breaks every hash after it.
/// See docs/security.md for what this does and does not prove.
/// </summary>
public static class HashChain
{
    public const string Header = "hash";
    /// <summary>After masking (Privacy/): the same chain over the masked content; see docs/security.md.</summary>
    public const string MaskedHeader = "hash.masked";
    public static readonly string Genesis = new('0', 64);

    /// <summary>Header naming the rule an event's <c>hash</c> was made by; absent: rule 1 (content only, events before 2026-11-30).</summary>
    public const string RuleHeader = "hash.rule";
    /// <summary>Header with the instant SafetyPlan's clock gave the append (ISO 8601, UTC), covered by rule 2.</summary>
    public const string AtHeader = "at";
    /// <summary>Header with the appending caller's roles (comma-separated), covered by rule 2.</summary>
    public const string RolesHeader = "roles";
    public const string Rule2 = "2";

    /// <summary>Rule 1, the link for one event: stream, version, stored type name and stored JSON, chained to the previous link.</summary>
    public static string Link(string previous, Guid streamId, long version, string typeName, string json)
    {
        var content = $"{previous}\n{streamId:N}\n{version}\n{typeName}\n{Canonical(json)}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
    }

    /// <summary>
    /// Rule 2: rule 1's content preceded by who appended it: the organisation (the row's <c>tenant_id</c>), the user (the
    /// row's <c>user_name</c>), the roles and the instant (headers <c>roles</c> and <c>at</c>); changing any of them breaks the chain.
    /// </summary>
    public static string Link(string previous, Guid streamId, long version, string typeName, string json, Appender who)
    {
        var content = $"rule 2\n{previous}\n{streamId:N}\n{version}\n{typeName}\n{who.Organisation}\n{who.UserId}\n{who.Roles}\n{who.At}\n{Canonical(json)}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
    }

    /// <summary>Who appended an event, as rule 2 covers it: organisation (stored tenant id), user id, roles, and the clock's instant as written in the header.</summary>
    public sealed record Appender(string Organisation, string UserId, string Roles, string At);

    /// <summary>
    /// The same text for the same JSON value however it was written: object keys sorted, no white space. PostgreSQL's
    /// jsonb re-orders keys, so the JSON written at append and the JSON read back differ in form but not in value.
    /// </summary>
    public static string Canonical(string json)
    {
        var node = JsonNode.Parse(json);
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            Write(node, writer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(JsonNode? node, Utf8JsonWriter writer)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(value, writer);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array) Write(item, writer);
                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
