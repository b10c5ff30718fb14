namespace Redoubt.Core.Access;

/// <summary>
/// One ACL user as Redoubt wants it on a node: enabled, with its passwords (by their hashes; two while a rotated
/// password is in its grace period) or none, and its rules (keys, channels, commands) written as Redis 7.0 describes
/// them back in <c>ACL LIST</c> (single commands aside, whose order Redis varies), so that what a node reports can be
/// compared with this text (<see cref="AclDrift"/>).
/// </summary>
public sealed record AclUser(string Name, IReadOnlyList<string> PasswordHashes, string Rules)
{
    /// <summary>A user with one password (by its hash), or none when <paramref name="passwordHash"/> is null.</summary>
    public AclUser(string name, string? passwordHash, string rules)
        : this(name, passwordHash is null ? [] : [passwordHash], rules)
    {
    }

    /// <summary>The arguments of <c>ACL SETUSER</c> after the name: everything is reset first, so nothing old survives.</summary>
    public IReadOnlyList<string> SetUserArguments() => ["reset", .. Arguments()];

    /// <summary>The user as an ACL line of redis.conf / sentinel.conf (without the leading "user").</summary>
    public IReadOnlyList<string> ConfigArguments() => [Name, .. Arguments()];

    /// <summary>What this user would look like in ACL LIST (hashes in order: Redis keeps them in a set).</summary>
    public AclEntry Expected() =>
        new(Name, Enabled: true, [.. PasswordHashes.Order(StringComparer.Ordinal)], PasswordHashes.Count == 0, AclEntry.Normalise(Rules));

    private IEnumerable<string> Arguments() =>
        ["on", .. PasswordHashes.Count == 0 ? ["nopass"] : PasswordHashes.Select(hash => "#" + hash), .. Rules.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
}
