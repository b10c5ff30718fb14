using System.Text.RegularExpressions;

namespace Redoubt.Model;

/// <summary>The syntax of an S3 destination's fields (<see cref="S3Destination"/>): what the validator and the CRD both check.</summary>
public static partial class S3Names
{
    public const string BucketPattern = @"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$";
    public const string RegionPattern = "^[a-z0-9-]{1,32}$";
    public const string PrefixPattern = @"^$|^[A-Za-z0-9!_.*'()-][A-Za-z0-9!_.*'()/-]{0,511}$";
    public const string EndpointPattern = @"^https?://[^/?#@\s]+/?$";

    /// <summary>A bucket name as S3 allows it (virtual-host style, so no capitals or underscores), not an IP address.</summary>
    public static bool IsBucket(string bucket) =>
        Plain(bucket) && BucketRegex().IsMatch(bucket) && !bucket.Contains("..", StringComparison.Ordinal) && !System.Net.IPAddress.TryParse(bucket, out _);

    public static bool IsRegion(string region) => Plain(region) && RegionRegex().IsMatch(region);

    public static bool IsPrefix(string prefix) => Plain(prefix) && PrefixRegex().IsMatch(prefix) && !prefix.Contains("//", StringComparison.Ordinal);

    /// <summary>
    /// http or https, a host and maybe a port; no user or password (a secret in the spec would be shown by every get),
    /// no path, query or fragment.
    /// </summary>
    public static bool IsEndpoint(string endpoint) =>
        Plain(endpoint) && EndpointRegex().IsMatch(endpoint)
        && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https" && uri.UserInfo.Length == 0 && uri.AbsolutePath == "/" && uri.Host.Length > 0;

    /// <summary>No control character: .NET's '$' also matches before a final line break, which the patterns alone would let through.</summary>
    private static bool Plain(string text) => !text.Any(char.IsControl);

    [GeneratedRegex(BucketPattern, RegexOptions.CultureInvariant)]
    private static partial Regex BucketRegex();

    [GeneratedRegex(RegionPattern, RegexOptions.CultureInvariant)]
    private static partial Regex RegionRegex();

    [GeneratedRegex(PrefixPattern, RegexOptions.CultureInvariant)]
    private static partial Regex PrefixRegex();

    [GeneratedRegex(EndpointPattern, RegexOptions.CultureInvariant)]
    private static partial Regex EndpointRegex();
}
