namespace Redoubt.Core.Access;

/// <summary>What differs about one user on one node: never a password, only that it changed.</summary>
public sealed record AclDifference(string User, string What)
{
    public override string ToString() => $"{User}: {What}";
}

/// <summary>
/// The drift verdict: the users a node has against the users Redoubt wants there. Pure. A user that is missing,
/// disabled, has another password (or one too many), or other rules is named with what changed; a user Redoubt
/// does not know is named too (nobody but Redoubt creates users).
/// </summary>
public static class AclDrift
{
    public static IReadOnlyList<AclDifference> Compare(IReadOnlyList<AclUser> wanted, IReadOnlyDictionary<string, AclEntry> observed)
    {
        var differences = new List<AclDifference>();
        foreach (var user in wanted)
        {
            if (!observed.TryGetValue(user.Name, out var actual))
            {
                differences.Add(new AclDifference(user.Name, "missing"));
                continue;
            }

            var expected = user.Expected();
            var what = new List<string>();
            if (!actual.Enabled)
            {
                what.Add("disabled");
            }

            if (actual.NoPass != expected.NoPass || !actual.PasswordHashes.Order(StringComparer.Ordinal).SequenceEqual(expected.PasswordHashes, StringComparer.Ordinal))
            {
                what.Add(expected.NoPass ? "a password was set" : actual.NoPass ? "its password was removed" : "its password changed");
            }

            if (actual.Rules != expected.Rules)
            {
                what.Add("its permissions changed");
            }

            if (what.Count > 0)
            {
                differences.Add(new AclDifference(user.Name, string.Join(", ", what)));
            }
        }

        var known = wanted.Select(u => u.Name).ToHashSet(StringComparer.Ordinal);
        differences.AddRange(observed.Keys.Where(name => !known.Contains(name)).Order(StringComparer.Ordinal).Select(name => new AclDifference(name, "not a user Redoubt created")));
        return differences;
    }

    /// <summary>
    /// Whether <paramref name="observed"/> is <paramref name="wanted"/> before a rotation reached it: the same rules,
    /// enabled, each of its passwords still wanted, the new one not there yet. Such a node refuses the new password
    /// only until the healer adds it; it has not been tampered with.
    /// </summary>
    public static bool AwaitsRotation(AclUser wanted, AclEntry? observed)
    {
        var expected = wanted.Expected();
        return observed is { Enabled: true, NoPass: false } entry
            && entry.Rules == expected.Rules
            && entry.PasswordHashes.Count > 0
            && entry.PasswordHashes.All(expected.PasswordHashes.Contains)
            && expected.PasswordHashes.Any(hash => !entry.PasswordHashes.Contains(hash));
    }
}
