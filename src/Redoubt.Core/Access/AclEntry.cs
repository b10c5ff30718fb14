namespace Redoubt.Core.Access;

/// <summary>
/// One line of <c>ACL LIST</c>, read: "user NAME on|off [nopass] [flags] #hash… ~keys… &amp;channels… +commands…".
/// Flags other than on/off/nopass (sanitize-payload and the like) are left out: Redoubt sets none of them.
/// <see cref="Rules"/> is normalised (<see cref="Normalise"/>): Redis lists single commands in an order of its own
/// that changes from one process to the next.
/// </summary>
public sealed record AclEntry(string Name, bool Enabled, IReadOnlyList<string> PasswordHashes, bool NoPass, string Rules)
{
    private static readonly HashSet<string> IgnoredFlags = new(StringComparer.Ordinal) { "sanitize-payload", "skip-sanitize-payload", "allkeys", "allchannels", "allcommands" };

    /// <summary>Null when the line is not an ACL user line.</summary>
    public static AclEntry? Parse(string line)
    {
        var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length < 2 || tokens[0] != "user")
        {
            return null;
        }

        var enabled = false;
        var noPass = false;
        var hashes = new List<string>();
        var rules = new List<string>();
        foreach (var token in tokens.Skip(2))
        {
            switch (token)
            {
                case "on":
                    enabled = true;
                    break;
                case "off":
                    enabled = false;
                    break;
                case "nopass":
                    noPass = true;
                    break;
                case var hash when hash.StartsWith('#'):
                    hashes.Add(hash[1..]);
                    break;
                case var flag when IgnoredFlags.Contains(flag):
                    break;
                default:
                    rules.Add(token);
                    break;
            }
        }

        return new AclEntry(tokens[1], enabled, hashes, noPass, Normalise(string.Join(' ', rules)));
    }

    /// <summary>
    /// Rules with their single-command tokens (+get, -migrate, +client|kill) sorted, everything else (keys, channels,
    /// categories) left in place and order. Redis describes a user as keys, channels, then categories, then single
    /// commands, each named once, so the order among single commands carries no meaning.
    /// </summary>
    public static string Normalise(string rules)
    {
        var tokens = rules.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        static bool Single(string t) => t.Length > 1 && t[0] is '+' or '-' && t[1] != '@';
        return string.Join(' ', tokens.Where(t => !Single(t)).Concat(tokens.Where(Single).Order(StringComparer.Ordinal)));
    }

    /// <summary>Parses every user line of an ACL LIST reply, by name.</summary>
    public static IReadOnlyDictionary<string, AclEntry> ParseAll(IEnumerable<string> lines) =>
        lines.Select(Parse).OfType<AclEntry>().ToDictionary(e => e.Name, StringComparer.Ordinal);
}
