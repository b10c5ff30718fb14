namespace Redoubt.Core.Access;

/// <summary>
/// The passwords of one resource. <see cref="Application"/> is what <c>credentials</c> hands out (null when
/// <c>authEnabled: false</c>); <see cref="Redoubt"/> holds the passwords of Redoubt's own users, which exist whatever
/// the spec says. A platform that does not manage ACL users yet leaves <see cref="Redoubt"/> null: every connection
/// then uses the one application password, as before ACL users.
/// </summary>
public sealed record ResourceSecrets(string? Application, RedoubtPasswords? Redoubt)
{
    public static readonly ResourceSecrets None = new(null, null);

    /// <summary>
    /// The application password of before the last rotation, accepted beside <see cref="Application"/> until its grace
    /// period ends; null outside a rotation.
    /// </summary>
    public RetiringPassword? Retiring { get; init; }

    /// <summary>The last rotation request the platform carried out (<see cref="PasswordRotation"/>); null before the first.</summary>
    public string? RotationRequest { get; init; }

    /// <summary>Every password the application user accepts now: the current one, and the retiring one during a grace period.</summary>
    public IReadOnlyList<string> ApplicationPasswords =>
        Application is not { } current ? [] : Retiring is { } old && old.Password != current ? [current, old.Password] : [current];

    /// <summary>The user and password Sentinels and Redoubt use towards Redis and Sentinel: null user means <c>AUTH password</c>.</summary>
    public (string? User, string? Password) SentinelLogin =>
        Redoubt is { } own ? (AclUsers.Sentinel, own.Sentinel) : (null, Application);
}

/// <summary>One password per user of Redoubt's own, each in a file (a Secret key) of its own.</summary>
public sealed record RedoubtPasswords(string Admin, string Replication, string Sentinel);

/// <summary>An application password that a rotation replaced, still accepted until <see cref="Until"/>.</summary>
public sealed record RetiringPassword(string Password, DateTimeOffset Until);
