namespace Redoubt.Model;

/// <summary>Suggests the field a misspelt name was meant to be (<c>replica</c>, <c>Replicas</c>, <c>quroum</c>).</summary>
internal static class FieldNames
{
    public static string? Closest(string name, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            // Two edits at most are a typo, so a name whose length differs by more is not one; skipping it keeps a
            // hostile key of a hundred thousand characters from costing a distance computation per known field.
            if (Math.Abs(name.Length - candidate.Length) > 2)
            {
                continue;
            }

            var distance = string.Equals(name, candidate, StringComparison.OrdinalIgnoreCase) ? 0 : Distance(name, candidate);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        // One edit in a short word, two in a long one, is a typo; more is a different word (gpu is not cpu), and a
        // wrong guess is worse than none.
        return bestDistance <= Math.Min(2, (name.Length - 1) / 3) ? best : null;
    }

    /// <summary>Levenshtein distance, case-insensitive.</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
