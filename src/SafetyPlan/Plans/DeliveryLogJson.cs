using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SafetyPlan.Notifications;

namespace SafetyPlan.Plans;

/// <summary>
/// A plan's deliveries (<see cref="Plan.Deliveries"/>) in its document as one array: first a log string of one entry per
/// delivery, then the texts the entries name by their place (subjects, channels and states by name, references, user and
/// member ids, addresses, errors): <c>["0.1@2jtq5k.m2.3.4.0.2n7hdtk0.0.4c1i8.5._._._ ...", "CheckInReminder", ...]</c>.
/// <para>
/// An entry is thirteen fields joined by <c>.</c>, entries joined by a space, in the dictionary's order:
/// <c>subject.reference.recipient.channel.status.attempts.queued.next.sent.address.error.failure.key</c>. A number is base
/// 36 (<see cref="Base36"/>); a text is its place in the array after the log (0 is the first text); <c>_</c> is none.
/// <list type="bullet">
/// <item><c>reference</c>: a text, or for an occurrence's reference (<see cref="Notify.OccurrenceReference"/>) the
/// agreement id's place, <c>@</c> and the occurrence as ticks after <c>queued</c>;</item>
/// <item><c>recipient</c>: <c>u</c> and the user id's place, <c>m</c> and the member id's place, both joined by
/// <c>+</c>, or <c>_</c>;</item>
/// <item><c>subject</c>, <c>channel</c>, <c>status</c>: the enum value's name exactly as .NET writes it;</item>
/// <item><c>queued</c>: ticks (UTC) after the previous entry's (the first: after 0001-01-01); <c>next</c> and
/// <c>sent</c>: ticks after <c>queued</c>; each followed by <c>~</c> and its offset in minutes when it is not UTC;</item>
/// <item><c>key</c>: <c>_</c> when it is what <see cref="Notify.Key"/> makes of the fields before it (every key queued
/// since keys had that form), else the key's place.</item>
/// </list>
/// </para>
/// A plan with reminders on queues two deliveries for every occurrence (e-mail and push), which five years of five daily
/// agreements make 18,000: about 48 bytes each instead of ~700 as objects (README, Performance, "What a plan document
/// holds"). What is read back is exactly what was written, every moment with its offset, in the same order. Documents
/// with the deliveries as an object (by key) are still read; <c>null</c> reads as none. A damaged log, or an earlier
/// document with a delivery that is null or filed under another key than its own, fails as a <see cref="JsonException"/>.
/// </summary>
public sealed class DeliveryLogJson : JsonConverter<OrderedDictionary<string, Delivery>>
{
    private const int Fields = 13;
    private const int OccurrenceReferenceLength = 57; // Notify.OccurrenceReference: a guid (36), '/', yyyy-MM-ddTHH:mm:ssZ (20)

    // A document that says null has no deliveries (the plan's own default), rather than a null the first event would trip on.
    public override bool HandleNull => true;

    public override void Write(Utf8JsonWriter writer, OrderedDictionary<string, Delivery> deliveries, JsonSerializerOptions options)
    {
        var texts = new List<string>();
        var places = new Dictionary<string, int>(StringComparer.Ordinal);
        int Place(string text)
        {
            if (places.TryGetValue(text, out var place)) return place;
            texts.Add(text);
            return places[text] = texts.Count - 1;
        }
        void Text(StringBuilder log, string? text)
        {
            if (text is null) log.Append('_');
            else Base36.Append(log, Place(text));
        }

        var log = new StringBuilder(deliveries.Count * 48);
        var previous = 0L;
        foreach (var (key, d) in deliveries)
        {
            if (d is null || key != d.Key) throw new JsonException($"The delivery filed under '{key}' is null or has another key.");
            if (log.Length > 0) log.Append(' ');
            Text(log, d.Subject.ToString());
            log.Append('.');
            // Only a reference of an occurrence's length and shape is parsed: most are, and the rest skip the parse.
            if (d.Reference is { Length: OccurrenceReferenceLength } reference && reference[36] == '/'
                && Notify.TryReadOccurrenceReference(reference, out var agreementId, out var occurrence)
                && Notify.OccurrenceReference(agreementId, occurrence) == reference)
            {
                Text(log, agreementId.ToString("D"));
                Base36.Append(log.Append('@'), occurrence.UtcTicks - d.QueuedAt.UtcTicks);
            }
            else Text(log, d.Reference);
            log.Append('.');
            if (d.RecipientUserId is { } user) Text(log.Append('u'), user);
            if (d.RecipientMemberId is { } member) Text(log.Append(d.RecipientUserId is null ? "m" : "+m"), member.ToString("D"));
            if (d.RecipientUserId is null && d.RecipientMemberId is null) log.Append('_');
            log.Append('.');
            Text(log, d.Channel.ToString());
            log.Append('.');
            Text(log, d.Status.ToString());
            log.Append('.');
            Base36.Append(log, d.Attempts).Append('.');
            Moment(log, d.QueuedAt, previous);
            log.Append('.');
            Moment(log, d.NextAttemptAt, d.QueuedAt.UtcTicks);
            log.Append('.');
            if (d.SentAt is { } sent) Moment(log, sent, d.QueuedAt.UtcTicks); else log.Append('_');
            log.Append('.');
            Text(log, d.Address);
            log.Append('.');
            Text(log, d.LastError);
            log.Append('.');
            Text(log, d.Failure);
            log.Append('.');
            if (d.Key == DerivedKey(d)) log.Append('_'); else Text(log, d.Key);
            previous = d.QueuedAt.UtcTicks;
        }

        writer.WriteStartArray();
        writer.WriteStringValue(log.ToString());
        foreach (var text in texts) writer.WriteStringValue(text);
        writer.WriteEndArray();
    }

    public override OrderedDictionary<string, Delivery> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null) return new OrderedDictionary<string, Delivery>(StringComparer.Ordinal);
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            // The earlier form: each delivery as an object, by its key (this converter is the property's, not the type's).
            var earlier = JsonSerializer.Deserialize<Dictionary<string, Delivery>>(ref reader, options)!;
            foreach (var (key, d) in earlier)
                if (d is null || d.Key != key) throw new JsonException($"The delivery filed under '{key}' is null or has another key.");
            // jsonb keeps no key order (shorter keys first): in the order they were queued, as a replay lists them
            // (deliveries queued at the same moment keep the order read).
            return new OrderedDictionary<string, Delivery>(earlier.OrderBy(d => d.Value.QueuedAt), StringComparer.Ordinal);
        }
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("A plan's deliveries are a log array or an object by key.");
        var parts = JsonSerializer.Deserialize<List<string>>(ref reader, options);
        if (parts is null || parts.Count == 0 || parts.Any(p => p is null)) throw new JsonException("A delivery log needs its log string first, then its texts.");
        try
        {
            return Parse(parts[0], parts.Skip(1).ToList());
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            var log = parts[0];
            throw new JsonException($"A delivery log is malformed: '{(log.Length <= 80 ? log : log[..80] + "...")}'.", e);
        }
    }

    /// <summary>The deliveries a log string and its texts hold (the form above); <see cref="Read"/> turns any failure into a <see cref="JsonException"/>.</summary>
    private static OrderedDictionary<string, Delivery> Parse(string log, List<string> texts)
    {
        var deliveries = new OrderedDictionary<string, Delivery>(StringComparer.Ordinal);
        var previous = 0L;
        foreach (var entry in log.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = entry.Split('.');
            if (f.Length != Fields) throw new JsonException($"A delivery log entry has {f.Length} fields instead of {Fields}: '{entry}'.");
            string Text(string field) => texts[checked((int)Base36.Number(field, entry))];
            string? Optional(string field) => field == "_" ? null : Text(field);

            var queuedAt = Moment(f[6], previous, entry);
            var at = f[1].IndexOf('@');
            var recipients = f[2] == "_" ? [] : f[2].Split('+');
            if (recipients.Length > 2 || recipients.Any(r => r.Length == 0 || r[0] is not ('u' or 'm'))
                || recipients.Length == 2 && (recipients[0][0] != 'u' || recipients[1][0] != 'm'))
                throw new JsonException($"Unknown recipient '{f[2]}' in '{entry}'.");
            var d = new Delivery
            {
                Subject = Named<NotificationSubject>(Text(f[0]), entry),
                Reference = at < 0
                    ? Optional(f[1])! // null only where an earlier document had none
                    : Notify.OccurrenceReference(Guid.ParseExact(Text(f[1][..at]), "D"),
                        new DateTimeOffset(checked(queuedAt.UtcTicks + Base36.Number(f[1].AsSpan(at + 1), entry)), TimeSpan.Zero)),
                RecipientUserId = recipients.FirstOrDefault(r => r[0] == 'u') is { } user ? Text(user[1..]) : null,
                RecipientMemberId = recipients.FirstOrDefault(r => r[0] == 'm') is { } member ? Guid.ParseExact(Text(member[1..]), "D") : null,
                Channel = Named<NotificationChannel>(Text(f[3]), entry),
                Status = Named<DeliveryStatus>(Text(f[4]), entry),
                Attempts = checked((int)Base36.Number(f[5], entry)),
                QueuedAt = queuedAt,
                NextAttemptAt = Moment(f[7], queuedAt.UtcTicks, entry),
                SentAt = f[8] == "_" ? null : Moment(f[8], queuedAt.UtcTicks, entry),
                Address = Optional(f[9]),
                LastError = Optional(f[10]),
                Failure = Optional(f[11]),
            };
            d.Key = f[12] == "_" ? DerivedKey(d) : Text(f[12]);
            if (!deliveries.TryAdd(d.Key, d)) throw new JsonException($"Delivery '{d.Key}' is in the log twice.");
            previous = queuedAt.UtcTicks;
        }
        return deliveries;
    }

    /// <summary>The enum value <paramref name="name"/> names exactly as written (also an undefined value, written as its number); anything else is damage.</summary>
    private static T Named<T>(string name, string entry) where T : struct, Enum =>
        Enum.TryParse<T>(name, out var value) && value.ToString() == name ? value : throw new JsonException($"'{name}' is not a {typeof(T).Name} in '{entry}'.");

    /// <summary>The key <see cref="Notify.Key"/> makes of a delivery's subject, reference, recipient and channel.</summary>
    private static string DerivedKey(Delivery d) =>
        Notify.Key(d.Subject, d.Reference,
            d.RecipientUserId is { } user ? $"user/{user}" : d.RecipientMemberId is { } member ? $"member/{member}" : "organisation", d.Channel);

    private static void Moment(StringBuilder log, DateTimeOffset moment, long after)
    {
        Base36.Append(log, moment.UtcTicks - after);
        // An offset is whole minutes (DateTimeOffset holds no other).
        if (moment.Offset != TimeSpan.Zero) Base36.Append(log.Append('~'), (long)moment.Offset.TotalMinutes);
    }

    private static DateTimeOffset Moment(string field, long after, string entry)
    {
        var tilde = field.IndexOf('~');
        var ticks = checked(after + Base36.Number(tilde < 0 ? field : field.AsSpan(0, tilde), entry));
        var offset = tilde < 0 ? TimeSpan.Zero : TimeSpan.FromMinutes(Base36.Number(field.AsSpan(tilde + 1), entry));
        return new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(offset);
    }
}
