using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using Redoubt.Hosting;
using Redoubt.Integration.Tests.HostileInput;
using Redoubt.Kubernetes.Tests.HostileInput;
using Redoubt.Model.Tests.HostileInput;

namespace Redoubt.Bench;

/// <summary>
/// <c>fuzz [--cases N] [--seed S]</c>: N hostile resource files generated from the examples (the same generators and
/// contract as the model tests' fixed-seed sample), each loaded, and rendered when accepted. Prints what was accepted
/// and rejected, every contract broken (one example of each kind, with the case to re-run), and the time per case.
/// </summary>
internal sealed class FuzzCommand(BenchOptions options)
{
    /// <summary>A case slower than this is a failure: an alias bomb or deep nesting that was not cut short.</summary>
    private static readonly TimeSpan CaseLimit = TimeSpan.FromSeconds(1);

    public int Run(CancellationToken cancellationToken)
    {
        var examples = ExampleFiles.Load();
        var files = new HostileFiles(examples);
        var seed = options.Seed;
        var cases = options.Cases;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fuzz: {cases:N0} hostile files from {examples.Count} examples ({string.Join(", ", examples.Select(e => e.Name))}), seed {seed}, {Environment.ProcessorCount} threads"));

        // The first load and render of each example pays for the JIT; a case must not be charged for that.
        foreach (var (_, text) in examples)
        {
            foreach (var resource in LoadVerdict.Of(text).Result?.Resources ?? [])
            {
                _ = RenderVerdict.Of(resource);
            }
        }

        var milliseconds = new double[cases];
        var loadMilliseconds = new double[cases];
        var accepted = 0;
        var rendered = 0;
        var failures = new ConcurrentBag<(int Case, string Problem)>();
        var done = 0;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, cases, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, i =>
        {
            var file = files.Case(seed, i);
            var caseClock = Stopwatch.StartNew();
            var verdict = LoadVerdict.Of(file.Text);
            loadMilliseconds[i] = verdict.Elapsed.TotalMilliseconds;
            var problems = verdict.Problems.ToList();
            if (verdict.Accepted)
            {
                Interlocked.Increment(ref accepted);
                foreach (var resource in verdict.Result!.Resources)
                {
                    Interlocked.Increment(ref rendered);
                    problems.AddRange(RenderVerdict.Of(resource));
                }
            }

            milliseconds[i] = caseClock.Elapsed.TotalMilliseconds;
            foreach (var problem in problems)
            {
                failures.Add((i, $"{problem} [{file}]"));
            }

            if (Interlocked.Increment(ref done) % 10_000 == 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {done:N0} cases, {clock.Elapsed.TotalSeconds:F0} s"));
            }
        });

        // On a shared machine a case can wait for a core or a collection far longer than it computes: a case over the
        // limit is timed again alone, three times, and fails only when even its fastest run is over.
        var overLimit = Enumerable.Range(0, cases).Where(i => milliseconds[i] > CaseLimit.TotalMilliseconds).ToList();
        var slowAlone = 0;
        foreach (var i in overLimit)
        {
            var fastest = Enumerable.Range(0, 3).Min(_ => Time(files.Case(seed, i).Text));
            if (fastest > CaseLimit)
            {
                slowAlone++;
                failures.Add((i, string.Create(CultureInfo.InvariantCulture, $"took {fastest.TotalMilliseconds:F0} ms even alone [{files.Case(seed, i)}]")));
            }
        }

        var failed = failures.Select(f => f.Case).Distinct().Count();
        var sorted = milliseconds.Order().ToArray();
        var sortedLoads = loadMilliseconds.Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            cases run:      {cases:N0} in {clock.Elapsed.TotalSeconds:F0} s
            accepted:       {accepted:N0} (resources rendered: {rendered:N0})
            rejected:       {cases - accepted:N0}
            over {CaseLimit.TotalSeconds:F0} s:       {overLimit.Count:N0} in the run; {slowAlone:N0} of them again when re-run alone (fastest of 3)
            failed cases:   {failed:N0}
            per case:       median {Percentile(sorted, 0.5):F2} ms, p99 {Percentile(sorted, 0.99):F1} ms, max {sorted[^1]:F0} ms (the loader alone: median {Percentile(sortedLoads, 0.5):F2} ms, p99 {Percentile(sortedLoads, 0.99):F1} ms, max {sortedLoads[^1]:F0} ms)
            """));
        foreach (var index in Enumerable.Range(0, cases).OrderByDescending(i => milliseconds[i]).Take(5))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  slow: case {index}, {milliseconds[index]:F0} ms: {Cut(files.Case(seed, index).ToString())}"));
        }

        foreach (var kind in failures.OrderBy(f => f.Case).GroupBy(f => f.Problem.Split(':')[0]))
        {
            Console.WriteLine($"  {kind.Count()} x {kind.Key}; first: case {kind.First().Case} (--seed {seed}): {Cut(kind.First().Problem)}");
        }

        return failed == 0 ? 0 : 1;
    }

    /// <summary>
    /// <c>--api N</c>: N hostile requests (the control API test's generator) on the socket of a control plane started for
    /// the run in a home of its own, one at a time. Every one must get an error reply or a closed connection, never a
    /// 500; no rejected apply may create anything; and the control plane must still answer at the end.
    /// </summary>
    public async Task<int> RunApiAsync(CancellationToken cancellationToken)
    {
        var count = options.ApiRequests;
        var home = new RedoubtHome(Path.Combine(Path.GetTempPath(), "redoubt-fuzz-" + Guid.NewGuid().ToString("N")[..8]));
        var logs = new Redoubt.Terminal.TerminalLog(TextWriter.Null, colour: false);
        await using var host = await LocalControlPlaneHost.StartAsync(home, web: null, logs, NullLoggerFactory.Instance, "", cancellationToken);
        var resources = Path.Combine(home.Path, "resources");
        try
        {
            var requests = HostileRequests.Generator(new HostileFiles(ExampleFiles.Load()));
            var failures = new List<string>();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                var request = requests.Generate(new PCG((uint)i, (ulong)(uint)options.Seed), null!, out _);
                if (await ControlApiExchange.ProblemAsync(home.SocketPath, request) is { } problem)
                {
                    failures.Add($"case {i}: {problem} [{request}]");
                }

                if (request.IsApplyOfARejectedFile && Directory.Exists(resources) && Directory.EnumerateFileSystemEntries(resources).Any())
                {
                    failures.Add($"case {i}: a rejected apply created something under {resources} [{request}]");
                }
            }

            var stillServing = await ControlPlaneProbe.IsServingAsync(home, cancellationToken) && (await host.ControlPlane.ListAsync(cancellationToken)).Count == 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"control API:    {count:N0} hostile requests in {clock.Elapsed.TotalSeconds:F0} s (seed {options.Seed}); failed {failures.Count:N0}; serving afterwards: {(stillServing ? "yes" : "NO")}"));
            foreach (var failure in failures.Take(10))
            {
                Console.WriteLine("  " + Cut(failure));
            }

            return failures.Count == 0 && stillServing ? 0 : 1;
        }
        finally
        {
            await host.StopAsync(stopNodes: true, CancellationToken.None);
            Directory.Delete(home.Path, recursive: true);
        }
    }

    /// <summary>Loading and, when accepted, rendering one file, as a case does.</summary>
    private static TimeSpan Time(string text)
    {
        var clock = Stopwatch.StartNew();
        foreach (var resource in LoadVerdict.Of(text).Result?.Resources ?? [])
        {
            _ = RenderVerdict.Of(resource);
        }

        return clock.Elapsed;
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static string Cut(string text) => text.Length > 600 ? text[..600] + "..." : text;
}
