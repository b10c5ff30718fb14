namespace Redoubt.Model.Tests.HostileInput;

/// <summary>
/// A fixed-seed sample of hostile files (the fuzz benchmark runs a hundred thousand): every one is accepted as a valid
/// resource or rejected with clear errors, quickly, and none makes the loader throw.
/// </summary>
public sealed class HostileFileTests
{
    private const int Seed = 1;
    private const int Cases = 2000;

    /// <summary>Generous on a shared machine; the benchmark reports the real figures (a few milliseconds).</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

    [Fact]
    public void EveryHostileFileIsAcceptedAsValidOrRejectedClearly()
    {
        var files = new HostileFiles(ExampleFiles.Load());
        var failures = new List<(int Case, HostileFile File, string Problem)>();
        var accepted = 0;
        for (var i = 0; i < Cases; i++)
        {
            var file = files.Case(Seed, i);
            var verdict = LoadVerdict.Of(file.Text);
            accepted += verdict.Accepted ? 1 : 0;
            failures.AddRange(verdict.Problems.Select(p => (i, file, p)));
            if (verdict.Elapsed > Deadline)
            {
                failures.Add((i, file, $"took {verdict.Elapsed.TotalMilliseconds:F0} ms"));
            }
        }

        // One example of each kind of failure: the kind is what a problem says before its first colon.
        var kinds = failures.GroupBy(f => f.Problem.Split(':')[0]).Select(g => $"{g.Count()} x {g.Key}, e.g. case {g.First().Case} of seed {Seed} ({g.First().File}): {g.First().Problem}");
        Assert.True(failures.Count == 0, $"{failures.Count} problems in {Cases} hostile files:\n{string.Join("\n", kinds)}");
        // Both outcomes are exercised: the mutations are not all fatal, nor all harmless.
        Assert.InRange(accepted, Cases / 100, Cases - (Cases / 2));
    }

    [Fact]
    public void TheSameSeedAndIndexGiveTheSameFile()
    {
        var files = new HostileFiles(ExampleFiles.Load());

        Assert.Equal(files.Case(7, 42).Text, files.Case(7, 42).Text);
        Assert.NotEqual(files.Case(7, 42).Text, files.Case(7, 43).Text);
    }
}
