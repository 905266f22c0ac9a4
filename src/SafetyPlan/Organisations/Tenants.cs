using JasperFx;

namespace SafetyPlan.Organisations;

/// <summary>
/// An organisation is a Marten tenant (conjoined tenancy: one database, every row tagged with its organisation).
/// The organisation <c>default</c> (the embedded set-up, the demo, the tests) is Marten's default tenant, so that a
/// database from before organisations existed keeps its cases.
/// </summary>
public static class Tenants
{
    public static string Of(string organisation) =>
        organisation == Caller.DefaultOrganisation ? StorageConstants.DefaultTenantId : organisation;

    public static string Of(Caller caller) => Of(caller.Organisation);

    public static string Organisation(string tenantId) =>
        tenantId == StorageConstants.DefaultTenantId ? Caller.DefaultOrganisation : tenantId;
}

/// <summary>
/// The sessions injected into endpoints (IQuerySession, IDocumentSession) are opened for the caller's organisation:
/// no endpoint can read or write another organisation's documents or events by forgetting a filter.
/// Outside a request there is no caller, and asking for a session is a programming error: scheduled work opens its
/// sessions per plan, for the plan's own organisation.
/// </summary>
public sealed class OrganisationSessions(IDocumentStore store, IHttpContextAccessor http) : ISessionFactory
{
    public IQuerySession QuerySession() => store.QuerySession(Tenant());
    public IDocumentSession OpenSession() => store.LightweightSession(Tenant());

    private string Tenant() => http.HttpContext is { } context
        ? Tenants.Of(context.Caller())
        : throw new InvalidOperationException("A session for an organisation was asked for outside a request; open it with the organisation's tenant id.");
}
