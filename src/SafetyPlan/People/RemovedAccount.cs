namespace SafetyPlan.People;

/// <summary>
/// Kept when an admin removes a user account (<c>DELETE /api/users/{userId}</c>), in the account's organisation, and
/// deleted when the account is created again (<c>PUT</c>): while it exists, the person is refused on every request,
/// whatever credential they still hold (<see cref="Auth.RemovedAccounts"/>).
/// </summary>
public sealed class RemovedAccount
{
    /// <summary>The user id (the sign-in's subject).</summary>
    public string Id { get; set; } = "";
    public DateTimeOffset RemovedAt { get; set; }
    /// <summary>The admin who removed the account.</summary>
    public string RemovedBy { get; set; } = "";
}
