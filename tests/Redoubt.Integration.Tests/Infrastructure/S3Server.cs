using System.Diagnostics;
using System.Text.RegularExpressions;
using Redoubt.Integration.Tests.Connecting.Clients;

namespace Redoubt.Integration.Tests.Infrastructure;

/// <summary>
/// A real S3-compatible server for the backup tests: s3rver (npm, installed into tests/servers/s3 by ./run-tests) on a
/// loopback port of its own choosing, with its data in a temporary directory, one bucket, and an AWS shared credentials
/// file with s3rver's fixed test account. Stopped and its directory removed on dispose.
/// </summary>
internal sealed partial class S3Server : IAsyncDisposable
{
    /// <summary>s3rver's one account: it accepts requests signed with this pair and no other.</summary>
    private const string AccessKey = "S3RVER";
    private const string SecretKey = "S3RVER";

    private readonly Process _process;
    private readonly string _directory;

    private S3Server(Process process, string directory, string endpoint, string bucket, string credentialsFile)
    {
        _process = process;
        _directory = directory;
        Endpoint = endpoint;
        Bucket = bucket;
        CredentialsFile = credentialsFile;
    }

    public string Endpoint { get; }

    public string Bucket { get; }

    /// <summary>An AWS shared credentials file whose [default] profile s3rver accepts.</summary>
    public string CredentialsFile { get; }

    /// <summary>The data directory: each object is a file under it (bucket/key._S3rver_object).</summary>
    public string DataDirectory => Path.Combine(_directory, "data");

    public static string Project => Path.Combine(ClientLibraries.RepositoryRoot, "tests", "servers", "s3");

    private static string Script => Path.Combine(Project, "node_modules", "s3rver", "bin", "s3rver.js");

    /// <param name="address">Where it listens: loopback for the tests; the pods bench gives an address its pods reach.</param>
    public static async Task<S3Server> StartAsync(string bucket, string address = "127.0.0.1")
    {
        if (!File.Exists(Script))
        {
            throw new InvalidOperationException($"s3rver is not installed in {Project}/node_modules: run `npm ci --prefix tests/servers/s3` (./run-tests does)");
        }

        var directory = Directory.CreateTempSubdirectory("redoubt-s3-").FullName;
        var credentials = Path.Combine(directory, "credentials");
        await File.WriteAllTextAsync(credentials, $"[default]\naws_access_key_id = {AccessKey}\naws_secret_access_key = {SecretKey}\n");
        File.SetUnixFileMode(credentials, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Script, "--directory", Path.Combine(directory, "data"), "--address", address, "--port", "0", "--configure-bucket", bucket })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start node for s3rver");
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (Listening().Match(line) is { Success: true } match)
                {
                    // The rest of its output is drained so that it never blocks on a full pipe.
                    _ = process.StandardOutput.ReadToEndAsync();
                    return new S3Server(process, directory, $"http://{address}:{match.Groups[1].Value}", bucket, credentials);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Reported below.
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        Directory.Delete(directory, recursive: true);
        throw new InvalidOperationException($"s3rver did not say where it listens within 30 s: {await stderr}");
    }

    /// <summary>The objects under <paramref name="prefix"/> as s3rver keeps them on disk: each key once.</summary>
    public IReadOnlyList<string> Keys(string prefix)
    {
        const string Suffix = "._S3rver_object";
        var root = Path.Combine(DataDirectory, Bucket);
        return [.. Directory.EnumerateFiles(root, "*" + Suffix, SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f)[..^Suffix.Length].Replace(Path.DirectorySeparatorChar, '/'))
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Stops the server (a backup to it then fails as a bucket out of reach would).</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [GeneratedRegex(@"S3rver listening on [0-9.]+:(\d+)")]
    private static partial Regex Listening();
}
