using System.CommandLine;
using Redoubt.Hosting;

namespace Redoubt.Commands;

/// <summary>Options several commands share. Each command gets its own instance; only --home is global.</summary>
public static class CommonOptions
{
    public const string DefaultNamespace = "default";

    public static readonly Option<string?> Home = new("--home")
    {
        Description = $"Folder of the local control plane's state and socket [default: ${RedoubtHome.EnvironmentVariable}, else ~/.local/share/redoubt]",
        HelpName = "FOLDER",
        Recursive = true,
    };

    public static Option<string> File(string description) => new("--file", "-f")
    {
        Description = description + " (- reads stdin)",
        HelpName = "FILE",
        Required = true,
    };

    public static Option<string> Namespace() => new("--namespace", "-n")
    {
        Description = "Namespace of the resource",
        HelpName = "NAMESPACE",
        DefaultValueFactory = _ => DefaultNamespace,
    };

    public static Option<string?> Web() => new("--web")
    {
        Description = $"Where metrics (/metrics) and the dashboard listen: ADDRESS:PORT, or off [default: ${Redoubt.Web.WebAddress.EnvironmentVariable}, else 127.0.0.1:{Redoubt.Web.WebAddress.DefaultPort}, or a free port when that is taken]",
        HelpName = "ADDRESS:PORT|off",
    };

    public static Option<bool> Watch(string description) => new("--watch", "-w") { Description = description };

    public static Argument<string> Name() => new("NAME") { Description = "Name of the Redis resource" };

    public static Option<string> Output(string description, params string[] formats)
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = description,
            HelpName = string.Join('|', formats),
            DefaultValueFactory = _ => formats[0],
        };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }
}
