using System.Diagnostics;
using Redoubt.Core.ControlPlane;

namespace Redoubt.Integration.Tests.Connecting.Clients;

/// <summary>
/// The three client libraries a failover is measured with, each finding the master through the Sentinels the way its
/// documentation says: redis-py (Debian's python3-redis), ioredis (tests/clients/node) and StackExchange.Redis (Redoubt.Client's
/// SentinelClientSettings). Where their writers are, what they need installed, and starting them all.
/// </summary>
internal static class ClientLibraries
{
    public const string RedisPy = "redis-py";
    /// <summary>redis-py given only the master endpoint's URL (<c>Redis.from_url</c>), as an application with a REDIS_URL setting is.</summary>
    public const string RedisPyUrl = "redis-py url";
    public const string Ioredis = "ioredis";
    public const string StackExchange = StackExchangeClient.LibraryName;

    /// <summary>Debian's python3-redis is installed for Debian's python, not for a python3 from pyenv that may come first on the PATH.</summary>
    public const string Python = "/usr/bin/python3";

    public static IReadOnlyList<string> Names { get; } = [RedisPy, Ioredis, StackExchange, RedisPyUrl];

    public static string RepositoryRoot { get; } = FindRoot();

    public static string PythonWriter => Path.Combine(RepositoryRoot, "tests", "clients", "python", "writer.py");

    public static string NodeProject => Path.Combine(RepositoryRoot, "tests", "clients", "node");

    public static string NodeWriter => Path.Combine(NodeProject, "writer.js");

    /// <summary>What is missing to run the three writers, each with what to do about it; empty when nothing is.</summary>
    public static IReadOnlyList<string> Missing()
    {
        var missing = new List<string>();
        if (!File.Exists(Python))
        {
            missing.Add($"{Python} is not installed: install Debian's python3 and python3-redis packages (./run-tests does)");
        }
        else if (Run(Python, "-I", "-c", "import redis") is { } failure)
        {
            missing.Add($"redis-py is not installed for {Python} (import redis: {failure}): install Debian's python3-redis package (./run-tests does)");
        }

        foreach (var tool in new[] { "node", "npm" })
        {
            if (!OnPath(tool))
            {
                missing.Add($"{tool} is not on the PATH: install the nodejs and npm packages (./run-tests does)");
            }
        }

        if (!File.Exists(Path.Combine(NodeProject, "node_modules", "ioredis", "package.json")))
        {
            missing.Add($"ioredis is not installed in {NodeProject}/node_modules: run `npm ci --prefix tests/clients/node` (./run-tests does)");
        }

        return missing;
    }

    /// <summary>
    /// Starts the three writers on the resource of <paramref name="credentials"/>, each with its own key prefix (the
    /// library's name, then <paramref name="tag"/> when given). Those that started are stopped again if one fails to.
    /// </summary>
    public static async Task<IReadOnlyList<IFailoverClient>> StartAllAsync(Credentials credentials, string? tag = null)
    {
        string Prefix(string library) => tag is null ? library : $"{library}:{tag}";
        ClientSettings Settings(string library) => new(credentials.Sentinels, credentials.MasterName, credentials.Password, Prefix(library));
        var started = new List<IFailoverClient>();
        try
        {
            // -I: Debian's python alone, with none of PYTHONPATH, PYTHONHOME or a user's site-packages from the environment.
            started.Add(await ScriptedClient.StartAsync(RedisPy, Python, ["-I", PythonWriter], Settings(RedisPy)).ConfigureAwait(false));
            started.Add(await ScriptedClient.StartAsync(Ioredis, "node", [NodeWriter], Settings(Ioredis)).ConfigureAwait(false));
            started.Add(await StackExchangeClient.StartAsync(credentials, Prefix("stackexchange")).ConfigureAwait(false));
            if (credentials.EndpointUrl(includePassword: true) is { } url)
            {
                started.Add(await ScriptedClient.StartAsync(RedisPyUrl, Python, ["-I", PythonWriter], Settings("redis-py-url") with { Url = url }).ConfigureAwait(false));
            }
            return started;
        }
        catch
        {
            foreach (var client in started)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Any(dir => File.Exists(Path.Combine(dir, tool)));

    /// <summary>Runs a short check; null when it exits 0, else its last line of error output.</summary>
    private static string? Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            return "did not finish within 30 s";
        }

        return process.ExitCode == 0 ? null : errors.Trim().Split('\n')[^1];
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Redoubt.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Redoubt.slnx above {AppContext.BaseDirectory}: the client writers are found from the repository root");
    }
}
