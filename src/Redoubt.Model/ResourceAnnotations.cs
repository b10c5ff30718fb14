using System.Globalization;
using System.Text.RegularExpressions;

namespace Redoubt.Model;

/// <summary>Annotations on a Redis resource that every platform understands.</summary>
public static partial class ResourceAnnotations
{
    /// <summary>
    /// A time (any text) whose change asks for a rolling restart of every node, like <c>kubectl rollout restart</c>:
    /// <c>redoubt restart NAME</c> sets it, and so can <c>kubectl annotate</c>.
    /// </summary>
    public const string RestartedAt = "redoubt.io/restartedAt";

    /// <summary>
    /// Any text whose change asks for a new application password, the old one accepted for
    /// <see cref="PasswordGrace"/>: <c>redoubt credentials NAME --rotate</c> sets it, and so can <c>kubectl annotate</c>.
    /// </summary>
    public const string PasswordRotatedAt = "redoubt.io/passwordRotatedAt";

    /// <summary>How long the password a rotation replaces keeps working (<see cref="GraceText"/>); 10m when absent.</summary>
    public const string PasswordGrace = "redoubt.io/passwordGrace";

    /// <summary>
    /// Kubernetes: any text whose change asks the operator for a backup now (a Job), like <c>redoubt backup NAME</c> on
    /// the local platform: <c>kubectl annotate redis NAME redoubt.io/backupRequestedAt="$(date -u +%FT%TZ)" --overwrite</c>.
    /// </summary>
    public const string BackupRequestedAt = "redoubt.io/backupRequestedAt";

    /// <summary>
    /// Kubernetes: restore a backup into this resource's master (its keys are replaced): the backup's id, or
    /// SOURCE/ID for a backup of another resource in the namespace. Acted on once per value, and only with
    /// <see cref="RestoreConfirm"/> set to the resource's name.
    /// </summary>
    public const string RestoreFrom = "redoubt.io/restoreFrom";

    /// <summary>The resource's own name, to confirm that a restore may replace its keys (<c>redoubt restore --yes</c> on the local platform).</summary>
    public const string RestoreConfirm = "redoubt.io/restoreConfirm";

    /// <summary>The longest grace period: a password that must go may not linger for days.</summary>
    public static readonly TimeSpan MaxGrace = TimeSpan.FromHours(24);

    /// <summary>What a grace period may be, for error messages.</summary>
    public const string GraceText = "a duration such as 30s, 10m, 1h or 1h30m, from 0s (the old password stops at once) to 24h";

    public static string? RestartedAtOf(RedisResource resource) => Value(resource, RestartedAt);

    /// <summary>The mark a request (<see cref="RestartedAt"/>, <see cref="PasswordRotatedAt"/>) carries: when it was made, in UTC to the millisecond.</summary>
    public static string Mark(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string? PasswordRotatedAtOf(RedisResource resource) => Value(resource, PasswordRotatedAt);

    /// <summary>The grace period the resource asks for: null when it does not say; an error when what it says is no grace period.</summary>
    public static (TimeSpan? Grace, string? Error) PasswordGraceOf(RedisResource resource) =>
        Value(resource, PasswordGrace) is not { } text
            ? (null, null)
            : TryParseGrace(text, out var grace)
                ? (grace, null)
                : (null, $"annotation {PasswordGrace}: must be {GraceText}, got {Show.Text(text)}");

    /// <summary>Hours, minutes and seconds, each a whole number, in that order ("90s", "10m", "1h30m").</summary>
    public static bool TryParseGrace(string text, out TimeSpan grace)
    {
        grace = TimeSpan.Zero;
        var match = GraceSyntax().Match(text.Trim());
        if (!match.Success || text.Trim().Length == 0)
        {
            return false;
        }

        // At most nine digits each: the sum cannot overflow.
        static long Part(Group group) => group.Success ? long.Parse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture) : 0;
        var seconds = Part(match.Groups["h"]) * 3600 + Part(match.Groups["m"]) * 60 + Part(match.Groups["s"]);
        if (seconds > (long)MaxGrace.TotalSeconds)
        {
            return false;
        }

        grace = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>A grace period the way <see cref="TryParseGrace"/> reads it ("10m", "1h30m", "0s").</summary>
    public static string FormatGrace(TimeSpan grace)
    {
        var seconds = (long)grace.TotalSeconds;
        var text = (seconds / 3600 > 0 ? $"{seconds / 3600}h" : "") + (seconds % 3600 / 60 > 0 ? $"{seconds % 3600 / 60}m" : "") + (seconds % 60 > 0 ? $"{seconds % 60}s" : "");
        return text.Length > 0 ? text : "0s";
    }

    public static string? BackupRequestedAtOf(RedisResource resource) => Value(resource, BackupRequestedAt);

    public static string? RestoreFromOf(RedisResource resource) => Value(resource, RestoreFrom)?.Trim();

    public static string? RestoreConfirmOf(RedisResource resource) => Value(resource, RestoreConfirm)?.Trim();

    private static string? Value(RedisResource resource, string key) =>
        resource.Metadata.Annotations.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    [GeneratedRegex(@"^(?:(?<h>[0-9]{1,9})h)?(?:(?<m>[0-9]{1,9})m)?(?:(?<s>[0-9]{1,9})s)?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex GraceSyntax();
}
