namespace SafetyPlan.Auth;

/// <summary>
/// Which sign-in this server runs (Auth:Mode). Header sign-in (<c>Development</c>) is the default only in the embedded
/// set-up (no ConnectionStrings:Postgres: the developer's machine); with a database configured the mode must be named,
/// so that no deployment falls back to trusting headers (issue 14, docs/security.md "Sign-in").
/// </summary>
public static class SignInMode
{
    /// <summary>The configured mode, or Development in the embedded set-up; throws (the server does not start) when a database is configured and no mode, or an unknown one.</summary>
    public static string Of(IConfiguration configuration)
    {
        var configured = configuration["Auth:Mode"];
        if (string.IsNullOrWhiteSpace(configured))
        {
            if (Hosting.Database.IsEmbedded(configuration)) return DevelopmentAuthentication.Scheme;
            throw new InvalidOperationException(
                "SafetyPlan has a database configured (ConnectionStrings:Postgres) but no sign-in mode: set Auth:Mode to 'Oidc' " +
                "(professionals sign in at your OpenID Connect provider; see README.md, \"Deploying with OpenID Connect\") or to " +
                "'Development' (header sign-in, loopback only, for a developer's machine). SafetyPlan never falls back to header sign-in.");
        }
        if (configured != DevelopmentAuthentication.Scheme && configured != OidcSignIn.Mode)
            throw new InvalidOperationException($"Auth:Mode '{configured}' is unknown; use 'Development' or 'Oidc'.");
        return configured;
    }

    /// <summary>Whether this server runs header sign-in (which is loopback only, <see cref="LoopbackOnly"/>).</summary>
    public static bool IsDevelopment(IConfiguration configuration) => Of(configuration) == DevelopmentAuthentication.Scheme;
}
