using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using SafetyPlan.Auth;
using SafetyPlan.Decisions;
using SafetyPlan.Web;

namespace SafetyPlan.Hosting;

/// <summary>
/// A body the framework could not read (400) answered with the field that failed, like every other validation:
/// <c>"errors": { "occurrence": ["'occurrence' must be a date and time with an offset, ..."] }</c>, in the caller's
/// language. A value of the wrong JSON type gets a generic message for its field; a body that is not JSON at all keeps
/// the generic answer of the exception handler (Hosting/SafetyPlanServer.cs).
/// </summary>
public sealed class UnreadableRequests : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is not BadHttpRequestException { InnerException: JsonException json } || Field(json.Path) is not { } field)
            return false;
        var message = json is ContractValueException contract
            ? contract.For(field)
            : new Text($"'{field}' does not have the type or form this field takes.", $"'{field}' heeft niet het type of de vorm die dit veld vraagt.");
        var rejection = new FieldErrors().Add(field, message.En, message.Nl).ToRejection()!;
        await rejection.ToProblem(http.Caller().Language).ExecuteAsync(http);
        return true;
    }

    /// <summary>The contract's field name from System.Text.Json's path: <c>$.schedule.once</c> is <c>schedule.once</c>; none for the body itself.</summary>
    private static string? Field(string? path) =>
        path is null || !path.StartsWith("$.", StringComparison.Ordinal) || path.Length > 200 ? null : path[2..];
}
