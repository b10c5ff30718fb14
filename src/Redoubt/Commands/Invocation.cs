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

    /// <summary>Set by the ./redoubt script to the path it was run as, so printed commands work when pasted.</summary>
    public const string InvokedAsVariable = "REDOUBT_INVOKED_AS";

    public static Invocation From(ParseResult parseResult)
    {
        var homeOption = parseResult.GetValue(CommonOptions.Home);
        var home = RedoubtHome.Resolve(homeOption);
        var command = Environment.GetEnvironmentVariable(InvokedAsVariable) is { Length: > 0 } invokedAs ? ShellQuote.Quote(invokedAs) : "redoubt";
        var redoubt = string.IsNullOrWhiteSpace(homeOption) ? command : $"{command} --home {ShellQuote.Quote(home.Path)}";
        return new Invocation(home, redoubt);
    }

    public ControlPlaneClient Connect() => new(Home, Redoubt);
}
