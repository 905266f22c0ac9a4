using SafetyPlan.Auth;
using SafetyPlan.Decisions;

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
