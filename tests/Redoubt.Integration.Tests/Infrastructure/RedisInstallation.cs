namespace Redoubt.Integration.Tests.Infrastructure;

/// <summary>These tests run real Redis; without it they fail with a message that says how to get it, never skip.</summary>
internal static class RedisInstallation
{
    public static void Require()
    {
        foreach (var binary in new[] { "redis-server", "redis-sentinel", "redis-cli" })
        {
            var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, binary)));
            Assert.True(found, $"{binary} is not installed. Run the test command from the README (./run-tests), which installs the redis-server, redis-sentinel and redis-tools packages.");
        }
    }
}
