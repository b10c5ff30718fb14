using System.CommandLine;
using Redoubt.Client;
using Redoubt.Hosting;
using Redoubt.Output;

namespace Redoubt.Commands;

/// <summary>What every command derives from the global options.</summary>
public sealed class Invocation
{
    private Invocation(RedoubtHome home, string redoubt)
    {
        Home = home;
        Redoubt = redoubt;
    }

    public RedoubtHome Home { get; }

    /// <summary>How to run redoubt against the same home in commands we print for the user to paste.</summary>
    public string Redoubt { get; }

    public static Invocation From(ParseResult parseResult)
    {
        var homeOption = parseResult.GetValue(CommonOptions.Home);
        var home = RedoubtHome.Resolve(homeOption);
        var redoubt = string.IsNullOrWhiteSpace(homeOption) ? "redoubt" : $"redoubt --home {ShellQuote.Quote(home.Path)}";
        return new Invocation(home, redoubt);
    }

    public ControlPlaneClient Connect() => new(Home, Redoubt);
}
