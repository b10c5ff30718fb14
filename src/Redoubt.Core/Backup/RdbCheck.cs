using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Redoubt.Core.Backup;

/// <summary>What redis-check-rdb said of a snapshot: whether it is whole (its checksum included), its keys and the Redis that wrote it.</summary>
public sealed record RdbCheckResult(bool Valid, long Keys, long Expires, string? RedisVersion, string Output);

/// <summary>Runs redis-check-rdb (the redis-server package's) on a snapshot file and reads its report.</summary>
public static partial class RdbCheck
{
    public static async Task<RdbCheckResult> RunAsync(string binary, string file, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(file);
        try
        {
            using var process = Process.Start(info) ?? throw new RedoubtException($"could not run {binary}");
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return Parse(await output.ConfigureAwait(false) + await error.ConfigureAwait(false), process.ExitCode);
        }
        catch (Win32Exception e)
        {
            throw new RedoubtException($"{binary} is not installed (not found on PATH); it comes with the redis-server package", e);
        }
    }

    /// <summary>Reads redis-check-rdb's report; <paramref name="exitCode"/> 0 and "RDB looks OK" both mean whole.</summary>
    public static RdbCheckResult Parse(string output, int exitCode)
    {
        static long Count(Regex pattern, string text) =>
            pattern.Match(text) is { Success: true } match ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;

        var valid = exitCode == 0 && output.Contains("RDB looks OK", StringComparison.Ordinal) && !output.Contains("RDB ERROR DETECTED", StringComparison.Ordinal);
        var version = VersionPattern().Match(output) is { Success: true } v ? v.Groups[1].Value : null;
        return new RdbCheckResult(valid, Count(KeysPattern(), output), Count(ExpiresPattern(), output), version, output.Trim());
    }

    /// <summary>The first line of the report that says what is wrong, for an error message.</summary>
    public static string Problem(RdbCheckResult result) =>
        result.Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("ERROR", StringComparison.Ordinal) || l.Contains("Unexpected", StringComparison.Ordinal) || l.Contains("Wrong", StringComparison.Ordinal))
        ?? "redis-check-rdb did not report the file as whole";

    [GeneratedRegex(@"\[info\] (\d+) keys read")]
    private static partial Regex KeysPattern();

    [GeneratedRegex(@"\[info\] (\d+) expires")]
    private static partial Regex ExpiresPattern();

    [GeneratedRegex(@"AUX FIELD redis-ver = '([^']*)'")]
    private static partial Regex VersionPattern();
}
