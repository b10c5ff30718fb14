using System.Globalization;

namespace Redoubt.Core.Tests.Fixtures;

/// <summary>One address per node, with the ordinal in the port so that expected actions read at a glance.</summary>
internal static class TestAddresses
{
    public static string OfRedis(int ordinal) => "127.0.0.1:" + (7000 + ordinal).ToString(CultureInfo.InvariantCulture);

    public static string OfSentinel(int ordinal) => "127.0.0.1:" + (26000 + ordinal).ToString(CultureInfo.InvariantCulture);
}
