using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace SafetyPlan.Web;

/// <summary>How a decision is answered over HTTP: problem+json for a rejection, 201 for something new, 200 otherwise.</summary>
public static class DecisionResults
{
    public static IResult ToHttp<T>(this Decision<T> decision, Caller caller, Func<T, string>? createdAt = null)
    {
        if (decision.Rejection is { } rejection) return rejection.ToProblem(caller.Language);
        if (createdAt is not null && !decision.Repeated) return Results.Created(createdAt(decision.Result!), decision.Result);
        return Results.Ok(decision.Result);
    }

    /// <summary>201 with <paramref name="location"/> and the result; 200 with the first result for a repeat; else the rejection.</summary>
    public static CreatedAnswer<T> Created<T>(this Decision<T> decision, Caller caller, Func<T, string> location) => new(decision.ToHttp(caller, location));

    /// <summary>200 with the result, or the rejection.</summary>
    public static OkAnswer<T> Ok<T>(this Decision<T> decision, Caller caller) => new(decision.ToHttp(caller));

    /// <summary>For removals and withdrawals: 204 when accepted (also when repeated), or the rejection.</summary>
    public static NoContentAnswer NoContent<T>(this Decision<T> decision, Caller caller) =>
        new(decision.Accepted ? Results.NoContent() : decision.ToHttp(caller));

    public static IResult ToProblem(this Rejection rejection, string language)
    {
        var detail = rejection.Detail.In(language);
        if (rejection.Errors is { } errors)
        {
            return Results.ValidationProblem(
                errors.ToDictionary(e => e.Key, e => e.Value.Select(t => t.In(language)).ToArray()),
                detail: detail, title: Titles[rejection.Kind].In(language));
        }
        return Results.Problem(detail: detail, statusCode: (int)rejection.Kind, title: Titles[rejection.Kind].In(language));
    }

    private static readonly Dictionary<RejectionKind, Text> Titles = new()
    {
        [RejectionKind.Invalid] = new("Invalid request", "Ongeldig verzoek"),
        [RejectionKind.Forbidden] = new("Not allowed", "Niet toegestaan"),
        [RejectionKind.NotFound] = new("Not found", "Niet gevonden"),
        [RejectionKind.Conflict] = new("Not possible in the plan's current state", "Niet mogelijk in de huidige staat van het plan"),
    };
}

/// <summary>
/// The answer of a route that sends a plan command: its success, or a rejection of every <see cref="RejectionKind"/>
/// (400 with the fields in 'errors', 403, 404, 409; problem+json). The subclasses declare these to OpenAPI from their
/// type, so a route that returns one lists every answer it can give without hand-written <c>Produces</c>.
/// </summary>
public abstract class DecisionAnswer(IResult result) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => result.ExecuteAsync(httpContext);

    protected static void Declare(EndpointBuilder builder, int status, Type? type)
    {
        // As Produces(status) declares a bodiless answer: typeof(void); a null type is not listed at all.
        builder.Metadata.Add(new ProducesResponseTypeMetadata(status, type ?? typeof(void), type is null ? [] : ["application/json"]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails), ["application/problem+json"]));
        foreach (var kind in new[] { RejectionKind.Forbidden, RejectionKind.NotFound, RejectionKind.Conflict })
            builder.Metadata.Add(new ProducesResponseTypeMetadata((int)kind, typeof(ProblemDetails), ["application/problem+json"]));
    }
}

/// <summary>201 with the new thing's location and <typeparamref name="T"/>, or a rejection (see <see cref="DecisionAnswer"/>).</summary>
public sealed class CreatedAnswer<T>(IResult result) : DecisionAnswer(result), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status201Created, typeof(T));
}

/// <summary>200 with <typeparamref name="T"/>, or a rejection (see <see cref="DecisionAnswer"/>).</summary>
public sealed class OkAnswer<T>(IResult result) : DecisionAnswer(result), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status200OK, typeof(T));
}

/// <summary>204 without a body, or a rejection (see <see cref="DecisionAnswer"/>).</summary>
public sealed class NoContentAnswer(IResult result) : DecisionAnswer(result), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status204NoContent, null);
}
