using System.Text;
using System.Text.Json;
using Redoubt.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.EndToEnd;

/// <summary>
/// A whole life cycle driven like a user (serve, apply, a master killed with SIGKILL, a password rotation, delete), and
/// every place a password could leak looked at: every process's command line, every file under the home (modes, and
/// which passwords each may hold in clear), the nodes' logs, the control plane's output, the status, the events, and
/// what `get`, `describe` and `credentials` print unasked.
/// </summary>
public sealed class SecretsStaySecretTests(ITestOutputHelper output)
{
    private const string Resource = """
        apiVersion: apps.cozystack.io/v1alpha1
        kind: Redis
        metadata:
          name: vault
        spec:
          replicas: 3
        """;

    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>The files that may hold a password in clear, and which: each password's own file, and the logins replicas and Sentinels need.</summary>
    private static readonly Dictionary<string, string[]> ClearTextAllowed = new(StringComparer.Ordinal)
    {
        ["password"] = ["application"],
        ["password-rotation"] = ["application, replaced"],
        ["admin-password"] = ["admin"],
        ["replication-password"] = ["replication"],
        ["sentinel-password"] = ["sentinel"],
        ["redis.conf"] = ["replication"],
        ["sentinel.conf"] = ["sentinel"],
    };

    [Fact]
    public async Task NoPasswordLeavesTheFilesMeantForItThroughAWholeLifeCycle()
    {
        using var cli = new RedoubtCli();
        var serve = cli.Serve(new Dictionary<string, string> { ["REDOUBT_DEBUG"] = "1" });
        await BadInputTests.WaitForControlPlaneAsync(cli);
        var printed = new List<(string Command, string Text)>();
        async Task<string> RunAsync(params string[] arguments)
        {
            var (exit, stdout, stderr) = await cli.RunAsync(arguments);
            Assert.True(exit == 0, $"redoubt {string.Join(' ', arguments)}: exit {exit}, {stderr}");
            printed.Add((string.Join(' ', arguments), stdout + stderr));
            return stdout;
        }

        await RunAsync("apply", "-f", RedoubtCli.WriteFile("vault.yaml", Resource));
        var ready = (await cli.WaitReadyAsync("vault")).GetProperty("status");
        var folder = Path.Combine(cli.Home, "resources", "default", "vault");
        string Stored(string file) => File.ReadAllText(Path.Combine(folder, file)).Trim();
        var secrets = new Dictionary<string, string>
        {
            ["application"] = Stored("password"),
            ["admin"] = Stored("admin-password"),
            ["replication"] = Stored("replication-password"),
            ["sentinel"] = Stored("sentinel-password"),
        };
        CheckCommandLines(secrets, "after apply");
        CheckHome(cli.Home, secrets, "after apply");

        // A failover: the master killed with SIGKILL; the Sentinels rewrite their config files.
        var master = ready.GetProperty("master").GetString()!;
        var pid = ready.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("address").GetString() == master).GetProperty("pid").GetInt32();
        Assert.True(Processes.TrySignal(pid, Processes.SigKill), $"could not kill the master, pid {pid}");
        await cli.WaitForAsync("vault", r => r.GetProperty("status") is var s && s.GetProperty("phase").GetString() == "Ready" && s.GetProperty("master").GetString() != master
            && s.GetProperty("nodes").EnumerateArray().All(n => n.GetProperty("health").GetString() == "ok"), "Ready after the failover, every node back");
        CheckCommandLines(secrets, "after the failover");
        CheckHome(cli.Home, secrets, "after the failover");

        // A rotation: the new password printed (asked for), the old one kept in clear only in password-rotation.
        var (rotateExit, rotateOut, rotateErr) = await cli.RunAsync("credentials", "vault", "--rotate", "--grace", "4s", "--password-only");
        Assert.True(rotateExit == 0, rotateErr);
        Assert.Contains("old one keeps working until", rotateErr, StringComparison.Ordinal);
        printed.Add(("credentials vault --rotate (its messages)", rotateErr));
        var rotated = rotateOut.Trim();
        Assert.Equal(Stored("password"), rotated);
        Assert.NotEqual(secrets["application"], rotated);
        secrets["application, replaced"] = secrets["application"];
        secrets["application"] = rotated;
        CheckCommandLines(secrets, "during the grace");
        CheckHome(cli.Home, secrets, "during the grace");
        await cli.WaitForAsync("vault", r => r.GetProperty("status").TryGetProperty("passwordRotation", out var p) && p.ValueKind == JsonValueKind.Object
            && !(p.TryGetProperty("oldPasswordUntil", out var until) && until.ValueKind != JsonValueKind.Null), "the replaced password retired", TimeSpan.FromSeconds(40));

        await RunAsync("get", "vault", "-o", "json");
        await RunAsync("get", "vault", "-o", "yaml");
        await RunAsync("get");
        var described = await RunAsync("describe", "vault");
        Assert.Contains("old password no longer accepted", described, StringComparison.Ordinal);
        await RunAsync("credentials", "vault");
        CheckCommandLines(secrets, "after the grace");
        CheckHome(cli.Home, secrets, "after the grace", rotationKeepsOld: false);

        await RunAsync("delete", "vault");
        CheckCommandLines(secrets, "after delete");
        Assert.True(Processes.TrySignal(serve.Id, 15), "could not stop serve");
        Assert.True(serve.WaitForExit(30_000), "serve did not stop within 30 s of SIGTERM");
        serve.WaitForExit();

        var log = string.Join('\n', cli.ServeOutput);
        output.WriteLine($"{cli.ServeOutput.Count} lines of control-plane output, {printed.Count} commands' output checked");
        Assert.Contains("vault", log, StringComparison.Ordinal);
        foreach (var (name, secret) in secrets)
        {
            Assert.False(log.Contains(secret, StringComparison.Ordinal), $"the {name} password is in the control plane's output");
            foreach (var (command, text) in printed)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"`redoubt {command}` printed the {name} password unasked");
            }
        }
    }

    /// <summary>The command line of every process on the machine (all of /proc), readable or not by its owner.</summary>
    private static void CheckCommandLines(Dictionary<string, string> secrets, string when)
    {
        var seen = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
        {
            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone since the listing.
                continue;
            }

            seen++;
            foreach (var (name, secret) in secrets)
            {
                Assert.False(commandLine.Contains(secret, StringComparison.Ordinal), $"{when}: the {name} password is on the command line of pid {Path.GetFileName(directory)}: {commandLine.Replace(secret, "<password>", StringComparison.Ordinal)}");
            }
        }

        Assert.True(seen > 10, $"{when}: only {seen} command lines could be read");
    }

    /// <summary>
    /// Every folder under the home is 0700 and every file 0600 (nothing for the group or others), and each password is
    /// in clear only in the files meant for it; logs, status, data and the rest hold none.
    /// </summary>
    private void CheckHome(string home, Dictionary<string, string> secrets, string when, bool rotationKeepsOld = true)
    {
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(home) & GroupOrOther);
        foreach (var directory in Directory.EnumerateDirectories(home, "*", SearchOption.AllDirectories))
        {
            var mode = File.GetUnixFileMode(directory);
            Assert.True((mode & GroupOrOther) == UnixFileMode.None, $"{when}: folder {directory} is {Octal(mode)}, not 0700");
        }

        var files = 0;
        foreach (var file in Directory.EnumerateFiles(home, "*", SearchOption.AllDirectories))
        {
            var mode = File.GetUnixFileMode(file);
            Assert.True((mode & GroupOrOther) == UnixFileMode.None, $"{when}: {file} is {Octal(mode)}, not 0600");
            if (Path.GetFileName(file) == "control.sock" || file.EndsWith(".tmp", StringComparison.Ordinal))
            {
                continue;
            }

            string text;
            try
            {
                text = Encoding.Latin1.GetString(File.ReadAllBytes(file));
            }
            catch (IOException)
            {
                // A socket, or a file replaced this instant.
                continue;
            }

            files++;
            var allowed = ClearTextAllowed.GetValueOrDefault(Path.GetFileName(file), []);
            foreach (var (name, secret) in secrets)
            {
                var expected = allowed.Contains(name) && (name != "application, replaced" || rotationKeepsOld);
                Assert.False(!expected && text.Contains(secret, StringComparison.Ordinal), $"{when}: the {name} password is in clear in {file}");
            }
        }

        output.WriteLine($"{when}: {files} files under the home checked");
        Assert.True(files > 20, $"{when}: only {files} files under the home");
    }

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode, 8);
}
