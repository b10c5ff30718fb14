using System.Globalization;
using System.Text.RegularExpressions;

namespace Redoubt.Model;

/// <summary>
/// Kubernetes resource quantities (<c>128Mi</c>, <c>250m</c>, <c>1e3</c>, <c>0.5</c>), in base units: bytes for
/// memory and storage, cores for CPU. The grammar is Kubernetes' own, minus negative values, which no field accepts.
/// </summary>
public static partial class Quantity
{
    private const long Ki = 1024;

    private static readonly (string Suffix, long Factor)[] BinarySuffixes =
    [
        ("Ei", Ki * Ki * Ki * Ki * Ki * Ki),
        ("Pi", Ki * Ki * Ki * Ki * Ki),
        ("Ti", Ki * Ki * Ki * Ki),
        ("Gi", Ki * Ki * Ki),
        ("Mi", Ki * Ki),
        ("Ki", Ki),
    ];

    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        if (text is null)
        {
            return false;
        }

        var match = Grammar().Match(text);
        if (!match.Success
            || !decimal.TryParse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        try
        {
            value = Scale(number, match.Groups["suffix"].Value);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>Whole bytes, rounded up as Kubernetes does (<c>0.5</c> is one byte).</summary>
    public static long ToBytes(decimal value) => checked((long)decimal.Ceiling(value));

    /// <summary>Parses and converts to whole bytes; for text that has been validated already.</summary>
    /// <exception cref="FormatException">The text is not a quantity.</exception>
    public static long ToBytes(string quantity) => ToBytes(Parse(quantity));

    /// <summary>Whole millicores, rounded up as Kubernetes does (<c>0.0001</c> is one millicore).</summary>
    public static long ToMillicores(decimal cores) => checked((long)decimal.Ceiling(cores * 1000m));

    /// <exception cref="FormatException">The text is not a quantity.</exception>
    public static long ToMillicores(string quantity) => ToMillicores(Parse(quantity));

    /// <summary>The shortest exact binary form: 134217728 is <c>128Mi</c>, 1536 stays <c>1536</c>.</summary>
    public static string FormatBytes(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (bytes > 0)
        {
            foreach (var (suffix, factor) in BinarySuffixes)
            {
                if (bytes % factor == 0)
                {
                    return (bytes / factor).ToString(CultureInfo.InvariantCulture) + suffix;
                }
            }
        }

        return bytes.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Whole cores when exact (<c>2</c>), millicores otherwise (<c>250m</c>).</summary>
    public static string FormatMillicores(long millicores)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(millicores);
        return millicores % 1000 == 0
            ? (millicores / 1000).ToString(CultureInfo.InvariantCulture)
            : millicores.ToString(CultureInfo.InvariantCulture) + "m";
    }

    private static decimal Parse(string quantity) =>
        TryParse(quantity, out var value) ? value : throw new FormatException($"\"{quantity}\" is not a Kubernetes quantity");

    private static decimal Scale(decimal number, string suffix)
    {
        foreach (var (binary, factor) in BinarySuffixes)
        {
            if (suffix == binary)
            {
                return number * factor;
            }
        }

        return suffix switch
        {
            "" => number,
            "m" => number / 1000m,
            "k" => number * 1e3m,
            "M" => number * 1e6m,
            "G" => number * 1e9m,
            "T" => number * 1e12m,
            "P" => number * 1e15m,
            "E" => number * 1e18m,
            _ => number * PowerOfTen(int.Parse(suffix.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
        };
    }

    private static decimal PowerOfTen(int exponent)
    {
        // decimal spans 1e-28..7.9e28; anything further out cannot be a sensible size or CPU count.
        if (exponent is < -28 or > 28)
        {
            throw new OverflowException();
        }

        var power = 1m;
        for (var i = 0; i < Math.Abs(exponent); i++)
        {
            power *= 10m;
        }

        return exponent < 0 ? 1m / power : power;
    }

    // Kubernetes' grammar without the minus sign: <digits>[.<digits>] or .<digits>, then a binary suffix (Ki..Ei),
    // a decimal one (m, k, M..E) or an exponent (e3, E-2). "1E" is exa, "1E3" a thousand. \A and \z rather than
    // ^ and $, which would let a trailing newline through.
    [GeneratedRegex(@"\A\+?(?<number>[0-9]+(\.[0-9]*)?|\.[0-9]+)(?<suffix>Ki|Mi|Gi|Ti|Pi|Ei|[mkMGTPE]|[eE][-+]?[0-9]{1,3})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
