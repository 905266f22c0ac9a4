using System.Net.Mail;

namespace SafetyPlan.People;

/// <summary>A professional, auditor or admin: where notifications go, and in which language.</summary>
public sealed class UserAccount
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Email { get; set; } = "";
    public string Language { get; set; } = "nl";
    public List<string> Roles { get; set; } = [];
    /// <summary>The organisation the account belongs to (it is stored in that organisation's tenant).</summary>
    public string Organisation { get; set; } = Caller.DefaultOrganisation;
    /// <summary>The professional's team: they may act on the plans drafted for this team (docs/security.md).</summary>
    public string? Team { get; set; }
}

public sealed record PutUserRequest(
    [property: MaxLength(Bounds.NameLength)] string? Name, [property: MaxLength(Bounds.EmailLength)] string? Email, string? Language, string[]? Roles,
    [property: MaxLength(Bounds.IdLength)] string? Organisation = null, [property: MaxLength(Bounds.IdLength)] string? Team = null);

public static class UserEndpoints
{
    private static readonly string[] AllowedRoles = [Caller.Professional, Caller.Auditor, Caller.Admin, Caller.TeamLead];

    public static Rejection? Validate(string userId, PutUserRequest request)
    {
        var errors = new FieldErrors().Required("name", request.Name, Bounds.NameLength).Required("email", request.Email, Bounds.EmailLength)
            .OptionalId("organisation", request.Organisation, Bounds.IdLength).OptionalId("team", request.Team, Bounds.IdLength);
        if (string.IsNullOrWhiteSpace(userId) || userId.Length > 100 || FieldErrors.IsUnsafeIdentifier(userId))
            errors.Add("userId", "The user id must be 1 to 100 characters, without control characters.", "De gebruikers-id moet 1 tot 100 tekens zijn, zonder stuurtekens.");
        if (!string.IsNullOrWhiteSpace(request.Email) && !MailAddress.TryCreate(request.Email.Trim(), out _))
            errors.Add("email", "'email' is not an e-mail address.", "'email' is geen e-mailadres.");
        if (request.Language is not ("nl" or "en"))
            errors.Add("language", "'language' must be nl or en.", "'language' moet nl of en zijn.");
        if (request.Roles is not { Length: > 0 } || request.Roles.Any(r => !AllowedRoles.Contains(r)))
            errors.Add("roles", "'roles' must list one or more of: professional, auditor, admin, teamlead.",
                "'roles' moet een of meer van deze noemen: professional, auditor, admin, teamlead.");
        return errors.ToRejection();
    }

    public static void Map(RouteGroupBuilder users)
    {
        users.MapPut("{userId}", async (string userId, [FromBody] PutUserRequest request, HttpContext http,
                IDocumentSession session, Auth.RemovedAccounts removedAccounts, CancellationToken ct) =>
            {
                var caller = http.Caller();
                if (Validate(userId, request) is { } invalid) return invalid.ToProblem(caller.Language);
                // The session is the admin's organisation's: an admin manages the users of their own organisation only.
                if (request.Organisation is { } organisation && organisation.Trim() != caller.Organisation)
                    return Rejection.Forbidden("Admins manage the users of their own organisation only.",
                        "Beheerders beheren alleen de gebruikers van hun eigen organisatie.").ToProblem(caller.Language);
                var user = new UserAccount
                {
                    Id = userId, Name = request.Name!.Trim(), Email = request.Email!.Trim(), Language = request.Language!,
                    Roles = request.Roles!.Distinct().ToList(), Organisation = caller.Organisation,
                    Team = string.IsNullOrWhiteSpace(request.Team) ? null : request.Team.Trim(),
                };
                session.Store(user);
                session.Delete<RemovedAccount>(userId); // created again: admitted again
                await session.SaveChangesAsync(ct);
                removedAccounts.Noted(Organisations.Tenants.Of(caller), userId, removed: false);
                return Results.Ok(user);
            })
            .Admins("Create or update a professional, auditor or admin.")
            .Produces<UserAccount>();

        users.MapDelete("{userId}", async (string userId, HttpContext http, IDocumentSession session, Auth.RemovedAccounts removedAccounts,
                TimeProvider clock, CancellationToken ct) =>
            {
                var caller = http.Caller();
                if (await session.LoadAsync<UserAccount>(userId, ct) is null)
                    return Rejection.NotFound($"There is no user with id {userId}.", $"Er is geen gebruiker met id {userId}.").ToProblem(caller.Language);
                session.Delete<UserAccount>(userId);
                session.Store(new RemovedAccount { Id = userId, RemovedAt = clock.GetUtcNow(), RemovedBy = caller.UserId });
                await session.SaveChangesAsync(ct);
                removedAccounts.Noted(Organisations.Tenants.Of(caller), userId, removed: true);
                return Results.NoContent();
            })
            .Admins("Remove a user of the admin's own organisation; every request of theirs is refused from now on (401), whatever credential they hold, until the account is created again.")
            .Produces(StatusCodes.Status204NoContent);

        users.MapGet("{userId}", async (string userId, HttpContext http, IQuerySession session, CancellationToken ct) =>
            {
                var caller = http.Caller();
                if (!caller.IsAdmin && caller.UserId != userId)
                    return Rejection.Forbidden("You can only read your own account.", "U kunt alleen uw eigen account inzien.").ToProblem(caller.Language);
                var user = await session.LoadAsync<UserAccount>(userId, ct);
                return user is null
                    ? Rejection.NotFound($"There is no user with id {userId}.", $"Er is geen gebruiker met id {userId}.").ToProblem(caller.Language)
                    : Results.Ok(user);
            })
            .RequireAuthorization()
            .WithSummary("Read a user (admins, or the user themselves).")
            .Produces<UserAccount>();
    }
}
