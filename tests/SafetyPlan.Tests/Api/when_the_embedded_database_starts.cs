using Npgsql;
using SafetyPlan.Hosting;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// The embedded set-up's own PostgreSQL (Hosting/LocalPostgres) takes no login without its password: generated when the
/// cluster is made, kept beside it for its owner only; a cluster made before (trust) gets one at its next start.
/// </summary>
public sealed class when_the_embedded_database_starts : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"safetyplan-embedded-{Guid.NewGuid():N}");
    private string DataDirectory => Path.Combine(_folder, "postgres");

    private async Task<string> LoginWithoutPassword(LocalPostgres server)
    {
        var builder = new NpgsqlConnectionStringBuilder(server.ConnectionString()) { Password = null, Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        var refused = await Should.ThrowAsync<Exception>(() => connection.OpenAsync());
        return refused.Message;
    }

    private static async Task<int> Query(LocalPostgres server)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString()) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select 1", connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task a_new_cluster_takes_only_its_generated_password_kept_beside_it_for_its_owner_only()
    {
        await using var server = await LocalPostgres.StartAsync(DataDirectory);
        var passwordFile = LocalPostgres.PasswordFile(DataDirectory);
        passwordFile.ShouldBe(DataDirectory + ".password");
        (await File.ReadAllTextAsync(passwordFile)).Length.ShouldBeGreaterThanOrEqualTo(32);
        File.GetUnixFileMode(passwordFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        new NpgsqlConnectionStringBuilder(server.ConnectionString()).Password.ShouldBe((await File.ReadAllTextAsync(passwordFile)).Trim());

        (await Query(server)).ShouldBe(1);
        await LoginWithoutPassword(server);
        (await File.ReadAllTextAsync(Path.Combine(DataDirectory, "pg_hba.conf"))).Split('\n')
            .Where(l => !l.TrimStart().StartsWith('#')).ShouldNotContain(l => l.Contains("trust"));
    }

    [Fact]
    public async Task a_cluster_made_with_trust_gets_a_password_at_its_next_start()
    {
        await (await LocalPostgres.StartAsync(DataDirectory)).StopAsync();
        // As a cluster made before it had a password: trust, and no password file.
        var hba = Path.Combine(DataDirectory, "pg_hba.conf");
        await File.WriteAllLinesAsync(hba, (await File.ReadAllLinesAsync(hba)).Select(l => l.Replace("scram-sha-256", "trust")));
        File.Delete(LocalPostgres.PasswordFile(DataDirectory));

        await using var server = await LocalPostgres.StartAsync(DataDirectory);
        File.Exists(LocalPostgres.PasswordFile(DataDirectory)).ShouldBeTrue();
        (await Query(server)).ShouldBe(1);
        await LoginWithoutPassword(server);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }
}
