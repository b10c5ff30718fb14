using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using Redoubt.Kubernetes.Tests.Fakes;
using Redoubt.Platforms.Kubernetes.Operator;

namespace Redoubt.Kubernetes.Tests.Operator;

/// <summary>The operator's list-then-watch when the server says a version is gone.</summary>
public sealed class ObjectWatchTests
{
    /// <summary>
    /// An API server reports an expired resourceVersion (410 Gone, "too old resource version") as an ERROR event in
    /// the watch stream and ends it. Resuming from the same version would be refused again forever: the watch must
    /// list again, and see what changed meanwhile.
    /// </summary>
    [Fact]
    public async Task AnErrorEventInTheStreamMakesTheWatchListAgain()
    {
        var lists = 0;
        var watchedFrom = new List<string>();
        var seen = new List<string>();
        using var log = new RecordingLogger();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var watch = new ObjectWatch<V1ConfigMap>("ConfigMap",
            _ =>
            {
                var n = Interlocked.Increment(ref lists);
                IList<V1ConfigMap> items = n == 1 ? [ConfigMap("before", "10")] : [ConfigMap("before", "10"), ConfigMap("meanwhile", "50")];
                return Task.FromResult((items, n == 1 ? "10" : "50"));
            },
            (rv, _, _, ct) => Stream(rv, watchedFrom, stop, ct),
            (_, _, current) => seen.Add(current.Metadata.Name),
            log, TimeProvider.System);

        await watch.RunAsync(stop.Token);

        Assert.Equal(2, lists);
        Assert.Equal(["10", "50"], watchedFrom);
        Assert.Equal(["before", "meanwhile"], seen);
        Assert.Contains(log.Lines, l => l.Contains("watch of ConfigMap expired at resourceVersion 10", StringComparison.Ordinal));
    }

    /// <summary>
    /// A quiet watch that the server ends at its timeout without a line reaches the client as an HttpRequestException
    /// over an end of stream (KubernetesClient looks for the first line): resumed from the same version, not listed again.
    /// </summary>
    [Fact]
    public async Task AWatchEndedWithoutALineAtItsTimeoutIsResumedNotListedAgain()
    {
        var clock = new FakeTimeProvider();
        var timeout = TimeSpan.FromMinutes(5);

        var (lists, watchedFrom, log) = await RunQuietWatchAsync(clock, timeout, () => clock.Advance(timeout));

        Assert.Equal(1, lists);
        Assert.Equal(["10", "10", "10", "10"], watchedFrom);
        Assert.DoesNotContain(log, l => l.Contains("failed", StringComparison.Ordinal));
    }

    /// <summary>
    /// An empty stream long before the timeout is not the server's timeout (a proxy answering every watch so, say):
    /// a failure, listed again after the backoff, never asked again at once in a loop.
    /// </summary>
    [Fact]
    public async Task AWatchEndedWithoutALineAtOnceIsAFailure()
    {
        var (lists, _, log) = await RunQuietWatchAsync(TimeProvider.System, TimeSpan.FromMinutes(5), () => { });

        Assert.Equal(4, lists);
        Assert.Equal(3, log.Count(l => l.Contains("watch of ConfigMap failed", StringComparison.Ordinal)));
    }

    /// <summary>A watch of one quiet ConfigMap whose first three watches end without a line, each after <paramref name="elapse"/>.</summary>
    private static async Task<(int Lists, List<string> WatchedFrom, List<string> Log)> RunQuietWatchAsync(TimeProvider time, TimeSpan timeout, Action elapse)
    {
        var lists = 0;
        var watchedFrom = new List<string>();
        using var log = new RecordingLogger();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var watch = new ObjectWatch<V1ConfigMap>("ConfigMap",
            _ =>
            {
                Interlocked.Increment(ref lists);
                return Task.FromResult<(IList<V1ConfigMap>, string)>(([ConfigMap("quiet", "10")], "10"));
            },
            (rv, _, onError, ct) => EndsQuietlyThrice(rv, watchedFrom, onError, elapse, stop, ct),
            (_, _, _) => { },
            log, time, timeout);

        await watch.RunAsync(stop.Token);
        return (lists, watchedFrom, [.. log.Lines]);
    }

    /// <summary>A broken connection is still a failure: listed again.</summary>
    [Fact]
    public void OnlyAnEndOfStreamBeforeTheFirstLineIsAQuietEnd()
    {
        Assert.True(ObjectWatch<V1ConfigMap>.EndedWithNothingToSay(new HttpRequestException("Error while copying content to a stream.", new EndOfStreamException())));
        Assert.False(ObjectWatch<V1ConfigMap>.EndedWithNothingToSay(new HttpRequestException("Error while copying content to a stream.", new IOException("Connection reset by peer"))));
        Assert.False(ObjectWatch<V1ConfigMap>.EndedWithNothingToSay(new HttpRequestException("An error occurred while sending the request.")));
        Assert.False(ObjectWatch<V1ConfigMap>.EndedWithNothingToSay(new EndOfStreamException()));
    }

    /// <summary>Three watches that end without a line, each after <paramref name="elapse"/>; the fourth ends the test.</summary>
    private static async IAsyncEnumerable<(WatchEventType, V1ConfigMap)> EndsQuietlyThrice(string rv, List<string> watchedFrom, Action<Exception> onError, Action elapse, CancellationTokenSource stop, [EnumeratorCancellation] CancellationToken ct)
    {
        watchedFrom.Add(rv);
        elapse();
        var quietEnd = new HttpRequestException("Error while copying content to a stream.", new EndOfStreamException("Attempted to read past the end of the stream."));
        switch (watchedFrom.Count)
        {
            case 1:
                // Told to the error callback, as the typed watch calls report a stream error.
                onError(quietEnd);
                yield break;
            case 2:
            case 3:
                // Thrown by the enumeration, as the real client did on a real API server.
                throw quietEnd;
        }

        await stop.CancelAsync();
        await Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>From version 10: an ERROR event, as a server that no longer keeps it sends. From 50: nothing; the test ends.</summary>
    private static async IAsyncEnumerable<(WatchEventType, V1ConfigMap)> Stream(string rv, List<string> watchedFrom, CancellationTokenSource stop, [EnumeratorCancellation] CancellationToken ct)
    {
        watchedFrom.Add(rv);
        if (rv == "10")
        {
            // The client deserializes the event's Status into the watched type: no metadata.
            yield return (WatchEventType.Error, new V1ConfigMap());
            yield break;
        }

        await stop.CancelAsync();
        await Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private static V1ConfigMap ConfigMap(string name, string rv) => new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns", ResourceVersion = rv } };
}
