using System.Text.RegularExpressions;
using Redoubt.Core.Access;

namespace Redoubt.Core.Tests.Access;

/// <summary>
/// Applications may publish on every channel of a Redis node but the Sentinels' hello channel, where one forged hello
/// would send every Sentinel to an address of the application's choosing.
/// </summary>
public sealed class HelloChannelGuardTests
{
    /// <summary>Redis's glob (util.c stringmatchlen) for the constructs the guard uses: *, ? and [^c].</summary>
    private static bool GlobMatches(string pattern, string text) =>
        Regex.IsMatch(text, "^" + Regex.Replace(pattern, @"\[\^(.)\]|\*|\?|[^\[\]*?]+", m => m.Value switch
        {
            "*" => ".*",
            "?" => ".",
            var v when v.StartsWith("[^", StringComparison.Ordinal) => $"[^{Regex.Escape(v[2..^1])}]",
            var v => Regex.Escape(v),
        }) + "$", RegexOptions.Singleline);

    private static bool Allowed(string channel) =>
        AclUsers.AllChannelsBut(AclUsers.SentinelHelloChannel).Any(p => GlobMatches(p[1..], channel));

    [Theory]
    [InlineData("orders")]
    [InlineData("app:news")]
    [InlineData("_")]
    [InlineData("__")]
    [InlineData("__keyspace@0__:user:1")]
    [InlineData("__sentinel__")]
    [InlineData("__sentinel__:hell")]
    [InlineData("__sentinel__:hellos")]
    [InlineData("__sentinel__:Hello")]
    [InlineData("x__sentinel__:hello")]
    public void EveryOtherChannelIsAllowed(string channel)
    {
        Assert.True(Allowed(channel), channel);
    }

    [Fact]
    public void TheHelloChannelIsNot()
    {
        Assert.False(Allowed(AclUsers.SentinelHelloChannel));
    }

    [Fact]
    public void PublishComesBackOnlyInTheSelectorThatExcludesTheHelloChannel()
    {
        var rules = AclUsers.ApplicationOnRedis;
        var selector = rules[rules.IndexOf('(')..];
        Assert.Contains(" -publish ", rules[..rules.IndexOf('(')], StringComparison.Ordinal);
        Assert.StartsWith("(resetchannels &", selector, StringComparison.Ordinal);
        Assert.EndsWith(" -@all +publish)", selector, StringComparison.Ordinal);
        Assert.DoesNotContain("&*", selector, StringComparison.Ordinal);
    }
}
