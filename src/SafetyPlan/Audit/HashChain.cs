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

    /// <summary>The link for one event: stream, version, stored type name and stored JSON, chained to the previous link.</summary>
    public static string Link(string previous, Guid streamId, long version, string typeName, string json)
    {
        var content = $"{previous}\n{streamId:N}\n{version}\n{typeName}\n{Canonical(json)}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
    }

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
