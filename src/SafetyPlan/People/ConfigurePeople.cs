namespace SafetyPlan.People;

/// <summary>The people module's part of the event store.</summary>
public static class ConfigurePeople
{
    /// <summary>User accounts, identified by their user id (the sign-in's subject).</summary>
    public static StoreOptions AddPeople(this StoreOptions options)
    {
        options.Schema.For<UserAccount>().Identity(u => u.Id);
        options.Schema.For<RemovedAccount>().Identity(r => r.Id);
        return options;
    }
}
