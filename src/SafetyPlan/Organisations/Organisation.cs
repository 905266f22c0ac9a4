namespace SafetyPlan.Organisations;

/// <summary>
/// A youth-care organisation: the name it goes by and its teams. Its cases, users and access log live in its own tenant;
/// the organisation itself comes into being when sign-in names it (claim <c>organisation</c>), this is its profile.
/// </summary>
public sealed class Organisation
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public List<string> Teams { get; set; } = [];
}

public sealed record PutOrganisationRequest([property: MaxLength(Bounds.NameLength)] string? Name, [property: MaxLength(200)] string[]? Teams);

public static class OrganisationEndpoints
{
    public static Rejection? Validate(PutOrganisationRequest request)
    {
        var errors = new FieldErrors().Required("name", request.Name, Bounds.NameLength);
        if (request.Teams is { } teams && (teams.Length > 200 || teams.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > 100 || FieldErrors.IsUnsafeIdentifier(t))))
            errors.Add("teams", "'teams' lists at most 200 team names of 1 to 100 characters.", "'teams' noemt hoogstens 200 teamnamen van 1 tot 100 tekens.");
        return errors.ToRejection();
    }

    public static void Map(RouteGroupBuilder organisations)
    {
        organisations.MapPut("{organisationId}", async (string organisationId, [FromBody] PutOrganisationRequest request, HttpContext http,
                IDocumentSession session, CancellationToken ct) =>
            {
                var caller = http.Caller();
                if (new FieldErrors().RequiredId("organisationId", organisationId, Bounds.IdLength).ToRejection() is { } badId)
                    return badId.ToProblem(caller.Language);
                if (organisationId != caller.Organisation)
                    return Rejection.Forbidden("Admins manage their own organisation only.", "Beheerders beheren alleen hun eigen organisatie.")
                        .ToProblem(caller.Language);
                if (Validate(request) is { } invalid) return invalid.ToProblem(caller.Language);
                var organisation = new Organisation
                {
                    Id = organisationId, Name = request.Name!.Trim(),
                    Teams = (request.Teams ?? []).Select(t => t.Trim()).Distinct().Order(StringComparer.Ordinal).ToList(),
                };
                session.Store(organisation);
                await session.SaveChangesAsync(ct);
                return Results.Ok(organisation);
            })
            .Admins("Name the admin's own organisation and its teams.")
            .Produces<Organisation>();

        organisations.MapGet("{organisationId}", async (string organisationId, HttpContext http, IQuerySession session, CancellationToken ct) =>
            {
                var caller = http.Caller();
                // Another organisation is, to this caller, one that does not exist.
                var organisation = organisationId == caller.Organisation ? await session.LoadAsync<Organisation>(organisationId, ct) : null;
                return organisation is null
                    ? Rejection.NotFound($"There is no organisation {organisationId}.", $"Er is geen organisatie {organisationId}.").ToProblem(caller.Language)
                    : Results.Ok(organisation);
            })
            .Admins("The admin's own organisation.")
            .Produces<Organisation>();

        OrganisationWebhookEndpoints.Map(organisations);
    }
}
