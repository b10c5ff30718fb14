using Redoubt.Core.Tests.Control.Fakes;
using Redoubt.Model;

namespace Redoubt.Core.Tests.Control;

public sealed class ControlLoopTests
{
    private const string A = "default/a";
    private const string B = "default/b";

    [Fact]
    public async Task DisposingTheLoopTwiceReleasesItOnce()
    {
        await using var run = RunningLoop.Start();
        run.Source.Add("a");
        run.Loop.Enqueue(A);
        await run.EventuallyAsync(() => run.Count($"report {A}") == 1, "the first pass reports");

        await run.StopAsync();
        await run.Loop.DisposeAsync();
        var again = await Record.ExceptionAsync(async () => await run.Loop.DisposeAsync());

        Assert.Null(again);
    }

    [Fact]
    public async Task ASwitchoverBeforeTheFirstPassSaysToTryAgainAndAfterItGoesThroughTheReconcilerThenAPass()
    {
        await using var run = RunningLoop.Start();
        var resource = run.Source.Add("a");

        var early = await Assert.ThrowsAsync<RedoubtException>(() => run.Loop.SwitchoverAsync(resource, null, CancellationToken.None));
        Assert.Contains("has not been reconciled yet", early.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Journal, l => l.StartsWith("switchover", StringComparison.Ordinal));

        run.Loop.Enqueue(A);
        await run.EventuallyAsync(() => run.Count($"report {A}") == 1, "the first pass reports");
        var result = await run.Loop.SwitchoverAsync(resource, "redis-2", CancellationToken.None);

        Assert.Equal(("redis-0", "redis-2"), (result.From, result.To));
        Assert.Equal(1, run.Count($"switchover {A} to redis-2"));
        await run.EventuallyAsync(() => run.Count($"report {A}") == 2, "a pass follows, so the status shows the new master");
    }

    [Fact]
    public async Task ChangesDuringAPassGiveOneMorePassNotOneEach()
    {
        await using var run = RunningLoop.Start();
        run.Source.Add("a");
        run.Reconcilers.PassGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        run.Loop.Enqueue(A);
        await run.EventuallyAsync(() => run.Reconcilers.Passes(A) == 1, "the first pass starts");

        run.Loop.Enqueue(A);
        run.Loop.Enqueue(A);
        run.Loop.Enqueue(A);
        run.Reconcilers.PassGate.SetResult();

        await run.EventuallyAsync(() => run.Count($"report {A}") == 2, "one more pass follows the changes");
        await run.SettledAsync(delayed: 0);
        Assert.Equal(2, run.Reconcilers.Passes(A));
    }

    [Fact]
    public async Task APassThatAsksAgainAfterADelayRunsAgainOnlyOnceItHasPassed()
    {
        await using var run = RunningLoop.Start();
        run.Source.Add("a");
        run.Reconcilers.RequeueAfter = TimeSpan.FromSeconds(5);
        run.Loop.Enqueue(A);
        await run.EventuallyAsync(() => run.Count($"report {A}") == 1, "the first pass reports");
        await run.SettledAsync(delayed: 1);

        run.Time.Advance(TimeSpan.FromMilliseconds(4999));
        Assert.Equal(0, run.Loop.Queue.Count);
        Assert.Equal(1, run.Reconcilers.Passes(A));

        run.Time.Advance(TimeSpan.FromMilliseconds(1));
        await run.EventuallyAsync(() => run.Reconcilers.Passes(A) == 2, "the pass runs again once the delay has passed");
    }

    [Fact]
    public async Task FailedPassesBackOffExponentiallyAndASuccessStartsTheBackoffAgain()
    {
        await using var run = RunningLoop.Start();
        run.Source.Add("a");
        run.Reconcilers.Failure = new InvalidOperationException("the platform said no");
        run.Loop.Enqueue(A);
        await run.EventuallyAsync(() => run.Reconcilers.Passes(A) == 1, "the first pass runs");
        await run.SettledAsync(delayed: 1);

        run.Time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, run.Loop.Queue.Count);
        run.Time.Advance(TimeSpan.FromMilliseconds(1));
        await run.EventuallyAsync(() => run.Reconcilers.Passes(A) == 2, "retried after 1 s");
        await run.SettledAsync(delayed: 1);

        run.Time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.Equal(0, run.Loop.Queue.Count);
        run.Time.Advance(TimeSpan.FromMilliseconds(1));
        await run.EventuallyAsync(() => run.Reconcilers.Passes(A) == 3, "retried after 2 s more");
        await run.SettledAsync(delayed: 1);
        Assert.Equal(3, run.Loop.Queue.Failures(A));

        run.Reconcilers.Failure = null;
        run.Time.Advance(TimeSpan.FromSeconds(4));
        await run.EventuallyAsync(() => run.Count($"report {A}") == 1, "a later retry succeeds and reports");
        // The report comes before the worker tells the queue the pass succeeded: wait for that, rather than race it.
        await run.EventuallyAsync(() => run.Loop.Queue.Failures(A) == 0, "the success starts the backoff again");
        await run.SettledAsync(delayed: 0);
    }

    [Fact]
    public async Task AFailedPassIsReportedToTheSourceWithWhenItIsRetried()
    {
        await using var run = RunningLoop.Start();
        run.Source.Add("a");
        run.Reconcilers.Failure = new InvalidOperationException("the platform said no");
        run.Loop.Enqueue(A);
        await run.EventuallyAsync(() => run.Count($"failed {A}: the platform said no; retry in 1000 ms") == 1, "the first failure is reported");
        await run.SettledAsync(delayed: 1);

        run.Time.Advance(TimeSpan.FromSeconds(1));
        await run.EventuallyAsync(() => run.Count($"failed {A}: the platform said no; retry in 2000 ms") == 1, "the retry's failure is reported with the longer backoff");
        Assert.Equal(0, run.Count($"report {A}"));
    }

    [Fact]
    public async Task EachResourceGetsOneReconcilerRestoredFromItsSavedStatus()
    {
        await using var run = RunningLoop.Start();
        var saved = new RedisStatus { Phase = Phases.Ready, LastFailover = new FailoverRecord { From = "redis-0", To = "redis-1" } };
        run.Source.Add("a");
        run.Source.Add("b");
        run.Source.Saved[A] = saved;
        run.Loop.Enqueue(A);
        run.Loop.Enqueue(B);
        await run.EventuallyAsync(() => run.Count($"report {A}") == 1 && run.Count($"report {B}") == 1, "both resources are reconciled");
        run.Loop.Enqueue(A);
        await run.EventuallyAsync(() => run.Count($"report {A}") == 2, "a second pass of a");

        Assert.Equal(1, run.Count($"create {A}"));
        Assert.Equal(1, run.Count($"create {B}"));
        Assert.Same(saved, run.Reconcilers.Restored[A]);
        Assert.Null(run.Reconcilers.Restored[B]);
        Assert.NotNull(run.Loop.ReconcilerOf(A));
    }

    [Fact]
    public async Task AResourceThatGoesHasItsReconcilerDisposedBeforeItIsReleased()
    {
        await using var run = RunningLoop.Start();
        run.Source.Add("a");
        run.Loop.Enqueue(A);
        await run.EventuallyAsync(() => run.Count($"report {A}") == 1, "the resource is reconciled");

        run.Source.Resources.TryRemove(A, out _);
        run.Loop.Enqueue(A);
        await run.EventuallyAsync(() => run.Count($"release {A}") == 1, "the source is told the resource is released");

        var journal = run.Journal.ToList();
        Assert.True(journal.IndexOf($"dispose {A}") is >= 0 and var disposed && disposed < journal.IndexOf($"release {A}"), "the reconciler is disposed before the source cleans up");
        Assert.Null(run.Loop.ReconcilerOf(A));

        run.Source.Add("a", generation: 2);
        run.Loop.Enqueue(A);
        await run.EventuallyAsync(() => run.Count($"create {A}") == 2, "the same name applied again gets a new reconciler");
    }

    [Fact]
    public async Task NodeEventsReachTheFastPathWithoutWaitingBehindAPass()
    {
        await using var run = RunningLoop.Start();
        run.Source.Add("a");
        run.Reconcilers.PassGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        run.Loop.Enqueue(A);
        await run.EventuallyAsync(() => run.Reconcilers.Passes(A) == 1, "a pass is in flight");

        run.Platform.Report(A, "redis-0");
        await run.EventuallyAsync(() => run.Count($"node event {A} redis-0") == 1, "the node event reaches the reconciler while the pass still runs");
        Assert.Equal(0, run.Count($"report {A}"));

        run.Reconcilers.PassGate.SetResult();
        await run.EventuallyAsync(() => run.Reconcilers.Passes(A) == 2, "the node event asks for a pass too");
    }

    [Fact]
    public async Task NodeEventsOfAHeldResourceOnlyAskForAPass()
    {
        await using var run = RunningLoop.Start();
        run.Source.Add("a");
        run.Loop.Enqueue(A);
        await run.EventuallyAsync(() => run.Count($"report {A}") == 1, "the resource is reconciled");
        run.Source.Held[A] = true;
        run.Loop.Enqueue(A);
        await run.EventuallyAsync(() => run.Count($"read {A}") == 2, "the held pass reads the resource");
        await run.SettledAsync(delayed: 0);

        run.Platform.Report(A, "redis-0");
        await run.EventuallyAsync(() => run.Count($"read {A}") == 3, "the node event asks for a pass");
        await run.SettledAsync(delayed: 0);
        Assert.Equal(0, run.Count($"node event {A} redis-0"));
        Assert.Equal(1, run.Reconcilers.Passes(A));
        Assert.Equal(0, run.Count($"dispose {A}"));
    }

    [Fact]
    public async Task ReleasingAResourceCancelsItsPassAndDisposesItsReconcilerAfterIt()
    {
        await using var run = RunningLoop.Start();
        run.Source.Add("a");
        run.Reconcilers.PassGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        run.Loop.Enqueue(A);
        await run.EventuallyAsync(() => run.Reconcilers.Passes(A) == 1, "a pass is in flight");

        await run.Loop.ReleaseAsync(A).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal($"dispose {A}", run.Journal.Last());
        await run.SettledAsync(delayed: 0);
        Assert.Equal(0, run.Loop.Queue.Failures(A));
        Assert.Equal(0, run.Count($"report {A}"));
    }

    [Fact]
    public async Task StoppingCancelsPassesInFlightAndDisposesEveryReconciler()
    {
        await using var run = RunningLoop.Start();
        run.Source.Add("a");
        run.Source.Add("b");
        run.Reconcilers.PassGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        run.Loop.Enqueue(A);
        run.Loop.Enqueue(B);
        await run.EventuallyAsync(() => run.Reconcilers.Passes(A) == 1 && run.Reconcilers.Passes(B) == 1, "both passes are in flight");

        await run.StopAsync();

        Assert.Equal(1, run.Count($"dispose {A}"));
        Assert.Equal(1, run.Count($"dispose {B}"));
        Assert.Equal(0, run.Count($"report {A}"));
    }
}
