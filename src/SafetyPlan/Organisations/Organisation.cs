namespace SafetyPlan.Organisations;

/// <summary>
/// A youth-care organisation: the name it goes by, its teams and its duty professional. Its cases, users and access log
/// live in its own tenant; the organisation itself comes into being when sign-in names it (claim <c>organisation</c>),
/// this is its profile. Its webhook is kept apart (<see cref="OrganisationWebhook"/>), write-only.
/// </summary>
public sealed class Organisation
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public List<string> Teams { get; set; } = [];
    /// <summary>The professional (user id) an escalation passes to when monitor and backup have not acknowledged it (api-contract.md, "Escalations and plans").</summary>
    public string? DutyUserId { get; set; }
}

/// <summary>
/// <c>PUT /api/organisations/{id}</c>: each field left out keeps what the organisation has (a new one is named by its id).
/// </summary>
/// <param name="Name">1 to 200 characters</param>
/// <param name="Teams">at most 200 team names of 1 to 100 characters; replaces the list</param>
/// <param name="DutyUserId">the duty professional's user id (an identifier, at most 100 characters), a user account of the organisation with the role professional (else 400); <c>""</c>: none (the ladder then ends at the backup)</param>
/// <param name="Webhook">where the organisation's case-management system hears of its notifications; write-only: never returned, never in history or logs</param>
public sealed record PutOrganisationRequest(
    [property: MaxLength(Bounds.NameLength)] string? Name,
    [property: MaxLength(200)] string[]? Teams,
    [property: MaxLength(Bounds.IdLength)] string? DutyUserId,
    PutWebhookRequest? Webhook);

/// <summary>An organisation as its admin reads it.</summary>
/// <param name="Webhook">null when none is configured; never its URL or secret</param>
public sealed record OrganisationView(string Id, string Name, IReadOnlyList<string> Teams, string? DutyUserId, WebhookState? Webhook)
{
    public static OrganisationView Of(Organisation organisation, OrganisationWebhook? webhook) =>
        new(organisation.Id, organisation.Name, organisation.Teams, organisation.DutyUserId,
            webhook is null ? null : new WebhookState(webhook.ChangedAt, webhook.ChangedBy));
}

/// <summary>That a webhook is configured, when and by whom; what it says and its secret stay write-only.</summary>
public sealed record WebhookState(DateTimeOffset ChangedAt, string ChangedBy);

public static class OrganisationEndpoints
{
    /// <summary>A 400 naming each field that is out of bounds or holds control or format characters.</summary>
    public static Rejection? Validate(PutOrganisationRequest request)
    {
        var errors = new FieldErrors().OptionalId("dutyUserId", request.DutyUserId, Bounds.IdLength);
        if (request.Name is { } name && (string.IsNullOrWhiteSpace(name) || name.Length > Bounds.NameLength || FieldErrors.HasControlCharacters(name)))
            errors.Add("name", $"'name' has 1 to {Bounds.NameLength} characters.", $"'name' heeft 1 tot {Bounds.NameLength} tekens.");
        if (request.Teams is { } teams && (teams.Length > 200 || teams.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > 100 || FieldErrors.IsUnsafeIdentifier(t))))
            errors.Add("teams", "'teams' lists at most 200 team names of 1 to 100 characters.", "'teams' noemt hoogstens 200 teamnamen van 1 tot 100 tekens.");
        if (request.Webhook is { } webhook) OrganisationWebhook.Validate(webhook, errors, "webhook.");
        return errors.ToRejection();
    }

    /// <summary>
    /// A 400 unless <paramref name="dutyUserId"/> (when it names someone) is a user account of this organisation with the
    /// role professional: the ladder's last step must reach a person who can sign in and respond, never an id nobody
    /// holds (which would record "passed to duty" while no message reaches anyone).
    /// </summary>
    public static async Task<Rejection?> UnknownDuty(string? dutyUserId, IQuerySession session, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(dutyUserId)) return null;
        var account = await session.LoadAsync<People.UserAccount>(dutyUserId.Trim(), ct);
        return account is not null && account.Roles.Contains(Caller.Professional) ? null
            : new FieldErrors().Add("dutyUserId",
                $"'dutyUserId' must name a professional of this organisation with a user account (PUT /api/users/{{id}} first); '{dutyUserId.Trim()}' is none.",
                $"'dutyUserId' moet een hulpverlener van deze organisatie met een gebruikersaccount zijn (eerst PUT /api/users/{{id}}); '{dutyUserId.Trim()}' is dat niet.")
                .ToRejection();
    }

    /// <summary>
    /// The caller's own organisation id, or the answer to give: 400 for an id that is not one, and 404 for another
    /// organisation (to an admin, another organisation is one that does not exist).
    /// </summary>
    public static IResult? RefuseUnlessOwn(string organisationId, Caller caller) =>
        new FieldErrors().RequiredId("organisationId", organisationId, Bounds.IdLength).ToRejection() is { } badId ? badId.ToProblem(caller.Language)
        : organisationId != caller.Organisation
            ? Rejection.NotFound($"There is no organisation {organisationId}.", $"Er is geen organisatie {organisationId}.").ToProblem(caller.Language)
            : null;

    public static void Map(RouteGroupBuilder organisations)
    {
        organisations.MapPut("{organisationId}", async (string organisationId, [FromBody] PutOrganisationRequest request, HttpContext http,
                IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
            {
                var caller = http.Caller();
                if (RefuseUnlessOwn(organisationId, caller) is { } refused) return refused;
                if (Validate(request) is { } invalid) return invalid.ToProblem(caller.Language);
                if (await UnknownDuty(request.DutyUserId, session, ct) is { } unknown) return unknown.ToProblem(caller.Language);
                var organisation = await session.LoadAsync<Organisation>(organisationId, ct) ?? new Organisation { Id = organisationId, Name = organisationId };
                if (request.Name is { } name) organisation.Name = name.Trim();
                if (request.Teams is { } teams) organisation.Teams = teams.Select(t => t.Trim()).Distinct().Order(StringComparer.Ordinal).ToList();
                if (request.DutyUserId is { } duty) organisation.DutyUserId = string.IsNullOrWhiteSpace(duty) ? null : duty.Trim(); // "" names none
                session.Store(organisation);
                var webhook = await session.LoadAsync<OrganisationWebhook>(organisationId, ct);
                if (request.Webhook is { } setWebhook)
                {
                    webhook = new OrganisationWebhook
                    {
                        Id = organisationId, Url = setWebhook.Url!.Trim(), Secret = setWebhook.Secret!,
                        ChangedAt = clock.GetUtcNow(), ChangedBy = caller.UserId,
                    };
                    session.Store(webhook);
                }
                await session.SaveChangesAsync(ct);
                return Results.Ok(OrganisationView.Of(organisation, webhook));
            })
            .Admins("Set the admin's own organisation's name, teams, duty professional and (write-only) webhook; fields left out are kept.")
            .Produces<OrganisationView>();

        organisations.MapGet("{organisationId}", async (string organisationId, HttpContext http, IQuerySession session, CancellationToken ct) =>
            {
                var caller = http.Caller();
                if (RefuseUnlessOwn(organisationId, caller) is { } refused) return refused;
                return await session.LoadAsync<Organisation>(organisationId, ct) is { } organisation
                    ? Results.Ok(OrganisationView.Of(organisation, await session.LoadAsync<OrganisationWebhook>(organisationId, ct)))
                    : Rejection.NotFound($"Organisation {organisationId} has no profile yet: PUT one.", $"Organisatie {organisationId} heeft nog geen profiel: leg er een vast met PUT.").ToProblem(caller.Language);
            })
            .Admins("The admin's own organisation's profile (whether a webhook is configured, not its URL or secret); 404 before its first PUT.")
            .Produces<OrganisationView>();

        organisations.MapDelete("{organisationId}/webhook", async (string organisationId, HttpContext http, IDocumentSession session, CancellationToken ct) =>
            {
                var caller = http.Caller();
                if (RefuseUnlessOwn(organisationId, caller) is { } refused) return refused;
                session.Delete<OrganisationWebhook>(organisationId);
                await session.SaveChangesAsync(ct);
                return Results.NoContent();
            })
            .Admins("Stop the admin's own organisation's webhook (idempotent).")
            .Produces(StatusCodes.Status204NoContent);
    }
}
