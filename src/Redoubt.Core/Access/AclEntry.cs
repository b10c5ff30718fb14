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

    /// <summary>
    /// Lines and rules already read. The access watch reads the same few ACL lines every second for every resource, and
    /// splitting, sorting and joining them again was a tenth of an idle control plane's CPU. Bounded: emptied when
    /// full (rotations and deleted resources leave lines nobody reads again).
    /// </summary>
    private static readonly Memo<AclEntry?> Parsed = new();
    private static readonly Memo<string> Normalised = new();

    /// <summary>Null when the line is not an ACL user line.</summary>
    public static AclEntry? Parse(string line) => Parsed.Get(line, ParseNew);

    private static AclEntry? ParseNew(string line)
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
    public static string Normalise(string rules) => Normalised.Get(rules, NormaliseNew);

    private static string NormaliseNew(string rules)
    {
        var tokens = rules.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        static bool Single(string t) => t.Length > 1 && t[0] is '+' or '-' && t[1] != '@';
        return string.Join(' ', tokens.Where(t => !Single(t)).Concat(tokens.Where(Single).Order(StringComparer.Ordinal)));
    }

    /// <summary>Parses every user line of an ACL LIST reply, by name.</summary>
    public static IReadOnlyDictionary<string, AclEntry> ParseAll(IEnumerable<string> lines) =>
        lines.Select(Parse).OfType<AclEntry>().ToDictionary(e => e.Name, StringComparer.Ordinal);

    private sealed class Memo<T>
    {
        private const int Capacity = 4096;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, T> _values = new(StringComparer.Ordinal);

        public T Get(string key, Func<string, T> compute)
        {
            if (_values.TryGetValue(key, out var known))
            {
                return known;
            }

            if (_values.Count >= Capacity)
            {
                _values.Clear();
            }

            return _values.GetOrAdd(key, compute);
        }
    }
}
