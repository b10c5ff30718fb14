using System.Globalization;

namespace Redoubt.Output;

public static class ByteSizes
{
    private static readonly string[] Units = ["", "Ki", "Mi", "Gi", "Ti", "Pi"];

    /// <summary>Binary units, one decimal when it matters: 1073741824 → "1Gi", 107374182 → "102.4Mi".</summary>
    public static string Format(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return value.ToString("0.#", CultureInfo.InvariantCulture) + Units[unit];
    }
}
