namespace SafetyPlan.Decisions;

/// <summary>A sentence for a person, in English and Dutch; the caller's language picks one.</summary>
public readonly record struct Text(string En, string Nl)
{
    public string In(string? language) => language == "nl" ? Nl : En;
}

public enum RejectionKind
{
    Invalid = 400,
    Forbidden = 403,
    NotFound = 404,
    Conflict = 409,
}

/// <summary>Why a command was refused. Answered as problem+json with the matching status; nothing is appended.</summary>
public sealed record Rejection(RejectionKind Kind, Text Detail, IReadOnlyDictionary<string, Text[]>? Errors = null)
{
    public static Rejection NotFound(string en, string nl) => new(RejectionKind.NotFound, new Text(en, nl));
    public static Rejection Conflict(string en, string nl) => new(RejectionKind.Conflict, new Text(en, nl));
    public static Rejection Forbidden(string en, string nl) => new(RejectionKind.Forbidden, new Text(en, nl));

    public static Rejection Invalid(string field, string en, string nl) =>
        new FieldErrors().Add(field, en, nl).ToRejection()!;

    public static Rejection PlanNotFound(Guid planId) =>
        NotFound($"There is no plan with id {planId}.", $"Er is geen plan met id {planId}.");
}

/// <summary>Collects field-level validation messages (field name in the contract's camelCase).</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<Text>> _errors = new();

    public bool Any => _errors.Count > 0;

    public FieldErrors Add(string field, string en, string nl)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(new Text(en, nl));
        return this;
    }

    public FieldErrors Required(string field, string? value, int maxLength = 2000) =>
        Missing(field, value) ? this : Optional(field, value, maxLength);

    public FieldErrors Optional(string field, string? value, int maxLength = 2000) =>
        Bounded(field, value, maxLength, value is not null && HasControlCharacters(value), "contains control characters", "bevat stuurtekens");

    /// <summary>
    /// An identifier (<c>clientId</c>, a user, team, organisation or time zone id): 1 to <paramref name="maxLength"/>
    /// characters, none of them a control character, a Unicode format character (bidi controls, zero-width characters)
    /// or a line or paragraph separator, so that no id reads differently in a log, a page or an export (ASVS 5.1.3/5.1.4).
    /// </summary>
    public FieldErrors RequiredId(string field, string? value, int maxLength = 100) =>
        Missing(field, value) ? this : OptionalId(field, value, maxLength);

    /// <summary>As <see cref="RequiredId"/>, for an identifier that may be absent (null).</summary>
    public FieldErrors OptionalId(string field, string? value, int maxLength = 100) =>
        Bounded(field, value, maxLength, value is not null && IsUnsafeIdentifier(value),
            "contains control or invisible formatting characters", "bevat stuurtekens of onzichtbare opmaaktekens");

    private bool Missing(string field, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value)) return false;
        Add(field, $"'{field}' is required.", $"'{field}' is verplicht.");
        return true;
    }

    private FieldErrors Bounded(string field, string? value, int maxLength, bool unsafeCharacters, string en, string nl)
    {
        if (value is null) return this;
        if (value.Length > maxLength)
            Add(field, $"'{field}' may be at most {maxLength} characters.", $"'{field}' mag hoogstens {maxLength} tekens zijn.");
        if (unsafeCharacters) Add(field, $"'{field}' {en}.", $"'{field}' {nl}.");
        return this;
    }

    /// <summary>
    /// Text we store may hold line breaks (CR, LF), but no other control characters (PostgreSQL refuses NUL outright) and
    /// no bidi embedding, override or isolate controls (U+202A..U+202E, U+2066..U+2069), which make text read otherwise
    /// than it is stored ("Trojan Source"). Marks a right-to-left script needs (U+200E, U+200F) and joiners stay.
    /// </summary>
    public static bool HasControlCharacters(string value) =>
        value.Any(c => (char.IsControl(c) && c is not ('\n' or '\r')) || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'));

    /// <summary>True when an identifier holds a control character, a format character (Cf) or a line/paragraph separator.</summary>
    public static bool IsUnsafeIdentifier(string value) => value.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c)
        is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);

    public Rejection? ToRejection() => Any
        ? new Rejection(RejectionKind.Invalid,
            new Text("The request has invalid fields; see 'errors'.", "Het verzoek heeft ongeldige velden; zie 'errors'."),
            _errors.ToDictionary(e => e.Key, e => e.Value.ToArray()))
        : null;
}
