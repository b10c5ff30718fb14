using System.Globalization;
using Redoubt.Bench.Resp;

namespace Redoubt.Bench.Scenarios;

/// <summary>The end-of-event checks on the final master.</summary>
internal static class Keys
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>How many of <paramref name="sequences"/> (acknowledged writes) have no key on <paramref name="master"/>.</summary>
    /// <param name="prefix">What each key is the sequence number after.</param>
    public static async Task<int> MissingAsync(string master, string? password, IReadOnlyList<long> sequences, CancellationToken cancellationToken, string prefix = "seq:")
    {
        using var connection = await RespConnection.ConnectAsync(master, password, Timeout, cancellationToken).ConfigureAwait(false);
        var missing = 0;
        foreach (var batch in sequences.Chunk(1000))
        {
            var reply = (await connection.CommandAsync(Timeout, cancellationToken, ["MGET", .. batch.Select(s => prefix + s.ToString(CultureInfo.InvariantCulture))]).ConfigureAwait(false)).ThrowIfError();
            missing += reply.Array.Count(v => v.IsNull);
        }

        return missing;
    }

    /// <summary>Empties the dataset between events, so each starts from the same (empty) state in both setups.</summary>
    public static async Task FlushAsync(string master, string? password, CancellationToken cancellationToken)
    {
        using var connection = await RespConnection.ConnectAsync(master, password, Timeout, cancellationToken).ConfigureAwait(false);
        (await connection.CommandAsync(Timeout, cancellationToken, "FLUSHALL").ConfigureAwait(false)).ThrowIfError();
    }

    public static async Task<long> CommandsProcessedAsync(string node, string? password, CancellationToken cancellationToken)
    {
        using var connection = await RespConnection.ConnectAsync(node, password, Timeout, cancellationToken).ConfigureAwait(false);
        var info = (await connection.CommandAsync(Timeout, cancellationToken, "INFO", "stats").ConfigureAwait(false)).ThrowIfError().Text ?? "";
        var line = info.Split("\r\n").FirstOrDefault(l => l.StartsWith("total_commands_processed:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture);
    }
}
