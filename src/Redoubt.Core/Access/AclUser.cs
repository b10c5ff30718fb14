namespace Redoubt.Core.Access;

/// <summary>
/// One ACL user as Redoubt wants it on a node: enabled, with one password (by its hash) or none, and its rules
/// (keys, channels, commands) written as Redis 7.0 describes them back in <c>ACL LIST</c> (single commands aside,
/// whose order Redis varies), so that what a node reports can be compared with this text (<see cref="AclDrift"/>).
/// </summary>
public sealed record AclUser(string Name, string? PasswordHash, string Rules)
{
    /// <summary>The arguments of <c>ACL SETUSER</c> after the name: everything is reset first, so nothing old survives.</summary>
    public IReadOnlyList<string> SetUserArguments() =>
        ["reset", "on", PasswordHash is { } hash ? "#" + hash : "nopass", .. Rules.Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>The user as an ACL line of redis.conf / sentinel.conf (without the leading "user").</summary>
    public IReadOnlyList<string> ConfigArguments() =>
        [Name, "on", PasswordHash is { } hash ? "#" + hash : "nopass", .. Rules.Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>What this user would look like in ACL LIST.</summary>
    public AclEntry Expected() => new(Name, Enabled: true, PasswordHash is null ? [] : [PasswordHash], PasswordHash is null, AclEntry.Normalise(Rules));
}
