using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace SafetyPlan.Hosting;

/// <summary>
/// A body the framework could not read (400) answered with the field that failed, like every other validation:
/// <c>"errors": { "occurrence": ["'occurrence' must be a date and time with an offset, ..."] }</c>, in the caller's
/// language. A value of the wrong JSON type, or a query value that does not fit its parameter (<c>take=2147483648</c>),
/// gets a generic message for its field; a body that is not JSON at all a generic 400 without fields.
/// </summary>
public sealed partial class UnreadableRequests : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is not BadHttpRequestException bad) return false;
        var (field, message) = bad.InnerException switch
        {
            ContractValueException contract when Field(contract.Path) is { } name => (name, contract.For(name)),
            JsonException json when Field(json.Path) is { } name => (name, WrongForm(name)),
            // A query or route value that does not fit its type: "Failed to bind parameter "int? take" from "2147483648"."
            null when BoundParameter().Match(bad.Message) is { Success: true } match => (match.Groups["name"].Value, WrongForm(match.Groups["name"].Value)),
            _ => (null, default),
        };
        if (field is null && bad.StatusCode != StatusCodes.Status400BadRequest) return false; // 413 and the like: the framework's answer
        var rejection = field is null ? Unreadable : new FieldErrors().Add(field, message.En, message.Nl).ToRejection()!;
        await rejection.ToProblem(http.Caller().Language).ExecuteAsync(http);
        return true; // handled here, so not logged as a server error (a client's mistake is not one)
    }

    private static readonly Rejection Unreadable = new(RejectionKind.Invalid, new Text(
        "The request could not be read: check that the body is valid JSON with the fields this endpoint expects.",
        "Het verzoek kon niet worden gelezen: controleer of de body geldige JSON is met de velden die dit endpoint verwacht."));

    private static Text WrongForm(string field) =>
        new($"'{field}' does not have the type or form this field takes.", $"'{field}' heeft niet het type of de vorm die dit veld vraagt.");

    [System.Text.RegularExpressions.GeneratedRegex("^Failed to bind parameter \"[^\"]* (?<name>[A-Za-z][A-Za-z0-9]{0,40})\" from \"")]
    private static partial System.Text.RegularExpressions.Regex BoundParameter();

    /// <summary>The contract's field name from System.Text.Json's path: <c>$.schedule.once</c> is <c>schedule.once</c>; none for the body itself.</summary>
    private static string? Field(string? path) =>
        path is null || !path.StartsWith("$.", StringComparison.Ordinal) || path.Length > 200 ? null : path[2..];
}
