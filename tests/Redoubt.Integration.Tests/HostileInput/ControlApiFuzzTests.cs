using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using CsCheck;
using Redoubt.Integration.Tests.EndToEnd;
using Redoubt.Integration.Tests.Infrastructure;
using Redoubt.Model.Tests.HostileInput;

namespace Redoubt.Integration.Tests.HostileInput;

/// <summary>
/// A barrage of hostile requests on a real control plane's socket (`redoubt serve` with a running resource): each gets
/// an HTTP error or a closed connection, never a 500 or a stack trace; a rejected apply changes nothing on disk or in
/// the status; and afterwards the control plane is still there and answers.
/// </summary>
public sealed class ControlApiFuzzTests
{
    private const int Seed = 3;
    private const int Cases = 300;
    private const string Head = "apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata:\n  name: target\n";

    [Fact]
    public async Task HostileRequestsGetAnErrorOrAClosedConnectionAndChangeNothing()
    {
        using var cli = new RedoubtCli();
        var serve = cli.Serve();
        await BadInputTests.WaitForControlPlaneAsync(cli);
        Assert.Equal(0, (await cli.RunAsync("apply", "-f", RedoubtCli.WriteFile("target.yaml", Head + "spec:\n  replicas: 1\n"))).Exit);
        var before = await cli.WaitReadyAsync("target");
        var resources = Path.Combine(cli.Home, "resources");
        var resourceFile = Path.Combine(resources, "default", "target", "resource.json");
        var spec = await File.ReadAllBytesAsync(resourceFile);
        var folders = Folders(resources);

        var requests = HostileRequests.Generator(new HostileFiles(ExampleFiles.Load()));
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Cases; i++)
        {
            var request = requests.Generate(new PCG((uint)i, Seed), null!, out _);
            var (answered, reply) = await ExchangeAsync(Path.Combine(cli.Home, "control.sock"), request);
            if (Problem(request, answered, reply) is { } problem)
            {
                failures.Add($"case {i} of seed {Seed} ({request}): {problem}");
            }

            if (serve.HasExited)
            {
                Assert.Fail($"the control plane exited ({serve.ExitCode}) after case {i} of seed {Seed}: {request}");
            }

            // A rejected apply writes nothing: not the spec, not another resource's folder.
            var specNow = request.IsApplyOfARejectedFile ? await File.ReadAllBytesAsync(resourceFile) : spec;
            if (!Enumerable.SequenceEqual(spec, specNow) || (request.IsApplyOfARejectedFile && Folders(resources) != folders))
            {
                failures.Add($"case {i} of seed {Seed} ({request}): a rejected apply changed {resources}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {Cases} hostile requests ({clock.Elapsed.TotalSeconds:F0} s):\n{string.Join("\n", failures.Take(20))}");

        // Still serving, the resource as it was: same spec, same generation, still Ready.
        var after = await cli.WaitReadyAsync("target");
        Assert.Equal(before.GetProperty("metadata").GetProperty("generation").GetInt64(), after.GetProperty("metadata").GetProperty("generation").GetInt64());
        Assert.Equal(before.GetProperty("status").GetProperty("observedGeneration").GetInt64(), after.GetProperty("status").GetProperty("observedGeneration").GetInt64());
        Assert.Equal(spec, await File.ReadAllBytesAsync(resourceFile));
        Assert.Equal(folders, Folders(resources));
    }

    /// <summary>What is wrong with the reply to <paramref name="request"/>, or null.</summary>
    private static string? Problem(HostileRequest request, bool answered, string reply)
    {
        if (!answered)
        {
            return "neither a reply nor a closed connection within 20 s";
        }

        if (reply.Length == 0)
        {
            // Closed without a word: fine for bytes that are not HTTP, never for a well-framed request.
            return request.IsWellFramed ? "a well-framed request was answered with a closed connection" : null;
        }

        // Kestrel answers the HTTP/2 preface in HTTP/2 (its frames are binary), which is an answer too.
        if (!reply.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && !request.Description.Contains("HTTP/2 preface", StringComparison.Ordinal))
        {
            return $"a reply that is not HTTP: {Cut(reply)}";
        }

        if (!reply.StartsWith("HTTP/1.1 ", StringComparison.Ordinal))
        {
            return null;
        }

        // 505 (HTTP/9.9) and 501 are Kestrel's protocol answers; 500 is an exception the API did not handle.
        var status = reply.Split(' ', 3)[1];
        if (status.StartsWith('5') && status is not ("501" or "505"))
        {
            return $"status {status}: {Cut(reply)}";
        }

        if (reply.Contains("   at ", StringComparison.Ordinal) || reply.Contains("Exception", StringComparison.Ordinal))
        {
            return $"a stack trace or exception in the reply: {Cut(reply)}";
        }

        // With its errors, or, when the JSON itself carries half a surrogate pair, that the body is not what it must be.
        if (request.IsApplyOfARejectedFile && !(status == "400" && (reply.Contains("\"errors\"", StringComparison.Ordinal) || reply.Contains("\"error\"", StringComparison.Ordinal))))
        {
            return $"a rejected file was not answered 400 with its errors: {Cut(reply)}";
        }

        return null;
    }

    /// <summary>Sends the bytes, closes the sending side unless the request is well framed, and reads the reply until the server closes (true) or 20 s pass (false).</summary>
    private static async Task<(bool Answered, string Reply)> ExchangeAsync(string socketPath, HostileRequest request)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        var reply = new MemoryStream();
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), deadline.Token);
            await socket.SendAsync(request.Bytes, SocketFlags.None, deadline.Token);
            if (!request.IsWellFramed)
            {
                socket.Shutdown(SocketShutdown.Send);
            }

            var buffer = new byte[64 * 1024];
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token) is var read and > 0)
            {
                reply.Write(buffer, 0, read);
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted)
        {
            // The server closed the connection while the request was still being sent (an oversized one): an answer.
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return (false, Encoding.UTF8.GetString(reply.ToArray()));
        }

        return (true, Encoding.UTF8.GetString(reply.ToArray()));
    }

    private static string Folders(string resources) =>
        string.Join(",", Directory.EnumerateDirectories(resources, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));

    private static string Cut(string reply) => reply.Length > 400 ? reply[..400] + "..." : reply;
}
